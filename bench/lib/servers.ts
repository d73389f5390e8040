/**
 * Starts the two servers under test as child processes pinned to core 0, with the same probe preloaded
 * (servers/probe.mjs: GC and event-loop figures over IPC), and reads their RSS and CPU time from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(here, '..');
export const REPO_DIR = path.resolve(BENCH_DIR, '..');
const PROBE_URL = pathToFileURL(path.join(BENCH_DIR, 'servers', 'probe.mjs')).href;

/** `cluster`: two project instances sharing PostgreSQL and Redis, clients spread over both. */
export type ServerKind = 'stock' | 'project' | 'cluster';

export interface ProbeStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  elu: number;
  cpuMs: number;
  wallMs: number;
  /** Garbage collections since the last reset, their total and longest pause. */
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** Kind of the longest pause: minor, major, incremental or weak. */
  gcMaxKind: string;
  /** Frames whose 'data' event wrote to at least `minSockets` sockets (see probe.mjs): count and duration. */
  fanoutCount: number;
  fanoutP50Ms: number;
  fanoutP99Ms: number;
  fanoutMaxMs: number;
}

export interface StartOptions {
  /** CPU the server is pinned to (taskset -c). */
  cpu: string;
  /** Directory for --cpu-prof output, if profiling. */
  cpuProfDir?: string;
  /** Project server only: reuse this data directory (restart = "cold" document load). */
  dataDir?: string;
  /** Project server only: more environment (e.g. REDIS_URL and DATABASE_URL for a cluster instance). */
  env?: Record<string, string>;
}

export const ADMIN = {
  email: 'bench@prefecture.example.fr',
  name: 'Bench Admin',
  password: 'bench password 2026',
  organisation: 'Bench',
  category: 'services-etat',
} as const;

export class ServerProcess {
  private replies = new Map<number, (s: ProbeStats) => void>();
  private nextId = 1;
  private log: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly kind: ServerKind,
    readonly port: number,
    readonly child: ChildProcess,
    readonly dataDir: string | null,
  ) {
    // Diagnosis only: BENCH_SERVER_LOG_DIR=<dir> keeps each server's whole output in <dir>/<kind>-<pid>.log.
    const logDir = process.env.BENCH_SERVER_LOG_DIR;
    const logFile = logDir ? path.join(logDir, `${kind}-${child.pid}.log`) : null;
    if (logDir) fs.mkdirSync(logDir, { recursive: true });
    const keep = (chunk: Buffer): void => {
      if (logFile) fs.appendFileSync(logFile, chunk);
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.log.push(line);
      if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: { probeReply?: number; stats?: ProbeStats }) => {
      if (typeof m?.probeReply === 'number') {
        this.replies.get(m.probeReply)?.(m.stats as ProbeStats);
        this.replies.delete(m.probeReply);
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get httpBase(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  logTail(n = 30): string {
    return this.log.slice(-n).join('\n');
  }

  /** Lines the server wrote to stdout/stderr so far (warnings, errors). */
  get logLines(): string[] {
    return [...this.log];
  }

  probe(cmd: 'stats' | 'gc' | 'reset', timeoutMs = 10_000, extra: { minSockets?: number } = {}): Promise<ProbeStats> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`${this.kind} server: probe ${cmd} timed out`));
      }, timeoutMs);
      this.replies.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.child.send({ probe: cmd, id, ...extra });
    });
  }

  /** VmRSS from /proc/<pid>/status, in bytes. */
  rssBytes(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  }

  /** utime + stime from /proc/<pid>/stat, in milliseconds. */
  cpuMs(): number {
    const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  }

  /** Deletes the server's data directory (project server; call after stop()). */
  removeData(): void {
    if (this.dataDir && path.basename(this.dataDir).startsWith('agora-bench-')) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function waitHttp(server: ServerProcess, pathname: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline && i < 1000; i++) {
    if (server.child.exitCode !== null) throw new Error(`${server.kind} server exited (${server.child.exitCode}):\n${server.logTail()}`);
    try {
      const res = await fetch(server.httpBase + pathname, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${server.kind} server did not answer on ${pathname} within ${timeoutMs} ms:\n${server.logTail()}`);
}

function nodeArgs(opts: StartOptions, name: string): string[] {
  const args = ['--expose-gc'];
  // Extra V8/Node flags for both servers, for diagnosis only (e.g. BENCH_SERVER_NODE_FLAGS=--trace-gc): never in a
  // run whose figures are reported.
  const extra = process.env.BENCH_SERVER_NODE_FLAGS?.trim();
  if (extra) args.push(...extra.split(/\s+/));
  if (opts.cpuProfDir) {
    // One directory per server process: Node writes one profile per thread.
    const dir = path.join(opts.cpuProfDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    fs.mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  return args;
}

/** The stock server (servers/stock.mjs), pinned with taskset. */
export async function startStock(opts: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn('taskset', ['-c', opts.cpu, process.execPath, ...nodeArgs(opts, 'stock'), '--import', PROBE_URL, 'servers/stock.mjs'], {
    cwd: BENCH_DIR,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const server = new ServerProcess('stock', port, child, null);
  await waitHttp(server, '/');
  return server;
}

let built = false;

/**
 * The Node flags `pnpm start` runs the server with (apps/server/package.json: `node <flags> dist/main.js`), so that
 * the bench measures the server exactly as it is deployed.
 */
export function projectStartFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'apps', 'server', 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return words.slice(1, -1);
}

/** Compiles the project server once per bench process (`apps/server/scripts/build.mjs`, what `pnpm start` runs). */
function buildProject(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: path.join(REPO_DIR, 'apps', 'server'), stdio: 'inherit' });
  built = true;
}

/**
 * The project server as `pnpm start` runs it (`node <its flags> apps/server/dist/main.js`, compiled from the sources
 * at the start of the run), pinned with taskset, on its own data directory.
 */
export async function startProject(opts: StartOptions): Promise<ServerProcess> {
  buildProject();
  const port = await freePort();
  const dataDir = opts.dataDir ?? tempDir('agora-bench-');
  const child = spawn(
    'taskset',
    ['-c', opts.cpu, process.execPath, ...projectStartFlags(), ...nodeArgs(opts, 'project'), '--import', PROBE_URL, 'dist/main.js'],
    {
      cwd: path.join(REPO_DIR, 'apps', 'server'),
      env: {
        ...process.env,
        // One instance, its own SQLite store in DATA_DIR: no Redis fan-out and no PostgreSQL store, even if the
        // caller's shell sets REDIS_URL or DATABASE_URL.
        REDIS_URL: undefined,
        DATABASE_URL: undefined,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        // The SvelteKit pages are not under test: point at a directory that does not exist so they are not loaded.
        WEB_BUILD_DIR: path.join(dataDir, 'no-web-build'),
        LOG_LEVEL: 'warn',
        SIGNIN_RATE_LIMIT: '1000',
        JOIN_RATE_LIMIT: '100000',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const server = new ServerProcess(opts.env?.REDIS_URL ? 'cluster' : 'project', port, child, dataDir);
  await waitHttp(server, '/healthz');
  return server;
}

/** First-run setup on a fresh project server and one workshop: the admin cookie and the diagnostic's name. */
export async function setupProject(server: ServerProcess): Promise<{ cookie: string; docName: string; workshopId: string }> {
  const setup = await fetch(`${server.httpBase}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const cookie = setup.headers
    .getSetCookie()
    .find((c) => c.startsWith('agora_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('setup: no agora_session cookie');
  const res = await fetch(`${server.httpBase}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Bench COP', regionCode: '84', date: '2026-12-03' }),
  });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
  const { workshop } = (await res.json()) as { workshop: { id: string } };
  return { cookie, docName: `${workshop.id}:diagnostic`, workshopId: workshop.id };
}

export async function healthz(server: ServerProcess): Promise<{ documents: number; connections: number } | null> {
  if (server.kind !== 'project') return null;
  const res = await fetch(`${server.httpBase}/healthz`);
  return (await res.json()) as { documents: number; connections: number };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
