/**
 * The live diagnostic of one workshop: a Y.Doc kept in sync with the server over the y-websocket protocol,
 * exposed to components as reactive state (entries, peers, connection status, pending changes, errors).
 *
 * UI code reads and writes entries only through this class, which goes through the domain's accessors and mutators.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  PresenceStateSchema,
  addEntry,
  adviceForClose,
  colorFor,
  deleteEntry,
  documentName,
  newEntryId,
  observeEntries,
  readEntries,
  readEntry,
  updateEntry,
  type DiagnosticEntry,
  type EntryInput,
  type EntryPatch,
  type PresenceState,
} from '@agora/domain';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

export interface Peer {
  clientId: number;
  name: string;
  color: string;
  organisation: string;
  /** Id of the entry this participant is editing, or null. */
  editing: string | null;
  self: boolean;
}

export type SessionError =
  /** The server refused an edit whole; the document was reloaded from the server. */
  | { kind: 'refused'; code: number; reason: string }
  /** The server closed the connection for good (unknown document, forbidden…). */
  | { kind: 'stopped'; code: number; reason: string }
  /** Too many refusals in a row: the session stopped reloading. */
  | { kind: 'reload-loop'; code: number; reason: string };

export interface Identity {
  name: string;
  organisation: string;
}

export interface SessionOptions {
  workshopId: string;
  /** Base URL of the document server; defaults to `ws(s)://<this host>/ws`. */
  serverUrl?: string;
  /** Called with entries other participants added (not during the initial load). */
  onRemoteAdded?: (entries: DiagnosticEntry[]) => void;
}

/** At most this many document reloads (after refused edits) per minute before giving up. */
const MAX_RELOADS_PER_MINUTE = 5;

function defaultServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class DiagnosticSession {
  /** All entries, oldest first. Replaced (not mutated) on every change. */
  entries = $state.raw<DiagnosticEntry[]>([]);
  /** Everyone present on this document, this browser tab included (`self`). */
  peers = $state.raw<Peer[]>([]);
  status = $state<ConnectionStatus>('connecting');
  /** True once the document has been synced with the server at least once. */
  loaded = $state(false);
  /** True once a connection has been established at least once (to say "Reconnexion…" rather than "Connexion…"). */
  wasConnected = $state(false);
  /** Local changes made while disconnected, not yet acknowledged by a sync. */
  pendingChanges = $state(0);
  error = $state<SessionError | null>(null);
  /** The server closed the connection for good: edits would never be sent. */
  stopped = $state(false);

  readonly documentName: string;
  readonly #serverUrl: string;
  readonly #onRemoteAdded: ((entries: DiagnosticEntry[]) => void) | undefined;
  #doc!: Y.Doc;
  #provider!: WebsocketProvider;
  #cleanup: (() => void)[] = [];
  #presence: PresenceState | null = null;
  /** Entry ids already seen, to tell new remote entries apart. */
  #knownIds = new Set<string>();
  /** Entry ids added from this tab. */
  #localIds = new Set<string>();
  #reloads: number[] = [];
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  readonly #onBrowserConnectivity = (): void => this.#refreshStatus();

  constructor(options: SessionOptions) {
    this.documentName = documentName(options.workshopId, 'diagnostic');
    this.#serverUrl = options.serverUrl ?? defaultServerUrl();
    this.#onRemoteAdded = options.onRemoteAdded;
    window.addEventListener('online', this.#onBrowserConnectivity);
    window.addEventListener('offline', this.#onBrowserConnectivity);
    this.#open();
  }

  /** Creates a fresh Y.Doc and provider and wires them to the reactive state. */
  #open(): void {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.#serverUrl, this.documentName, doc, {
      // Cross-tab sync is off: a refused edit must not come back from another tab after a reload.
      disableBc: true,
      // Only reconnect when the domain says so (e.g. 4408 and 4429 are transient, 4404 is not).
      shouldReconnect: (event) => adviceForClose(event.code) === 'reconnect',
    });
    this.#doc = doc;
    this.#provider = provider;

    const refreshEntries = (): void => this.#readEntries();
    const unobserve = observeEntries(doc, refreshEntries);

    const onUpdate = (_update: Uint8Array, origin: unknown): void => {
      // A local change that cannot be sent right now: the provider re-sends it after the next sync.
      if (origin !== provider && !provider.wsconnected) {
        this.pendingChanges++;
        this.#refreshStatus();
      }
    };
    doc.on('update', onUpdate);

    const onStatus = (): void => this.#refreshStatus();
    provider.on('status', onStatus);

    const onSync = (synced: boolean): void => {
      if (synced) {
        this.pendingChanges = 0;
        this.wasConnected = true;
        if (!this.loaded) {
          this.#readEntries();
          this.loaded = true;
        }
      }
      this.#refreshStatus();
    };
    provider.on('sync', onSync);

    const onClose = (event: CloseEvent | null): void => {
      if (event === null || provider !== this.#provider) return; // closed by us
      const advice = adviceForClose(event.code);
      if (advice === 'reload-document') {
        // Deferred: the provider is still inside its close handler.
        this.#reloadTimer ??= setTimeout(() => {
          this.#reloadTimer = null;
          this.#reload(event.code, event.reason);
        }, 0);
      } else if (advice === 'stop') {
        this.stopped = true;
        this.error = { kind: 'stopped', code: event.code, reason: event.reason };
        // The provider already gave up (shouldReconnect is false); make it explicit once its handler is done.
        queueMicrotask(() => provider.disconnect());
      }
      this.#refreshStatus();
    };
    provider.on('connection-close', onClose);

    const awareness = provider.awareness;
    const onAwareness = (): void => this.#readPeers();
    awareness.on('change', onAwareness);
    // No presence until the participant has given a name (the server only relays valid presence states).
    awareness.setLocalState(this.#presence);

    this.#cleanup = [
      unobserve,
      () => doc.off('update', onUpdate),
      () => provider.off('status', onStatus),
      () => provider.off('sync', onSync),
      () => provider.off('connection-close', onClose),
      () => awareness.off('change', onAwareness),
    ];
    this.#readEntries();
    this.#readPeers();
    this.#refreshStatus();
  }

  #close(): void {
    for (const fn of this.#cleanup) fn();
    this.#cleanup = [];
    this.#provider.awareness.setLocalState(null);
    this.#provider.destroy();
    this.#provider.awareness.destroy();
    this.#doc.destroy();
  }

  /** Drops the local document (and the refused change in it) and loads the server's copy again. */
  #reload(code: number, reason: string): void {
    if (this.#destroyed) return;
    const now = Date.now();
    this.#reloads = this.#reloads.filter((t) => now - t < 60_000);
    this.#close();
    this.pendingChanges = 0;
    if (this.#reloads.length >= MAX_RELOADS_PER_MINUTE) {
      this.stopped = true;
      this.error = { kind: 'reload-loop', code, reason };
      // Keep a disconnected document so that the page still shows the last state read.
      this.#doc = new Y.Doc();
      this.#provider = new WebsocketProvider(this.#serverUrl, this.documentName, this.#doc, { connect: false, disableBc: true });
      this.#refreshStatus();
      return;
    }
    this.#reloads.push(now);
    this.error = { kind: 'refused', code, reason };
    this.#open();
  }

  #readEntries(): void {
    const entries = readEntries(this.#doc);
    const added: DiagnosticEntry[] = [];
    for (const e of entries) {
      if (this.#knownIds.has(e.id)) continue;
      this.#knownIds.add(e.id);
      if (this.loaded && !this.#localIds.has(e.id)) added.push(e);
    }
    // Before the first sync, the document only holds what the server sends (or local drafts): nothing to announce.
    this.entries = entries;
    if (added.length > 0) this.#onRemoteAdded?.(added);
  }

  #readPeers(): void {
    const self = this.#doc.clientID;
    const peers: Peer[] = [];
    this.#provider.awareness.getStates().forEach((state, clientId) => {
      const parsed = PresenceStateSchema.safeParse(state);
      if (!parsed.success) return; // `{}` (no name yet) or a foreign client
      const { user, editing } = parsed.data;
      peers.push({
        clientId,
        name: user.name,
        color: user.color,
        organisation: user.organisation ?? '',
        editing,
        self: clientId === self,
      });
    });
    peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'fr'));
    this.peers = peers;
  }

  #refreshStatus(): void {
    const p = this.#provider;
    if (this.stopped) {
      this.status = 'offline';
    } else if (p.wsconnected && p.synced) {
      this.status = 'connected';
    } else if (
      (typeof navigator !== 'undefined' && navigator.onLine === false) ||
      this.pendingChanges > 0 ||
      p.wsUnsuccessfulReconnects >= 2
    ) {
      this.status = 'offline';
    } else {
      this.status = 'connecting';
    }
  }

  /** Whether the participant may edit (the server will receive the changes, now or after a reconnection). */
  get canEdit(): boolean {
    return !this.stopped;
  }

  /** Sets who this participant is (presence); null hides them from the others. */
  setIdentity(identity: Identity | null): void {
    if (identity === null) {
      this.#presence = null;
    } else {
      const organisation = identity.organisation.trim();
      this.#presence = {
        user: { name: identity.name.trim(), color: colorFor(identity.name.trim()), ...(organisation ? { organisation } : {}) },
        editing: this.#presence?.editing ?? null,
      };
    }
    this.#provider.awareness.setLocalState(this.#presence);
  }

  /** Tells the others which entry this participant is editing (null: none). */
  setEditing(entryId: string | null): void {
    if (!this.#presence || this.#presence.editing === entryId) return;
    this.#presence = { ...this.#presence, editing: entryId };
    this.#provider.awareness.setLocalState(this.#presence);
  }

  /** Adds an entry (validated by the caller) and returns its id. */
  add(input: EntryInput, author: string): string {
    // The id is chosen first so that the change observer already knows the entry is ours.
    const id = newEntryId();
    this.#localIds.add(id);
    addEntry(this.#doc, input, author, Date.now(), id);
    return id;
  }

  /** Writes only the fields in `patch` that differ from the document. Returns whether anything changed. */
  update(id: string, patch: EntryPatch): boolean {
    return updateEntry(this.#doc, id, patch);
  }

  remove(id: string): boolean {
    return deleteEntry(this.#doc, id);
  }

  /** The current state of one entry, or null if it was deleted. */
  get(id: string): DiagnosticEntry | null {
    return readEntry(this.#doc, id);
  }

  dismissError(): void {
    this.error = null;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    window.removeEventListener('online', this.#onBrowserConnectivity);
    window.removeEventListener('offline', this.#onBrowserConnectivity);
    this.#close();
  }
}
