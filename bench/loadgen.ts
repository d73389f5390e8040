/**
 * The load generator: one process (pinned to its own core by run.ts) holding every benchmark client.
 * It is driven by run.ts over IPC, one command at a time (see `commands` below), so that the runner can
 * sample the server between steps (memory after connect, restarts for cold loads).
 *
 * Two kinds of clients, speaking the same y-websocket protocol to the server:
 * - real: `y-websocket` 3.1.0 WebsocketProvider + Y.Doc, as a browser tab would (minus BroadcastChannel);
 *   latency is taken in `observeDeep` on the diagnostic's entries.
 * - raw: a plain `ws` socket that does the sync handshake, answers the server's step 1, finds the edit markers in
 *   incoming update frames without applying them, and (presence on) behaves like a provider's awareness: it
 *   announces and renews its own state and echoes every state change it receives, as y-websocket does.
 *   A raw writer keeps a local Y.Doc with only its own entry and sends its updates. Raw clients cost the load
 *   generator far less than real ones, for the large-N and throughput runs.
 *
 * Latency method (realtime.md §5): each writer edits on a fixed schedule; the intended send time tIntended is
 * kept per (writer, seq) and the edit's title carries `p<phase> w<writer> #<seq>`. A receiver that first sees
 * seq s of writer w at time now records now − tIntended for every seq up to s it had not seen (an edit merged
 * into a later one is delivered when its successor is), so server coalescing and the generator's own lateness
 * are both accounted for (no coordinated omission). Only edits whose tIntended lies in the measure window count;
 * deliveries are counted against (edits sent in the window) × (N − 1).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { addEntry, deleteEntry, emptyEntryInput, entriesMap, updateEntry, type EntryPatch } from '@agora/domain';
import { leverIdsForRegion } from '@agora/domain/catalogue';
import {
  EMPTY_STATE_VECTOR,
  MSG_AUTH,
  MSG_AWARENESS,
  MSG_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  awarenessFrame,
  parseFrame,
  syncFrame,
  type AwarenessEntry,
} from './lib/protocol.ts';
import { Samples, median, prng, round, type LatencySummary } from './lib/stats.ts';

process.setMaxListeners(0); // every WebsocketProvider adds a process 'exit' listener

// ---------------------------------------------------------------------------------------------------------------
// Target and shared state

interface Target {
  wsBase: string;
  /** Several instances of one cluster: client i connects to wsBases[i % length] (writer 0 on the first). */
  wsBases?: string[];
  docName: string;
  cookie: string | null;
}

let target: Target | null = null;
const INJECT_LOSS = process.env.BENCH_INJECT_LOSS === '1';
const MAX_WRITERS = 64;
const DESCRIPTION =
  'Déploiement de bornes de recharge sur les aires de covoiturage du département, suivi trimestriel par la DREAL';
const te = new TextEncoder();
const NULL_JSON = te.encode('null');

/**
 * Options of every client socket. A zero masking key (RFC 6455 lets the client pick any key; `ws` then skips the
 * XOR): the frames on the wire are the same, the generator's core is spared masking every byte it sends, which at
 * N = 500 with presence on (each client sends back every batch of states it receives) is megabytes a second.
 */
function clientOptions(cookie: string | null): WebSocket.ClientOptions {
  return { generateMask: (mask: Buffer) => void mask.fill(0), ...(cookie ? { headers: { cookie } } : {}) };
}

function wsClass(cookie: string | null): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, clientOptions(cookie));
    }
  } as typeof WebSocket;
}

/** The server a client connects to: the only one, or one of a cluster's instances in turn. */
function baseFor(t: Target, index: number): string {
  return t.wsBases && t.wsBases.length > 0 ? t.wsBases[index % t.wsBases.length]! : t.wsBase;
}

function docUrl(t: Target, index: number): string {
  return `${baseFor(t, index)}/${encodeURIComponent(t.docName)}`;
}

function presenceState(i: number): { user: { name: string; color: string }; editing: null } {
  return { user: { name: `Bench ${i}`, color: '#1d4ed8' }, editing: null };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether `doc` holds everything the state vector `sv` says was written (each client's clock reached). */
function holdsAll(doc: Y.Doc, sv: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(sv)) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

async function waitUntil(cond: () => boolean, timeoutMs: number, stepMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
    if (cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Phases (the measured edit runs)

class Phase {
  readonly t: Float64Array[] = [];
  readonly lat = new Samples();
  /** The same latencies split by receiver kind (to check raw clients against real ones). */
  readonly latBy = { real: new Samples(), raw: new Samples() };
  delivered = 0;
  deliveredAll = 0;
  measureSent = 0;
  sentAll = 0;
  readonly sendLag = new Samples();
  /** The bytes every marker of this phase starts with. */
  readonly needle: Buffer;

  constructor(
    readonly id: number,
    readonly writers: number,
    readonly warmEnd: number,
    readonly measureEnd: number,
    capacity: number,
  ) {
    for (let w = 0; w < writers; w++) this.t.push(new Float64Array(capacity + 2));
    this.needle = Buffer.from(`p${id} w`, 'latin1');
  }

  /** Receiver `c` has now seen writer w's edits up to `seq`. */
  seen(c: BenchClient, w: number, seq: number, now: number): void {
    if (w >= this.writers || c.index === w) return;
    const last = c.last[w]!;
    if (seq <= last) return;
    const times = this.t[w]!;
    for (let s = last + 1; s <= seq; s++) {
      const t = times[s]!;
      if (t === 0) continue; // not sent (cannot happen: markers are only sent after their time is recorded)
      this.deliveredAll++;
      if (t >= this.warmEnd && t < this.measureEnd) {
        this.lat.push(now - t);
        this.latBy[c.kind].push(now - t);
        this.delivered++;
      }
    }
    c.last[w] = seq;
  }
}

let phase: Phase | null = null;

function onMarkerText(c: BenchClient, text: string, now: number): void {
  const p = phase;
  if (!p) return;
  const m = /^p(\d+) w(\d+) #(\d+)/.exec(text);
  if (!m || Number(m[1]) !== p.id) return;
  p.seen(c, Number(m[2]), Number(m[3]), now);
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

interface BenchClient {
  readonly index: number;
  readonly kind: 'real' | 'raw';
  /** Real: the synced document. Raw: a local document holding only what this client wrote. */
  readonly doc: Y.Doc;
  readonly synced: Promise<void>;
  /** Last seq seen per writer in the current phase. */
  last: Int32Array;
  entryId: string | null;
  closes: { code: number; reason: string }[];
  deniedMessages: number;
  /** Presence states this client currently sees (other clients'; real: including its own). */
  presenceSeen(): number;
  destroy(): void;
}

class RealClient implements BenchClient {
  readonly kind = 'real' as const;
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly synced: Promise<void>;
  last = new Int32Array(MAX_WRITERS);
  entryId: string | null = null;
  closes: { code: number; reason: string }[] = [];
  deniedMessages = 0;

  constructor(
    readonly index: number,
    t: Target,
    presence: boolean,
    /** False for helpers (holder, checker, late joiners): their deliveries are not counted. */
    measure = true,
  ) {
    this.provider = new WebsocketProvider(baseFor(t, index), t.docName, this.doc, {
      WebSocketPolyfill: wsClass(t.cookie) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      resyncInterval: -1,
      maxBackoffTime: 2500,
    });
    if (presence) this.provider.awareness.setLocalState(presenceState(index));
    else this.provider.awareness.setLocalState(null);
    this.synced = new Promise((resolve) => {
      const onSync = (s: boolean): void => {
        if (s) {
          this.provider.off('sync', onSync);
          resolve();
        }
      };
      this.provider.on('sync', onSync);
    });
    this.provider.on('connection-close', (e) => {
      if (e) this.closes.push({ code: e.code, reason: e.reason });
    });
    const entries = entriesMap(this.doc);
    if (!measure) return;
    entries.observeDeep((events, tr) => {
      if (tr.local || !phase) return;
      const now = performance.now();
      for (const ev of events) {
        if (ev.target === entries || !(ev.target instanceof Y.Map) || !(ev as Y.YMapEvent<unknown>).keysChanged.has('title')) continue;
        const title = ev.target.get('title');
        if (typeof title === 'string') onMarkerText(this, title, now);
      }
    });
  }

  presenceSeen(): number {
    return this.provider.awareness.getStates().size;
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/**
 * The entries of an awareness frame. The server sends one broadcast to every client, so the raw clients receive
 * the same bytes one after the other: the last frame's entries are kept and reused (read-only) when the next frame
 * is equal, sparing the generator's core one decoding per client.
 */
let lastAwareness: { bytes: Buffer; entries: AwarenessEntry[] } | null = null;
function awarenessEntries(data: Buffer): AwarenessEntry[] | null {
  if (lastAwareness && lastAwareness.bytes.equals(data)) return lastAwareness.entries;
  const f = parseFrame(data);
  if (f.type !== 'awareness') return null;
  lastAwareness = { bytes: data, entries: f.entries };
  return f.entries;
}

class RawClient implements BenchClient {
  readonly kind = 'raw' as const;
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  readonly synced: Promise<void>;
  last = new Int32Array(MAX_WRITERS);
  entryId: string | null = null;
  closes: { code: number; reason: string }[] = [];
  deniedMessages = 0;
  private readonly clientId = Math.floor(Math.random() * 0xffffffff) >>> 0;
  private clock = 1;
  private readonly stateJson: Uint8Array;
  /** Awareness clock (and liveness) of every client this one heard of, as y-protocols keeps them. */
  private readonly known = new Map<number, { clock: number; live: boolean }>();
  lastRenewal = 0;
  private updatesSent = 0;
  readonly renewAfterMs: number;
  private resolveSynced!: () => void;

  constructor(
    readonly index: number,
    t: Target,
    readonly presence: boolean,
  ) {
    this.stateJson = te.encode(JSON.stringify(presenceState(index)));
    // y-protocols checks every 3 s whether 15 s passed since the last renewal: renewals land 15–18 s apart.
    this.renewAfterMs = 15_000 + Math.random() * 3_000;
    this.synced = new Promise((r) => (this.resolveSynced = r));
    this.ws = new WebSocket(docUrl(t, index), clientOptions(t.cookie));
    this.ws.on('open', () => {
      this.ws.send(syncFrame(SYNC_STEP1, Y.encodeStateVector(this.doc)));
      if (presence) {
        this.lastRenewal = performance.now();
        this.ws.send(awarenessFrame([{ clientId: this.clientId, clock: this.clock, json: this.stateJson }]));
      }
    });
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.ws.on('close', (code, reason) => this.closes.push({ code, reason: reason.toString() }));
    this.ws.on('error', () => undefined);
    this.doc.on('update', (update: Uint8Array) => {
      // BENCH_INJECT_LOSS=1: drop this client's 10th update, to check that the smoke run notices a lost update.
      if (INJECT_LOSS && ++this.updatesSent === 10) return;
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(syncFrame(SYNC_UPDATE, update));
    });
  }

  private onMessage(data: Buffer): void {
    const outer = data[0];
    if (outer === MSG_SYNC) {
      const sub = data[1];
      if (sub === SYNC_UPDATE) {
        this.scan(data);
      } else if (sub === SYNC_STEP1) {
        const f = parseFrame(data);
        if (f.type === 'sync') this.ws.send(syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, f.payload)));
      } else if (sub === SYNC_STEP2) {
        this.resolveSynced();
      }
    } else if (outer === MSG_AWARENESS) {
      if (!this.presence) return;
      const entries = awarenessEntries(data);
      if (!entries) return;
      const echo: AwarenessEntry[] = [];
      for (const e of entries) {
        if (e.clientId === this.clientId) continue;
        const isNull = e.json.byteLength === 4 && e.json[0] === 110 && e.json[1] === 117; // "null"
        const m = this.known.get(e.clientId);
        const cur = m?.clock ?? 0;
        if (cur < e.clock || (cur === e.clock && isNull && m?.live === true)) {
          this.known.set(e.clientId, { clock: e.clock, live: !isNull });
          // y-protocols emits 'update' for added, updated and removed states, and y-websocket sends them all back.
          if (!isNull || m !== undefined) echo.push(e);
        }
      }
      // When every entry is news (the usual case: a batch of renewals), the echo is the frame itself, byte for byte
      // what re-encoding the entries would give: the generator's core is spared 500 encodings per relayed batch.
      if (echo.length && this.ws.readyState === WebSocket.OPEN) this.ws.send(echo.length === entries.length ? data : awarenessFrame(echo));
    } else if (outer === MSG_AUTH) {
      this.deniedMessages++;
    }
  }

  /**
   * Finds edit markers (`p<phase> w<writer> #<seq>`) in an update frame without decoding it: Yjs stores strings
   * as plain UTF-8, so a byte search is enough (and far cheaper than applying the update).
   */
  private scan(data: Buffer): void {
    const p = phase;
    if (!p) return;
    const now = performance.now();
    const needle = p.needle;
    let best: Map<number, number> | null = null;
    for (let at = data.indexOf(needle), i = 0; at >= 0 && i < 100_000; at = data.indexOf(needle, at + needle.length), i++) {
      let k = at + needle.length;
      let w = 0;
      for (let c = data[k]; c !== undefined && c >= 48 && c <= 57; c = data[++k]) w = w * 10 + (c - 48);
      if (data[k] !== 32 || data[k + 1] !== 35) continue; // " #"
      k += 2;
      let seq = 0;
      for (let c = data[k]; c !== undefined && c >= 48 && c <= 57; c = data[++k]) seq = seq * 10 + (c - 48);
      best ??= new Map();
      if ((best.get(w) ?? 0) < seq) best.set(w, seq);
    }
    if (best) for (const [w, seq] of best) p.seen(this, w, seq, now);
  }

  renew(now: number): void {
    if (!this.presence || this.ws.readyState !== WebSocket.OPEN || now - this.lastRenewal < this.renewAfterMs) return;
    this.lastRenewal = now;
    this.clock++;
    this.ws.send(awarenessFrame([{ clientId: this.clientId, clock: this.clock, json: this.stateJson }]));
  }

  presenceSeen(): number {
    let n = 1;
    for (const k of this.known.values()) if (k.live) n++;
    return n;
  }

  destroy(): void {
    if (this.presence && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(awarenessFrame([{ clientId: this.clientId, clock: this.clock + 1, json: NULL_JSON }]));
    }
    this.ws.close();
    this.doc.destroy();
  }
}

let clients: BenchClient[] = [];
let renewTimer: NodeJS.Timeout | null = null;

function startRenewals(): void {
  renewTimer ??= setInterval(() => {
    const now = performance.now();
    for (const c of clients) if (c instanceof RawClient) c.renew(now);
  }, 250);
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

function requireTarget(): Target {
  if (!target) throw new Error('no target set');
  return target;
}

function entryInput(title: string) {
  return emptyEntryInput({ lever: 'augm_voitelec', territory: 'region:84', organisation: 'Bench', title });
}

const commands = {
  target(args: Target) {
    target = args;
    return { ok: true };
  },

  /** Connects n clients (the first `real` are WebsocketProviders, the rest raw), in batches, waiting for each batch to sync. */
  async connect(args: { n: number; real: number; presence: boolean; batch?: number; timeoutMs?: number }) {
    const t = requireTarget();
    const started = performance.now();
    const batch = args.batch ?? 25;
    // Adds to the clients already connected; indexes continue (the first `real` indexes overall are real clients).
    const base = clients.length;
    for (let i = base; i < base + args.n; i += batch) {
      const group: BenchClient[] = [];
      for (let j = i; j < Math.min(base + args.n, i + batch); j++) {
        const c = j < args.real ? new RealClient(j, t, args.presence) : new RawClient(j, t, args.presence);
        group.push(c);
        clients.push(c);
      }
      await withTimeout(Promise.all(group.map((c) => c.synced)), args.timeoutMs ?? 60_000, `clients ${i}..${i + group.length - 1} synced`);
    }
    if (args.presence) startRenewals();
    return { connectMs: round(performance.now() - started), clients: clients.length };
  },

  /** Presence states seen by the clients (should be N each when presence is on), and closes so far. */
  status() {
    const seen = clients.map((c) => c.presenceSeen());
    return {
      clients: clients.length,
      presenceSeenMin: seen.length ? Math.min(...seen) : 0,
      presenceSeenMedian: median(seen),
      closes: clients.reduce((n, c) => n + c.closes.length, 0),
      closeReasons: [...new Set(clients.flatMap((c) => c.closes.map((x) => `${x.code} ${x.reason}`)))].slice(0, 5),
      denied: clients.reduce((n, c) => n + c.deniedMessages, 0),
    };
  },

  /**
   * One measured run: `writers` clients (the first ones) each edit their own entry `rate` times a second for
   * warmupS + measureS seconds; then waits up to drainS for the last deliveries.
   */
  async phase(args: { id: number; writers: number; rate: number; warmupS: number; measureS: number; drainS: number }) {
    const W = args.writers;
    if (W > clients.length || W > MAX_WRITERS) throw new Error('not enough clients for the writers');
    // Each writer's own entry, created once (and seen by every real client before the clock starts).
    const created: BenchClient[] = [];
    for (let w = 0; w < W; w++) {
      const c = clients[w]!;
      if (!c.entryId) {
        c.entryId = addEntry(c.doc, entryInput(`w${w}`), 'bench');
        created.push(c);
      }
    }
    if (created.length) {
      const ids = clients.slice(0, W).map((c) => c.entryId!);
      await waitUntil(() => clients.every((c) => c.kind === 'raw' || ids.every((id) => entriesMap(c.doc).has(id))), 10_000);
      await sleep(300);
    }
    for (const c of clients) c.last.fill(0);

    const interval = 1000 / args.rate;
    const start = performance.now() + 50;
    const warmEnd = start + args.warmupS * 1000;
    const measureEnd = warmEnd + args.measureS * 1000;
    const capacity = Math.ceil(((measureEnd - start) / interval) * 1.01) + 4;
    const p = new Phase(args.id, W, warmEnd, measureEnd, capacity);
    phase = p;
    const next = Array.from({ length: W }, (_, w) => start + (w / W) * interval);
    const seqs = new Array<number>(W).fill(0);

    const loop = monitorEventLoopDelay({ resolution: 2 });
    let elu0 = performance.eventLoopUtilization();
    const measureTimer = setTimeout(() => {
      loop.enable();
      elu0 = performance.eventLoopUtilization();
    }, warmEnd - performance.now());
    let eluMeasure = 0;

    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        for (let w = 0; w < W; w++) {
          const c = clients[w]!;
          for (let k = 0; k < 10_000 && next[w]! <= now && next[w]! < measureEnd; k++) {
            const seq = ++seqs[w]!;
            const tIntended = next[w]!;
            p.t[w]![seq] = tIntended;
            updateEntry(c.doc, c.entryId!, { title: `p${p.id} w${w} #${seq}`, description: `${DESCRIPTION} (${seq})` } satisfies EntryPatch, Date.now());
            p.sentAll++;
            if (tIntended >= warmEnd) {
              p.measureSent++;
              p.sendLag.push(now - tIntended);
            }
            next[w]! += interval;
          }
        }
        if (now >= measureEnd) {
          clearInterval(timer);
          eluMeasure = performance.eventLoopUtilization(elu0).utilization;
          loop.disable();
          resolve();
        }
      };
      const timer = setInterval(tick, 1);
    });
    clearTimeout(measureTimer);

    const expected = p.measureSent * (clients.length - 1);
    const drainStart = performance.now();
    await waitUntil(() => p.delivered >= expected, args.drainS * 1000, 20);
    const drainMs = performance.now() - drainStart;
    phase = null;
    const latency: LatencySummary = p.lat.summary();
    const loopP99Ms = loop.percentile(99) / 1e6;
    const sendLagP99 = p.sendLag.summary().p99;
    return {
      writers: W,
      ratePerWriter: args.rate,
      totalRate: W * args.rate,
      clients: clients.length,
      sent: p.measureSent,
      expected,
      delivered: p.delivered,
      missing: expected - p.delivered,
      drainMs: round(drainMs),
      latency,
      hist: p.lat.histogram(),
      latencyByKind: { real: p.latBy.real.summary(), raw: p.latBy.raw.summary() },
      sendLagP99Ms: sendLagP99,
      loadgen: { loopP50Ms: round(loop.percentile(50) / 1e6), loopP99Ms: round(loopP99Ms), loopMaxMs: round(loop.max / 1e6), elu: round(eluMeasure, 3) },
      // The generator is the bottleneck if its event loop lags, or if it sent edits late (its timer ran late).
      invalid: loopP99Ms > 20 || sendLagP99 > 20 || loop.count === 0,
    };
  },

  /**
   * Convergence: every real client holds the same document, and a fresh real client (synced from the server)
   * holds the same entries; raw writers' entries match their local documents.
   */
  async converge(args: { timeoutMs: number }) {
    const t = requireTarget();
    const issues: string[] = [];
    const real = clients.filter((c): c is RealClient => c.kind === 'real');
    const sv = (d: Y.Doc): string => Buffer.from(Y.encodeStateVector(d)).toString('base64');
    const json = (d: Y.Doc): string => canonical(entriesMap(d).toJSON());
    if (real.length > 1) {
      const ok = await waitUntil(() => real.every((c) => sv(c.doc) === sv(real[0]!.doc)), args.timeoutMs, 50);
      if (!ok) issues.push(`real clients' state vectors differ`);
      else if (!real.every((c) => json(c.doc) === json(real[0]!.doc))) issues.push('real clients: same state vector, different entries');
    }
    const checker = new RealClient(1_000_000, t, false, false);
    try {
      await withTimeout(checker.synced, 30_000, 'checker synced');
      const writers = clients.filter((c) => c.entryId);
      const fresh = (): boolean =>
        writers.every((c) => canonical(entriesMap(checker.doc).get(c.entryId!)?.toJSON()) === canonical(entriesMap(c.doc).get(c.entryId!)?.toJSON()));
      if (!(await waitUntil(fresh, args.timeoutMs, 50))) issues.push('the server document lacks some writer edits');
      if (real.length > 0 && json(checker.doc) !== json(real[0]!.doc)) issues.push('a fresh client and the connected clients differ');
    } catch (err) {
      issues.push(String(err));
    } finally {
      checker.destroy();
    }
    const closes = clients.reduce((n, c) => n + c.closes.length, 0);
    return { ok: issues.length === 0, issues, closes };
  },

  disconnect() {
    phase = null;
    for (const c of clients) c.destroy();
    clients = [];
    if (renewTimer) clearInterval(renewTimer);
    renewTimer = null;
    return { ok: true };
  },

  // -------------------------------------------------------------------------------------------------------------
  // Late joiners

  /** Writes `edits` more edits of history (a seeded mix of adds, updates, deletes over many client ids). */
  async seed(args: { edits: number; chunk?: number; seed?: number; timeoutMs?: number }) {
    const t = requireTarget();
    const g = (seedState ??= newSeedState(args.seed ?? 1));
    if (!g.ws || g.ws.readyState !== WebSocket.OPEN) await connectSeedSocket(g, t);
    if (!holder) {
      holder = new RealClient(2_000_000, t, false, false);
      await withTimeout(holder.synced, 60_000, 'holder synced');
    }
    const h = holder;
    const chunk = args.chunk ?? 500;
    const started = performance.now();
    const deadline = started + (args.timeoutMs ?? 300_000);
    const caughtUp = (): boolean => holdsAll(h.doc, Y.encodeStateVector(g.doc));
    for (let done = 0; done < args.edits; ) {
      const n = Math.min(chunk, args.edits - done);
      for (let i = 0; i < n; i++) seedEdit(g);
      done += n;
      const ok = await waitUntil(() => caughtUp() || g.closed !== null, Math.max(1000, deadline - performance.now()), 5);
      if (g.closed) throw new Error(`seed connection closed: ${g.closed}`);
      if (!ok) throw new Error(`seeding: server did not keep up (timeout at ${done} edits)`);
    }
    return {
      ms: round(performance.now() - started),
      totalEdits: g.count,
      entries: entriesMap(g.doc).size,
      stateBytes: Y.encodeStateAsUpdate(h.doc).byteLength,
    };
  },

  /** Closes the seeding socket and the holder (before a server restart, so nothing reloads the document early). */
  release() {
    seedState?.ws?.close();
    if (seedState) seedState.ws = null;
    holder?.destroy();
    holder = null;
    return { ok: true };
  },

  /** Keeps one idle client on the document (the project server unloads documents that nobody holds). */
  async hold() {
    const t = requireTarget();
    if (!holder) {
      holder = new RealClient(2_000_000, t, false, false);
      await withTimeout(holder.synced, 60_000, 'holder synced');
    }
    return { ok: true };
  },

  /**
   * `count` late joiners one after the other. real: new Y.Doc + WebsocketProvider, construction → 'sync' (the
   * first sync step 2 applied). raw: socket construction → sync step 2 frame received (server + transfer only).
   * `editsPerS`: the history writer keeps editing meanwhile (the document changes between and during joins); each
   * real joiner must then catch up with what the writer had written when it synced (`converged`).
   */
  async join(args: { count: number; kind: 'real' | 'raw'; gapMs?: number; timeoutMs?: number; warmup?: number; editsPerS?: number }) {
    const t = requireTarget();
    let times: number[] = [];
    let bytes = 0;
    let matchesHistory: boolean | null = null;
    let converged: boolean | null = null;
    const g0 = seedState;
    const editing = args.editsPerS && g0 ? setInterval(() => seedEdit(g0), 1000 / args.editsPerS) : null;
    try {
      // The first joins of a fresh load-generator process run cold (unoptimised) client code: discard `warmup` of them.
      const warmup = args.warmup ?? 0;
      for (let j = 0; j < args.count + warmup; j++) {
        if (j === warmup) times = [];
        if (args.kind === 'real') {
          const t0 = performance.now();
          const c = new RealClient(3_000_000 + j, t, false, false);
          try {
            await withTimeout(c.synced, args.timeoutMs ?? 60_000, 'late joiner synced');
            times.push(performance.now() - t0);
            bytes = Y.encodeStateAsUpdate(c.doc).byteLength;
            if (editing && g0) {
              // Everything written before the joiner synced must reach it (with the state or right after it).
              const written = Y.encodeStateVector(g0.doc);
              const ok = await waitUntil(() => holdsAll(c.doc, written), 10_000);
              converged = (converged ?? true) && ok;
            } else if (seedState) {
              // The joiner must hold exactly what the history writer wrote (after a restart too).
              // Every entry the history ever created, as the history writer has it (deleted ones absent); entries
              // added by other benchmark writers are not part of the history.
              const g = seedState;
              const joined = entriesMap(c.doc);
              const mine = entriesMap(g.doc);
              let same = true;
              for (const id of g.allIds) if (canonical(joined.get(id)?.toJSON()) !== canonical(mine.get(id)?.toJSON())) same = false;
              matchesHistory = (matchesHistory ?? true) && same;
            }
          } finally {
            c.destroy();
          }
        } else {
          const r = await rawJoin(t, args.timeoutMs ?? 60_000);
          times.push(r.ms);
          bytes = r.bytes;
        }
        await sleep(args.gapMs ?? 100);
      }
    } finally {
      if (editing) clearInterval(editing);
    }
    return { times: times.map((x) => round(x)), median: round(median(times)), bytes, matchesHistory, converged };
  },

  exit() {
    setTimeout(() => process.exit(0), 50);
    return { ok: true };
  },
};

/** JSON with object keys sorted (Y.Map iteration order depends on the order updates were integrated). */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

function rawJoin(t: Target, timeoutMs: number): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ws = new WebSocket(docUrl(t, 0), t.cookie ? { headers: { cookie: t.cookie } } : {});
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('raw join timed out'));
    }, timeoutMs);
    ws.on('open', () => ws.send(syncFrame(SYNC_STEP1, EMPTY_STATE_VECTOR)));
    ws.on('message', (data: Buffer) => {
      if (data[0] === MSG_SYNC && data[1] === SYNC_STEP2) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        ws.close();
        resolve({ ms, bytes: data.byteLength });
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

// The history writer: a local Y.Doc whose updates go to the server over a raw socket.
interface SeedState {
  doc: Y.Doc;
  rng: () => number;
  ids: string[];
  /** Every entry id the history created (including deleted ones). */
  allIds: string[];
  count: number;
  ws: WebSocket | null;
  closed: string | null;
  docListener?: boolean;
}
let seedState: SeedState | null = null;
let holder: RealClient | null = null;
const LEVERS = [...leverIdsForRegion('84')];
const TERRITORIES = ['region:84', 'departement:01', 'departement:38', 'departement:69', 'departement:63'];
const WORDS =
  'mobilité bas carbone rénovation énergétique logement tertiaire chaleur renouvelable biomasse méthanisation covoiturage vélo transport collectif fret ferroviaire sobriété éclairage public agriculture haies forêt puits carbone eau pompe à chaleur photovoltaïque toiture réseau bornes recharge plan climat territoire collectivité entreprise association suivi indicateur'.split(
    ' ',
  );

function newSeedState(seed: number): SeedState {
  const rng = prng(seed);
  const doc = new Y.Doc();
  doc.clientID = Math.floor(rng() * 0xffffffff) >>> 0;
  return { doc, rng, ids: [], allIds: [], count: 0, ws: null, closed: null };
}

function connectSeedSocket(g: SeedState, t: Target): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(docUrl(t, 0), t.cookie ? { headers: { cookie: t.cookie } } : {});
    g.ws = ws;
    g.closed = null;
    ws.on('open', () => {
      ws.send(syncFrame(SYNC_STEP1, Y.encodeStateVector(g.doc)));
      resolve();
    });
    ws.on('message', (data: Buffer) => {
      if (data[0] === MSG_SYNC && data[1] === SYNC_STEP1) {
        const f = parseFrame(data);
        if (f.type === 'sync') ws.send(syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(g.doc, f.payload)));
      }
    });
    ws.on('close', (code, reason) => {
      if (g.ws === ws) g.closed = `${code} ${reason.toString()}`;
    });
    ws.on('error', reject);
    if (!g.docListener) {
      g.docListener = true;
      g.doc.on('update', (u: Uint8Array) => {
        if (g.ws?.readyState === WebSocket.OPEN) g.ws.send(syncFrame(SYNC_UPDATE, u));
      });
    }
  });
}

function words(rng: () => number, min: number, max: number): string {
  const n = min + Math.floor(rng() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)]!);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function rngId(rng: () => number): string {
  const A = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = '';
  for (let i = 0; i < 16; i++) id += A[Math.floor(rng() * A.length)];
  return id;
}

/** One edit of the history: entries grow to one per 50 edits; 2 % deletions; the rest change one or two fields. */
function seedEdit(g: SeedState): void {
  const { doc, rng } = g;
  const i = g.count++;
  // A new session (browser tab) every 1,000 edits: new Yjs client id, as in real use.
  if (i > 0 && i % 1000 === 0) doc.clientID = Math.floor(rng() * 0xffffffff) >>> 0;
  const now = 1_780_000_000_000 + i * 1000;
  if (g.ids.length < Math.floor(i / 50) + 1) {
    const id = rngId(rng);
    const input = emptyEntryInput({
      lever: LEVERS[Math.floor(rng() * LEVERS.length)]!,
      territory: TERRITORIES[Math.floor(rng() * TERRITORIES.length)]!,
      organisation: words(rng, 1, 3),
      title: words(rng, 3, 8),
      description: words(rng, 10, 40),
    });
    addEntry(doc, input, 'Bench', now, id);
    g.ids.push(id);
    g.allIds.push(id);
    return;
  }
  const k = Math.floor(rng() * g.ids.length);
  const id = g.ids[k]!;
  const r = rng();
  if (r < 0.02 && g.ids.length > 10) {
    deleteEntry(doc, id);
    g.ids.splice(k, 1);
    return;
  }
  let patch: EntryPatch;
  if (r < 0.35) patch = { title: words(rng, 3, 8) };
  else if (r < 0.7) patch = { description: words(rng, 10, 60) };
  else if (r < 0.8) patch = { status: (['realise', 'en-cours', 'prevu'] as const)[Math.floor(rng() * 3)]! };
  else if (r < 0.9) patch = { effectValue: Math.round(rng() * 10000) / 10, effectUnit: 'MWh' };
  else {
    const y = 2020 + Math.floor(rng() * 10);
    patch = { yearStart: y, yearEnd: y + Math.floor(rng() * 10), effectKtCO2e: Math.round(rng() * 1000) / 100 };
  }
  if (!updateEntry(doc, id, patch, now)) updateEntry(doc, id, { title: `${words(rng, 3, 8)} ${i}` }, now);
}

// ---------------------------------------------------------------------------------------------------------------
// IPC

type Commands = typeof commands;
process.on('message', (msg: { id: number; cmd: keyof Commands; args?: unknown }) => {
  const fn = commands[msg.cmd] as ((a: unknown) => unknown) | undefined;
  if (!fn) {
    process.send?.({ id: msg.id, error: `unknown command ${String(msg.cmd)}` });
    return;
  }
  Promise.resolve()
    .then(() => fn(msg.args ?? {}))
    .then(
      (result) => process.send?.({ id: msg.id, result }),
      (err: unknown) => process.send?.({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
});
process.on('disconnect', () => process.exit(0));
if (!process.send) {
  console.error('loadgen.ts is driven by run.ts over IPC: pnpm --filter @agora/bench bench');
  process.exit(2);
}
