/**
 * One live diagnostic document (the plenary diagnostic `<workshopId>:diagnostic` or a breakout group's
 * `<workshopId>:group-<groupId>`): a Y.Doc kept in sync with the server over the y-websocket protocol, exposed to
 * components as reactive state (entries, peers, connection status, pending changes, undo/redo, errors).
 *
 * Offline first: the Y.Doc is also kept in IndexedDB (y-indexeddb), so a wifi drop, a closed lid or a reload without a
 * network loses nothing; when the connection comes back the provider's sync sends what the server lacks, and Yjs
 * merges it. The number of changes not yet sent is kept per document in localStorage, so it survives a reload.
 *
 * UI code reads and writes entries only through this class, which goes through the domain's accessors and mutators.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import {
  PresenceStateSchema,
  addEntry,
  adviceForClose,
  colorFor,
  deleteEntry,
  documentName,
  entriesMap,
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
import { prepareOffline } from '$lib/offline/offline-cache';

/**
 * - `connecting`: first connection of this page;
 * - `reconnecting`: the connection dropped, a new one is being made;
 * - `syncing`: connected, exchanging what each side lacks;
 * - `connected`: synced, everything is on the server;
 * - `offline`: no network (or the server cannot be reached), or the session stopped.
 */
export type ConnectionStatus = 'connecting' | 'reconnecting' | 'syncing' | 'connected' | 'offline';

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

/** What an undo or redo step did, for the announcement. */
export interface EditLabel {
  kind: 'add' | 'update' | 'remove';
  title: string;
}

export interface SessionOptions {
  workshopId: string;
  /** The document to open (default: the workshop's plenary diagnostic), e.g. `groupDocumentName(id, groupId)`. */
  documentName?: string;
  /** Base URL of the document server; defaults to `ws(s)://<this host>/ws`. */
  serverUrl?: string;
  /** Called with entries other participants added (not during the initial load). */
  onRemoteAdded?: (entries: DiagnosticEntry[]) => void;
  /**
   * Looking in without being there (control room): no presence is ever announced, nothing is kept on this device,
   * and the session never writes.
   */
  observer?: boolean;
  /** Keeps the local copy of different people on a shared device apart (e.g. the member id). */
  scope?: string;
}

/** At most this many document reloads (after refused edits) per minute before giving up. */
const MAX_RELOADS_PER_MINUTE = 5;
/** How long the local copy may take to open before connecting without it. */
const LOCAL_LOAD_TIMEOUT_MS = 2_000;

function defaultServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

const browserOffline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

/** localStorage, when this browser lets us use it. */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readNumber(key: string): number {
  const n = Number(storage()?.getItem(key) ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    /* quota or private mode: the counter is only informative */
  }
}

export class DiagnosticSession {
  /** All entries, oldest first. Replaced (not mutated) on every change. */
  entries = $state.raw<DiagnosticEntry[]>([]);
  /** Everyone present on this document, this browser tab included (`self`). */
  peers = $state.raw<Peer[]>([]);
  status = $state<ConnectionStatus>('connecting');
  /** True once the document has been synced with the server at least once by this page. */
  loaded = $state(false);
  /** True once the copy kept on this device has been read (always false for observers). */
  localLoaded = $state(false);
  /** True once a connection has been established at least once (to say "Reconnexion…" rather than "Connexion…"). */
  wasConnected = $state(false);
  /** Local changes made while disconnected, not yet sent by a sync. Kept across reloads. */
  pendingChanges = $state(0);
  /** The document is kept on this device (IndexedDB opened). */
  storedLocally = $state(false);
  /** The page itself can be opened again without a network (the service worker kept it). */
  offlineReady = $state(false);
  canUndo = $state(false);
  canRedo = $state(false);
  error = $state<SessionError | null>(null);
  /** The server closed the connection for good: edits would never be sent. */
  stopped = $state(false);

  readonly documentName: string;
  readonly observer: boolean;
  readonly #serverUrl: string;
  readonly #onRemoteAdded: ((entries: DiagnosticEntry[]) => void) | undefined;
  /** IndexedDB database and localStorage keys of this document (and person). */
  readonly #storeName: string;
  readonly #pendingKey: string;
  readonly #syncedKey: string;
  /** This device synced this document with the server before (its local copy is a real copy, not an empty start). */
  readonly #everSynced: boolean;
  /** Origin of this tab's own transactions: the only ones undo/redo tracks. */
  readonly #origin = { session: 'local' };
  #doc!: Y.Doc;
  #provider!: WebsocketProvider;
  #persistence: IndexeddbPersistence | null = null;
  #undo: Y.UndoManager | null = null;
  #cleanup: (() => void)[] = [];
  #presence: PresenceState | null = null;
  /** Entry ids already seen, to tell new remote entries apart. */
  #knownIds = new Set<string>();
  /** Entry ids added from this tab. */
  #localIds = new Set<string>();
  /** Label of the edit being made (set just before the transaction, read by the undo manager). */
  #nextLabel: EditLabel | null = null;
  #reloads: number[] = [];
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  readonly #onOnline = (): void => {
    if (!this.stopped && !this.#destroyed) this.#provider.connect();
    this.#refreshStatus();
  };
  readonly #onOffline = (): void => {
    // A dead wifi can leave the socket half open for a long time: close it now, reconnect on `online`.
    if (!this.#destroyed) this.#provider.disconnect();
    this.#refreshStatus();
  };

  constructor(options: SessionOptions) {
    this.documentName = options.documentName ?? documentName(options.workshopId, 'diagnostic');
    this.observer = options.observer === true;
    this.#serverUrl = options.serverUrl ?? defaultServerUrl();
    this.#onRemoteAdded = options.onRemoteAdded;
    const key = `${options.scope ? `${options.scope}:` : ''}${this.documentName}`;
    this.#storeName = `agora-doc:${key}`;
    this.#pendingKey = `agora-pending:${key}`;
    this.#syncedKey = `agora-synced:${key}`;
    this.#everSynced = !this.observer && storage()?.getItem(this.#syncedKey) === '1';
    if (!this.observer) this.pendingChanges = readNumber(this.#pendingKey);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
    this.#open();
    if (!this.observer) {
      void prepareOffline().then((ok) => {
        if (!this.#destroyed) this.offlineReady = ok;
      });
    }
  }

  /** Creates a fresh Y.Doc, its local copy and its provider, and wires them to the reactive state. */
  #open(): void {
    const doc = new Y.Doc();
    const persistence = this.observer ? null : new IndexeddbPersistence(this.#storeName, doc);
    const provider = new WebsocketProvider(this.#serverUrl, this.documentName, doc, {
      connect: false,
      // Cross-tab sync is off: a refused edit must not come back from another tab after a reload.
      disableBc: true,
      // Only reconnect when the domain says so (e.g. 4408 and 4429 are transient, 4404 is not).
      shouldReconnect: (event) => adviceForClose(event.code) === 'reconnect',
    });
    // An observer never shows up: no presence state, not even the default `{}`, before connecting.
    if (this.observer) provider.awareness.setLocalState(null);
    this.#doc = doc;
    this.#provider = provider;
    this.#persistence = persistence;
    this.localLoaded = false;
    this.storedLocally = false;

    const refreshEntries = (): void => this.#readEntries();
    const unobserve = observeEntries(doc, refreshEntries);

    const onUpdate = (_update: Uint8Array, origin: unknown): void => {
      if (origin === provider || origin === persistence) return; // from the server, or read back from this device
      // A local change that cannot be sent right now: the provider sends it with the next sync.
      if (!provider.wsconnected) {
        this.#setPending(this.pendingChanges + 1);
        this.#refreshStatus();
      }
    };
    doc.on('update', onUpdate);

    const onStatus = (): void => this.#refreshStatus();
    provider.on('status', onStatus);

    const onSync = (synced: boolean): void => {
      if (synced) {
        // The server's state is here and ours was sent in reply to its sync step 1.
        this.#setPending(0);
        this.wasConnected = true;
        write(this.#syncedKey, '1');
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
          void this.#reload(event.code, event.reason);
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
    if (!this.observer) awareness.setLocalState(this.#presence);

    const undo = this.observer ? null : this.#makeUndoManager(doc);
    this.#undo = undo;
    this.canUndo = false;
    this.canRedo = false;

    this.#cleanup = [
      unobserve,
      () => doc.off('update', onUpdate),
      () => provider.off('status', onStatus),
      () => provider.off('sync', onSync),
      () => provider.off('connection-close', onClose),
      () => awareness.off('change', onAwareness),
      () => undo?.destroy(),
    ];
    this.#readEntries();
    this.#readPeers();
    this.#refreshStatus();

    // Read the local copy first (the server then only sends what it lacks), but never wait long for it.
    const connect = (): void => {
      if (provider !== this.#provider || this.#destroyed || this.stopped) return;
      if (!browserOffline()) provider.connect();
      this.#refreshStatus();
    };
    if (persistence) {
      let connected = false;
      const once = (): void => {
        if (connected) return;
        connected = true;
        connect();
      };
      void persistence.whenSynced.then(() => {
        if (provider !== this.#provider) return;
        this.localLoaded = true;
        this.storedLocally = true;
        this.#readEntries();
        once();
      });
      setTimeout(once, LOCAL_LOAD_TIMEOUT_MS);
    } else {
      connect();
    }
  }

  #makeUndoManager(doc: Y.Doc): Y.UndoManager {
    // Only this tab's own edits: remote changes, the server's and the local copy's are never undone.
    const undo = new Y.UndoManager(entriesMap(doc), { trackedOrigins: new Set([this.#origin]), captureTimeout: 0 });
    const refresh = (): void => {
      this.canUndo = undo.canUndo();
      this.canRedo = undo.canRedo();
    };
    undo.on('stack-item-added', (event) => {
      if (this.#nextLabel) event.stackItem.meta.set('label', this.#nextLabel);
      refresh();
    });
    undo.on('stack-item-popped', refresh);
    undo.on('stack-cleared', refresh);
    return undo;
  }

  #close(): void {
    for (const fn of this.#cleanup) fn();
    this.#cleanup = [];
    this.#provider.awareness.setLocalState(null);
    this.#provider.destroy();
    this.#provider.awareness.destroy();
    this.#doc.destroy(); // also closes the local copy (y-indexeddb listens to the doc's destroy)
  }

  /** Drops the local document (and the refused change in it, on this device too) and loads the server's copy again. */
  async #reload(code: number, reason: string): Promise<void> {
    if (this.#destroyed) return;
    const now = Date.now();
    this.#reloads = this.#reloads.filter((t) => now - t < 60_000);
    const persistence = this.#persistence;
    this.#close();
    this.#setPending(0);
    if (persistence) {
      // Otherwise the refused change would come back from IndexedDB at the next load.
      try {
        await persistence.clearData();
        await clearDocument(this.#storeName);
      } catch {
        /* the database may already be gone */
      }
    }
    if (this.#destroyed) return;
    if (this.#reloads.length >= MAX_RELOADS_PER_MINUTE) {
      this.stopped = true;
      this.error = { kind: 'reload-loop', code, reason };
      // Keep a disconnected document so that the page still shows the last state read.
      this.#doc = new Y.Doc();
      this.#persistence = null;
      this.#undo = null;
      this.canUndo = false;
      this.canRedo = false;
      this.#provider = new WebsocketProvider(this.#serverUrl, this.documentName, this.#doc, { connect: false, disableBc: true });
      this.#refreshStatus();
      return;
    }
    this.#reloads.push(now);
    this.error = { kind: 'refused', code, reason };
    this.#open();
  }

  #setPending(n: number): void {
    this.pendingChanges = n;
    if (!this.observer) write(this.#pendingKey, n > 0 ? String(n) : null);
  }

  #readEntries(): void {
    const entries = readEntries(this.#doc);
    const added: DiagnosticEntry[] = [];
    for (const e of entries) {
      if (this.#knownIds.has(e.id)) continue;
      this.#knownIds.add(e.id);
      if (this.loaded && !this.#localIds.has(e.id)) added.push(e);
    }
    // Before the first sync, the document only holds what the server sends (or this device kept): nothing to announce.
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
    if (this.stopped || browserOffline()) {
      this.status = 'offline';
    } else if (p.wsconnected) {
      this.status = p.synced ? 'connected' : 'syncing';
    } else if (p.wsUnsuccessfulReconnects >= 2) {
      this.status = 'offline';
    } else {
      // A document this device already synced, or changes waiting: it is a reconnection.
      this.status = this.wasConnected || this.#everSynced || this.pendingChanges > 0 ? 'reconnecting' : 'connecting';
    }
  }

  /**
   * Whether what is shown is the document (the server's, or the copy this device kept from it), rather than an
   * empty document still waiting for its first load.
   */
  get ready(): boolean {
    return this.loaded || (this.localLoaded && this.#everSynced);
  }

  /** Whether the participant may edit (the server will receive the changes, now or after a reconnection). */
  get canEdit(): boolean {
    return !this.stopped && !this.observer;
  }

  /** Leaving now would leave changes on this device only: worth a warning (only when offline). */
  get warnBeforeLeaving(): boolean {
    return this.pendingChanges > 0 && this.status === 'offline' && !this.stopped;
  }

  /** Sets who this participant is (presence); null hides them from the others. Observers never show up. */
  setIdentity(identity: Identity | null): void {
    if (this.observer) return;
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
    if (this.observer || !this.#presence || this.#presence.editing === entryId) return;
    this.#presence = { ...this.#presence, editing: entryId };
    this.#provider.awareness.setLocalState(this.#presence);
  }

  /** Runs a local edit as this tab's own transaction (undoable), labelled for the announcements. */
  #edit<T>(label: EditLabel, fn: () => T): T {
    if (this.observer) throw new Error('observer sessions never write');
    this.#nextLabel = label;
    try {
      let result!: T;
      this.#doc.transact(() => {
        result = fn();
      }, this.#origin);
      return result;
    } finally {
      this.#nextLabel = null;
    }
  }

  /** Adds an entry (validated by the caller) and returns its id. */
  add(input: EntryInput, author: string): string {
    // The id is chosen first so that the change observer already knows the entry is ours.
    const id = newEntryId();
    this.#localIds.add(id);
    this.#edit({ kind: 'add', title: input.title }, () => addEntry(this.#doc, input, author, Date.now(), id));
    return id;
  }

  /** Writes only the fields in `patch` that differ from the document. Returns whether anything changed. */
  update(id: string, patch: EntryPatch): boolean {
    const title = patch.title ?? this.get(id)?.title ?? '';
    return this.#edit({ kind: 'update', title }, () => updateEntry(this.#doc, id, patch));
  }

  remove(id: string): boolean {
    const title = this.get(id)?.title ?? '';
    return this.#edit({ kind: 'remove', title }, () => deleteEntry(this.#doc, id));
  }

  /** Undoes this tab's last own edit; returns what it was, or null when there is nothing to undo. */
  undo(): EditLabel | null {
    return this.#step('undo');
  }

  /** Redoes the last undone edit; returns what it was, or null. */
  redo(): EditLabel | null {
    return this.#step('redo');
  }

  #step(which: 'undo' | 'redo'): EditLabel | null {
    const manager = this.#undo;
    if (!manager || this.stopped) return null;
    const stack = which === 'undo' ? manager.undoStack : manager.redoStack;
    const item = stack[stack.length - 1];
    if (!item) return null;
    const label = (item.meta.get('label') as EditLabel | undefined) ?? null;
    // The opposite stack receives a new item during the step: it keeps the same label.
    this.#nextLabel = label;
    try {
      if (which === 'undo') manager.undo();
      else manager.redo();
    } finally {
      this.#nextLabel = null;
    }
    return label ?? { kind: 'update', title: '' };
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
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    this.#close();
  }
}
