/**
 * The breakout groups as the control room sees them: the `groups` map of the workshop's live document
 * (`<workshopId>:live`), written by the server only (groupId → JSON of the group and its activity).
 * Read only, no presence: opening the control room disturbs nobody.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { adviceForClose, documentName, liveGroupsMap, type Group, type GroupActivity } from '@agora/domain';

export type LiveGroup = Group & { activity: GroupActivity };
export type LiveGroupsStatus = 'connecting' | 'connected' | 'offline';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Parses one value of the `groups` map; null when it is not a group. */
export function parseLiveGroup(raw: unknown): LiveGroup | null {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!isRecord(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  const a = isRecord(v.activity) ? v.activity : {};
  const byStatus: Record<string, number> = {};
  if (isRecord(a.byStatus)) for (const [k, n] of Object.entries(a.byStatus)) if (typeof n === 'number') byStatus[k] = n;
  const online = Array.isArray(a.online)
    ? a.online.flatMap((p: unknown) =>
        isRecord(p) && typeof p.memberId === 'string' && typeof p.name === 'string' ? [{ memberId: p.memberId, name: p.name }] : [],
      )
    : [];
  return {
    id: v.id,
    workshopId: typeof v.workshopId === 'string' ? v.workshopId : '',
    name: v.name,
    sectors: strings(v.sectors),
    leverIds: strings(v.leverIds),
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
    activity: {
      groupId: v.id,
      online,
      entries: typeof a.entries === 'number' ? a.entries : 0,
      byStatus,
      leversCovered: strings(a.leversCovered),
      lastActivity: typeof a.lastActivity === 'string' ? a.lastActivity : null,
    },
  };
}

function defaultServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class LiveGroups {
  /** Groups by creation time, then name. Replaced on every change. */
  groups = $state.raw<LiveGroup[]>([]);
  status = $state<LiveGroupsStatus>('connecting');
  loaded = $state(false);
  stopped = $state(false);
  error = $state<{ code: number; reason: string } | null>(null);

  readonly #doc = new Y.Doc();
  readonly #provider: WebsocketProvider;
  readonly #cleanup: (() => void)[] = [];

  constructor(workshopId: string, serverUrl = defaultServerUrl()) {
    const provider = new WebsocketProvider(serverUrl, documentName(workshopId, 'live'), this.#doc, {
      connect: false,
      disableBc: true,
      shouldReconnect: (event) => adviceForClose(event.code) !== 'stop',
    });
    provider.awareness.setLocalState(null);
    this.#provider = provider;
    const map = liveGroupsMap(this.#doc);
    const read = (): void => this.#read();
    map.observe(read);
    const onStatus = (): void => this.#refresh();
    const onSync = (synced: boolean): void => {
      if (synced) {
        this.loaded = true;
        this.#read();
      }
      this.#refresh();
    };
    const onClose = (event: CloseEvent | null): void => {
      if (event && adviceForClose(event.code) === 'stop') {
        this.stopped = true;
        this.error = { code: event.code, reason: event.reason };
        queueMicrotask(() => provider.disconnect());
      }
      this.#refresh();
    };
    const onOnline = (): void => {
      if (!this.stopped) provider.connect();
      this.#refresh();
    };
    const onOffline = (): void => {
      provider.disconnect();
      this.#refresh();
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.#cleanup.push(
      () => map.unobserve(read),
      () => provider.off('status', onStatus),
      () => provider.off('sync', onSync),
      () => provider.off('connection-close', onClose),
      () => window.removeEventListener('online', onOnline),
      () => window.removeEventListener('offline', onOffline),
    );
    if (navigator.onLine !== false) provider.connect();
    this.#refresh();
  }

  #read(): void {
    const out: LiveGroup[] = [];
    liveGroupsMap(this.#doc).forEach((raw) => {
      const g = parseLiveGroup(raw);
      if (g) out.push(g);
    });
    out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name, 'fr'));
    this.groups = out;
  }

  #refresh(): void {
    const p = this.#provider;
    if (this.stopped || navigator.onLine === false) this.status = 'offline';
    else if (p.wsconnected && p.synced) this.status = 'connected';
    else if (p.wsUnsuccessfulReconnects >= 2) this.status = 'offline';
    else this.status = 'connecting';
  }

  destroy(): void {
    for (const fn of this.#cleanup) fn();
    this.#provider.destroy();
    this.#provider.awareness.destroy();
    this.#doc.destroy();
  }
}
