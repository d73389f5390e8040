import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether Redis answers; under REQUIRE_SERVICES=1 a missing Redis is an error, not a skip. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const c = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.ping();
    await c.close();
    return true;
  } catch {
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`Redis is required (REQUIRE_SERVICES=1) but ${url} does not answer`);
    console.warn(`Skipping multi-instance tests: Redis does not answer at ${url}.`);
    return false;
  }
}

/** Deletes every key of a test prefix. */
export async function dropRedisPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const c = createClient({ url });
  c.on('error', () => undefined);
  await c.connect();
  const keys: string[] = [];
  for await (const batch of c.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length) await c.del(keys);
  await c.close();
}

/** A redis-server of the test's own, on a free port, that can be stopped and started again. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      const c = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('redis-server did not start');
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

/** A server instance as its own process (so that it can be killed with SIGKILL). */
export class InstanceProcess {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        /* starting */
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`instance exited with ${this.child.exitCode ?? this.child.signalCode}`);
      if (Date.now() > deadline) throw new Error('instance did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

/** A TCP proxy whose target can be switched, standing for the load balancer in front of the instances. */
export class SwitchProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(public target: number) {}
  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }
  /** Cuts every connection and refuses new ones (the service behind it looks down) until `restore()`. */
  down = false;
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }
  restore(): void {
    this.down = false;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r));
  }
}
