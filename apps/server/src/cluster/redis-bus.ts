import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from '../log.ts';
import type { BusHandlers, ClusterBus, ClusterEvent } from './bus.ts';

type Client = ReturnType<typeof createClient>;


/** Streams are trimmed to about this many entries; an instance further behind resyncs from the store. */
const DOC_STREAM_MAXLEN = 10_000;
const PRESENCE_STREAM_MAXLEN = 1_000;
const BLOCK_MS = 250;

const b64 = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * Fan-out between instances through Redis Streams (not pub/sub, which drops messages when a subscriber lags):
 * each document has a stream of accepted updates and one of presence changes; a reader loop follows the
 * streams of the documents loaded here with one blocking XREAD. Leases (SET NX PX) elect one compactor per
 * document; short locks serialise vote commands across instances.
 */
export class RedisBus implements ClusterBus {
  readonly instanceId = randomBytes(6).toString('hex');
  readonly shared = true;
  private readonly commands: Client;
  private readonly reader: Client;
  private handlers: BusHandlers | null = null;
  /** Stream key -> last id read. */
  private readonly cursors = new Map<string, string>();
  private readonly watched = new Map<string, number>();
  private closed = false;
  private up = false;
  private wasDown = false;
  private loop: Promise<void> | null = null;

  private readonly docPrefix: string;
  private readonly presencePrefix: string;
  private readonly eventsKey: string;

  constructor(
    url: string,
    private readonly log: Logger,
    /** Key prefix, so that several deployments (or tests) can share one Redis. */
    private readonly prefix = 'agora',
  ) {
    this.docPrefix = `${prefix}:doc:{`;
    this.presencePrefix = `${prefix}:presence:{`;
    this.eventsKey = `${prefix}:events`;
    const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 2000);
    this.commands = createClient({ url, socket: { reconnectStrategy } });
    this.reader = createClient({ url, socket: { reconnectStrategy } });
    for (const c of [this.commands, this.reader]) {
      c.on('error', (err: Error) => {
        if (this.up) log.warn('redis unavailable', { error: err.message });
        this.up = false;
        this.wasDown = true;
      });
    }
    this.commands.on('ready', () => {
      this.up = true;
      if (this.wasDown) {
        this.wasDown = false;
        log.info('redis back: resynchronising documents');
        this.handlers?.reconnected();
      }
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.commands.connect(), this.reader.connect()]);
    this.up = true;
    this.cursors.set(this.eventsKey, await this.lastId(this.eventsKey));
    this.loop = this.readLoop();
  }

  setHandlers(handlers: BusHandlers): void {
    this.handlers = handlers;
  }

  healthy(): boolean {
    return this.up;
  }

  async watch(name: string): Promise<void> {
    this.watched.set(name, (this.watched.get(name) ?? 0) + 1);
    if (this.watched.get(name)! > 1) return;
    for (const key of [`${this.docPrefix}${name}}`, `${this.presencePrefix}${name}}`]) {
      let id = '$';
      try {
        id = await this.lastId(key);
      } catch (err) {
        this.log.warn('redis unavailable: following from now', { doc: name, error: String(err) });
        id = `${Date.now()}-0`;
      }
      this.cursors.set(key, id);
    }
  }

  unwatch(name: string): void {
    const n = (this.watched.get(name) ?? 0) - 1;
    if (n > 0) {
      this.watched.set(name, n);
      return;
    }
    this.watched.delete(name);
    this.cursors.delete(`${this.docPrefix}${name}}`);
    this.cursors.delete(`${this.presencePrefix}${name}}`);
  }

  async publishUpdate(name: string, update: Uint8Array): Promise<void> {
    await this.add(`${this.docPrefix}${name}}`, { i: this.instanceId, t: String(Date.now()), u: b64(update) }, DOC_STREAM_MAXLEN);
  }

  async publishPresence(name: string, update: Uint8Array): Promise<void> {
    await this.add(`${this.presencePrefix}${name}}`, { i: this.instanceId, u: b64(update) }, PRESENCE_STREAM_MAXLEN);
  }

  async publishEvent(event: ClusterEvent): Promise<void> {
    await this.add(this.eventsKey, { i: this.instanceId, e: JSON.stringify(event) }, 1_000);
  }

  async lease(key: string, ms: number): Promise<boolean> {
    const k = `${this.prefix}:lease:${key}`;
    try {
      if ((await this.commands.set(k, this.instanceId, { NX: true, PX: ms })) === 'OK') return true;
      // Renew when it is ours already.
      if ((await this.commands.get(k)) === this.instanceId) {
        await this.commands.pExpire(k, ms);
        return true;
      }
      return false;
    } catch {
      return false; // without Redis, nobody compacts: the log just grows until it is back
    }
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = `${this.prefix}:lock:${key}`;
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + 5_000;
    for (;;) {
      let got = false;
      try {
        got = (await this.commands.set(k, token, { NX: true, PX: 10_000 })) === 'OK';
      } catch (err) {
        throw new Error(`verrou indisponible (Redis) : ${String(err)}`);
      }
      if (got) break;
      if (Date.now() > deadline) throw new Error('verrou occupé : réessayez');
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    }
    try {
      return await fn();
    } finally {
      // Release only our own lock.
      await this.commands
        .eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", {
          keys: [k],
          arguments: [token],
        })
        .catch(() => undefined);
    }
  }

  private async add(key: string, fields: Record<string, string>, maxlen: number): Promise<void> {
    await this.commands.xAdd(key, '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxlen } });
  }

  private async lastId(key: string): Promise<string> {
    const last = await this.commands.xRevRange(key, '+', '-', { COUNT: 1 });
    return last?.[0]?.id ?? '0-0';
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const streams = [...this.cursors].map(([key, id]) => ({ key, id }));
      try {
        const res = await this.reader.xRead(streams, { BLOCK: BLOCK_MS, COUNT: 500 });
        if (!res) continue;
        for (const stream of res as { name: string; messages: { id: string; message: Record<string, string> }[] }[]) {
          if (!this.cursors.has(stream.name)) continue; // unwatched meanwhile
          for (const m of stream.messages) {
            this.cursors.set(stream.name, m.id);
            this.dispatch(stream.name, m.message);
          }
        }
      } catch (err) {
        if (this.closed) return;
        this.up = false;
        this.wasDown = true;
        await new Promise((r) => setTimeout(r, 250));
        void err;
      }
    }
  }

  private dispatch(key: string, msg: Record<string, string>): void {
    if (!this.handlers || msg.i === this.instanceId) return;
    try {
      if (key === this.eventsKey) {
        this.handlers.event(JSON.parse(msg.e ?? 'null') as ClusterEvent);
      } else if (key.startsWith(this.docPrefix)) {
        this.handlers.update(key.slice(this.docPrefix.length, -1), unb64(msg.u ?? ''), Number(msg.t ?? Date.now()));
      } else if (key.startsWith(this.presencePrefix)) {
        this.handlers.presence(key.slice(this.presencePrefix.length, -1), unb64(msg.u ?? ''), msg.i ?? '');
      }
    } catch (err) {
      this.log.warn('bad message from another instance', { key, error: String(err) });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop?.catch(() => undefined);
    for (const c of [this.reader, this.commands]) {
      try {
        await c.close();
      } catch {
        c.destroy();
      }
    }
  }
}
