/** Starts loadgen.ts as a child process pinned to its core and calls its commands over IPC. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BENCH_DIR } from './servers.ts';

export class LoadGen {
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error !== undefined) p.reject(new Error(`loadgen: ${m.error}`));
      else p.resolve(m.result);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(`loadgen exited (${code})`));
        }
        this.pending.clear();
        resolve();
      }),
    );
  }

  static start(cpu: string): LoadGen {
    // BENCH_LOADGEN_PROF=<dir>: profile the load generator itself (to see whether it is the bottleneck).
    const prof = process.env.BENCH_LOADGEN_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_LOADGEN_PROF}`] : [];
    // BENCH_LOADGEN_NODE_FLAGS='--trace-gc …': extra Node/V8 flags for the generator (diagnosis).
    const extra = process.env.BENCH_LOADGEN_NODE_FLAGS?.trim().split(/\s+/) ?? [];
    const child = spawn('taskset', ['-c', cpu, process.execPath, ...prof, ...extra, '--import', 'tsx', 'loadgen.ts'], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadGen(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  call<T = Record<string, unknown>>(cmd: string, args: unknown = {}, timeoutMs = 300_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`loadgen: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ id, cmd, args });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.call('exit', {}, 5000).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
