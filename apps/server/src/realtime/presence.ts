import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MAX_PRESENCE_BYTES, PresenceStateSchema, type PresenceState } from '@agora/domain';
import { presenceDropped } from '../ops/metrics.ts';
import type { Connection } from './connection.ts';

// Bound once: a dropped state is counted without hashing its labels each time (echo storms drop thousands a second).
const echoesDroppedMetric = presenceDropped.labels({ kind: 'echo' });
const statesDroppedMetric = presenceDropped.labels({ kind: 'state' });

/** Same value as y-protocols' outdatedTimeout: clients renew every 15 s and drop states older than 30 s. */
export const PRESENCE_TIMEOUT_MS = 30_000;
/** Renewals that change nothing are relayed at most this often (they only keep states alive). */
export const RENEWAL_FLUSH_MS = 1_000;
/** Presence messages one connection may send per second; the rest are dropped. */
export const PRESENCE_MESSAGES_PER_SECOND = 20;
/**
 * How many of the last broadcasts an incoming update is compared with. y-websocket clients send back every state
 * they receive, so after each broadcast every client returns (mostly) the very same bytes: 500 clients renewing
 * within the same seconds, as they do when a workshop starts together, send back 500 copies of a 15 KiB batch.
 */
const RECENT_BROADCASTS = 8;

/** Presence of clients connected to another instance belongs to that instance. */
interface RemoteOwner {
  instance: string;
}
type Owner = Connection | RemoteOwner;

interface ClientPresence {
  clock: number;
  /** JSON of the state, or null once removed. */
  json: string | null;
  owner: Owner;
  lastUpdated: number;
}

const utf8 = new TextDecoder();

/**
 * The server side of y-protocols awareness for one document, built for many clients:
 * - stale updates (echoes of what the server sent, old clocks) are dropped before any JSON is parsed;
 * - a client id belongs to the connection that announced it; nobody else can change or remove it;
 * - states are checked against the domain's presence schema and size limit;
 * - changes are coalesced and sent once per tick as one frame to everyone, and mere renewals once a second.
 */
export class PresenceRelay {
  private readonly clients = new Map<number, ClientPresence>();
  private readonly pending = new Set<number>();
  private pendingChange = false;
  private immediate: NodeJS.Immediate | null = null;
  private timeout: NodeJS.Timeout | null = null;
  dropped = 0;

  private readonly remoteOwners = new Map<string, RemoteOwner>();
  /** The last updates broadcast (newest last): an echo byte for byte equal to one is dropped undecoded. */
  private readonly recent: Buffer[] = [];
  /** Whole updates dropped that way (each entry of the others dropped counts in `dropped`). */
  echoesDropped = 0;

  constructor(
    private readonly broadcast: (awarenessUpdate: Uint8Array) => void,
    /** Sends the changes of this instance's own clients to the other instances. */
    private readonly publish: ((awarenessUpdate: Uint8Array) => void) | null = null,
  ) {}

  /** Applies an awareness update from `conn`. Throws on a malformed update (the caller closes the socket). */
  receive(conn: Connection, update: Uint8Array, now = Date.now()): void {
    // An update equal to one the server broadcast holds only states at clocks the server already has: every entry
    // would be dropped as stale below, so it is dropped before any decoding (the same outcome, none of the work).
    if (this.isEcho(update)) {
      this.echoesDropped++;
      echoesDroppedMetric.inc();
      return;
    }
    // Only a message that changes this connection's own states is charged to its budget: echoes of other people's
    // states (every y-websocket client sends them back) are dropped for free, so a connect storm cannot use up the
    // budget and make the server drop a client's own change.
    let allowed: boolean | null = null;
    this.apply(conn, update, now, (json) => stampPresence(json, conn), () => (allowed ??= this.takeBudget(conn, now)));
  }

  /** Applies presence relayed by another instance (already checked and stamped there). */
  receiveRemote(instance: string, update: Uint8Array, now = Date.now()): void {
    let owner = this.remoteOwners.get(instance);
    if (!owner) {
      owner = { instance };
      this.remoteOwners.set(instance, owner);
    }
    this.apply(owner, update, now, (json) => json);
  }

  private apply(conn: Owner, update: Uint8Array, now: number, check: (json: string) => string | null, budget: () => boolean = () => true): void {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const bytes = decoding.readVarUint8Array(d);
      if (d.pos > update.byteLength) throw new RangeError('truncated awareness update');
      const cur = this.clients.get(clientId);
      if (cur && cur.owner !== conn) {
        this.drop(); // an echo of someone else's state, or an attempt to speak for them
        continue;
      }
      const isRemoval = bytes.byteLength === 4 && utf8.decode(bytes) === 'null';
      const fresh = !cur || clock > cur.clock || (clock === cur.clock && isRemoval && cur.json !== null);
      if (!fresh || !budget()) {
        this.drop();
        continue;
      }
      if (isRemoval) {
        this.set(clientId, { clock, json: null, owner: conn, lastUpdated: now }, false);
        if ('clientIds' in conn) conn.clientIds.add(clientId);
        continue;
      }
      if (bytes.byteLength > MAX_PRESENCE_BYTES) {
        this.drop();
        continue;
      }
      const json = check(utf8.decode(bytes));
      if (json === null) {
        this.drop();
        continue;
      }
      const renewal = cur !== undefined && cur.json === json;
      if ('clientIds' in conn) conn.clientIds.add(clientId);
      this.set(clientId, { clock, json, owner: conn, lastUpdated: now }, renewal);
    }
  }

  /** Removes every state a connection owned (it closed). */
  removeConnection(conn: Connection, now = Date.now()): void {
    for (const id of conn.clientIds) {
      const cur = this.clients.get(id);
      if (cur && cur.owner === conn && cur.json !== null) {
        this.set(id, { ...cur, clock: cur.clock + 1, json: null, lastUpdated: now }, false);
      }
    }
  }

  /** Drops states that were not renewed in time (a client that vanished without closing). */
  expire(now = Date.now()): void {
    for (const [id, cur] of this.clients) {
      if (cur.json !== null && now - cur.lastUpdated > PRESENCE_TIMEOUT_MS) {
        this.set(id, { ...cur, clock: cur.clock + 1, json: null, lastUpdated: now }, false);
      }
    }
  }

  /** The current states, as one awareness update (sent to a client when it joins or asks). */
  snapshot(): Uint8Array | null {
    const live = [...this.clients].filter(([, c]) => c.json !== null);
    return live.length ? encodeStates(live) : null;
  }

  get size(): number {
    let n = 0;
    for (const c of this.clients.values()) if (c.json !== null) n++;
    return n;
  }

  states(): { clientId: number; state: unknown }[] {
    return [...this.clients].filter(([, c]) => c.json !== null).map(([clientId, c]) => ({ clientId, state: JSON.parse(c.json ?? 'null') }));
  }

  destroy(): void {
    this.cancelTimers();
    this.clients.clear();
    this.pending.clear();
    this.recent.length = 0;
  }

  private set(id: number, value: ClientPresence, renewal: boolean): void {
    this.clients.set(id, value);
    this.pending.add(id);
    if (!renewal) this.pendingChange = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.pendingChange) {
      this.immediate ??= setImmediate(() => this.flush());
    } else if (!this.immediate && !this.timeout) {
      this.timeout = setTimeout(() => this.flush(), RENEWAL_FLUSH_MS);
    }
  }

  private flush(): void {
    this.cancelTimers();
    this.pendingChange = false;
    if (this.pending.size === 0) return;
    const entries: [number, ClientPresence][] = [];
    for (const id of this.pending) {
      const c = this.clients.get(id);
      if (c) entries.push([id, c]);
    }
    this.pending.clear();
    const update = encodeStates(entries);
    this.recent.push(Buffer.from(update.buffer, update.byteOffset, update.byteLength));
    if (this.recent.length > RECENT_BROADCASTS) this.recent.shift();
    this.broadcast(update);
    if (this.publish) {
      const own = entries.filter(([, c]) => 'clientIds' in c.owner);
      if (own.length > 0) this.publish(encodeStates(own));
    }
  }

  private drop(): void {
    this.dropped++;
    statesDroppedMetric.inc();
  }

  private isEcho(update: Uint8Array): boolean {
    return this.recent.some((r) => r.equals(update)); // equals() compares lengths first: a mismatch costs nothing
  }

  private cancelTimers(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timeout) clearTimeout(this.timeout);
    this.immediate = null;
    this.timeout = null;
  }

  private takeBudget(conn: Connection, now: number): boolean {
    const b = conn.presenceBudget;
    if (now - b.windowStart >= 1000) {
      b.windowStart = now;
      b.count = 0;
    }
    return ++b.count <= PRESENCE_MESSAGES_PER_SECOND;
  }
}

function encodeStates(entries: [number, ClientPresence][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const [id, c] of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, c.clock);
    encoding.writeVarString(e, c.json ?? 'null');
  }
  return encoding.toUint8Array(e);
}

/**
 * Checks a presence state and stamps the identity of the connection into it, so that nobody can appear under
 * another's name or role. Returns the JSON to relay, or null to drop it. `{}` is the y-protocols default state
 * (stock clients send it) and is relayed as it is.
 */
function stampPresence(json: string, conn: Connection): string | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return json;
  const parsed = PresenceStateSchema.safeParse(value);
  if (!parsed.success) return null;
  // Identity fields come from the server only: whatever the client put there is dropped first.
  const { id: _id, role: _role, ...user } = parsed.data.user;
  const id = conn.identity;
  if (!id) return JSON.stringify({ ...parsed.data, user });
  const state: PresenceState = {
    ...parsed.data,
    user: {
      ...user,
      name: id.name,
      organisation: id.organisation,
      ...(id.memberId ? { id: id.memberId } : {}),
      ...(id.role ? { role: id.role } : {}),
    },
  };
  return JSON.stringify(state);
}
