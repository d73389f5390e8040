/**
 * The live document of a workshop (`<workshopId>:live`), written by the server only: the current stage, the vote
 * every screen shows (`currentVoteId`) and the public state of every vote. Exposed as reactive state to the
 * workshop page (stepper, ballot panel), the console and the projector.
 *
 * The document is read-only for every client: this class never writes into it and announces no presence.
 * Connection handling follows the diagnostic session: reconnect on transient closes, stop for good on
 * 4400/4401/4403/4404/4410 (malformed, no session, forbidden, unknown workshop, revoked).
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { adviceForClose, documentName, liveVotesMap, liveWorkshopMap, readStage, type Stage } from '@agora/domain';
import { parsePublicVote, type PublicVoteState } from '$lib/votes/types';

export type LiveStatus = 'connecting' | 'connected' | 'offline';

export interface LiveSessionOptions {
  workshopId: string;
  /** Base URL of the document server; defaults to `ws(s)://<this host>/ws`. */
  serverUrl?: string;
}

function defaultServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class LiveSession {
  /** The workshop's current stage, null until the document is loaded. */
  stage = $state<Stage | null>(null);
  /** The vote every screen shows, or null. */
  currentVoteId = $state<string | null>(null);
  /** Public state of every vote, by id. Replaced (never mutated) on every change. */
  votes = $state.raw<ReadonlyMap<string, PublicVoteState>>(new Map());
  status = $state<LiveStatus>('connecting');
  /** True once the document has been synced with the server at least once. */
  loaded = $state(false);
  /** True once a connection has been established (to say "Reconnexion…" rather than "Connexion…"). */
  wasConnected = $state(false);
  /** Incremented at every (re)synchronisation: lets components re-check what they sent while offline. */
  syncCount = $state(0);
  /** The server closed the connection for good. */
  stopped = $state(false);
  error = $state<{ code: number; reason: string } | null>(null);

  readonly documentName: string;
  readonly #doc: Y.Doc;
  readonly #provider: WebsocketProvider;
  #cleanup: (() => void)[] = [];
  #destroyed = false;
  readonly #onBrowserConnectivity = (): void => this.#refreshStatus();

  constructor(options: LiveSessionOptions) {
    this.documentName = documentName(options.workshopId, 'live');
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(options.serverUrl ?? defaultServerUrl(), this.documentName, doc, {
      disableBc: true,
      // A read-only document has no refused edit to drop: anything but a "stop" close is worth a reconnection.
      shouldReconnect: (event) => adviceForClose(event.code) !== 'stop',
    });
    // No presence on the live document (the awareness default `{}` would be sent otherwise).
    provider.awareness.setLocalState(null);
    this.#doc = doc;
    this.#provider = provider;

    const workshopMap = liveWorkshopMap(doc);
    const votesMap = liveVotesMap(doc);
    const onWorkshop = (): void => this.#readWorkshop();
    const onVotes = (event: Y.YMapEvent<string>): void => this.#readVotes(event.keysChanged);
    workshopMap.observe(onWorkshop);
    votesMap.observe(onVotes);

    const onStatus = (): void => this.#refreshStatus();
    provider.on('status', onStatus);
    const onSync = (synced: boolean): void => {
      if (synced) {
        this.wasConnected = true;
        this.loaded = true;
        this.syncCount++;
        this.#readWorkshop();
        this.#readVotes(null);
      }
      this.#refreshStatus();
    };
    provider.on('sync', onSync);
    const onClose = (event: CloseEvent | null): void => {
      if (event === null) return; // closed by us
      if (adviceForClose(event.code) === 'stop') {
        this.stopped = true;
        this.error = { code: event.code, reason: event.reason };
        queueMicrotask(() => provider.disconnect());
      }
      this.#refreshStatus();
    };
    provider.on('connection-close', onClose);
    window.addEventListener('online', this.#onBrowserConnectivity);
    window.addEventListener('offline', this.#onBrowserConnectivity);

    this.#cleanup = [
      () => workshopMap.unobserve(onWorkshop),
      () => votesMap.unobserve(onVotes),
      () => provider.off('status', onStatus),
      () => provider.off('sync', onSync),
      () => provider.off('connection-close', onClose),
      () => window.removeEventListener('online', this.#onBrowserConnectivity),
      () => window.removeEventListener('offline', this.#onBrowserConnectivity),
    ];
    this.#refreshStatus();
  }

  /** The vote every screen shows, when its state is known. */
  get currentVote(): PublicVoteState | null {
    return this.currentVoteId === null ? null : (this.votes.get(this.currentVoteId) ?? null);
  }

  #readWorkshop(): void {
    const map = liveWorkshopMap(this.#doc);
    this.stage = readStage(this.#doc);
    const current = map.get('currentVoteId');
    this.currentVoteId = typeof current === 'string' && current !== '' ? current : null;
  }

  /** Re-parses the changed votes (all of them when `keys` is null). */
  #readVotes(keys: Set<string> | null): void {
    const map = liveVotesMap(this.#doc);
    const next = new Map(keys === null ? [] : this.votes);
    for (const key of keys ?? map.keys()) {
      const raw = map.get(key);
      const parsed = raw === undefined ? null : parsePublicVote(raw);
      if (parsed) next.set(key, parsed);
      else next.delete(key);
    }
    this.votes = next;
  }

  #refreshStatus(): void {
    const p = this.#provider;
    if (this.stopped) this.status = 'offline';
    else if (p.wsconnected && p.synced) this.status = 'connected';
    else if ((typeof navigator !== 'undefined' && navigator.onLine === false) || p.wsUnsuccessfulReconnects >= 2) this.status = 'offline';
    else this.status = 'connecting';
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const fn of this.#cleanup) fn();
    this.#cleanup = [];
    this.#provider.destroy();
    this.#provider.awareness.destroy();
    this.#doc.destroy();
  }
}
