/**
 * The benchmark's smoke run (bench/run.ts --smoke): the project's server and the stock y-websocket server under the
 * same small load, then two project instances with PostgreSQL and Redis. It fails when an update is lost, documents
 * diverge, a late joiner's document differs, or (under REQUIRE_SERVICES=1) PostgreSQL or Redis is missing. It checks
 * correctness only: the figures it prints are not asserted (benchmarks are compared in BENCHMARKS.md, not in tests).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench');
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
if (!hasTaskset) {
  if (process.env.REQUIRE_SERVICES === '1') throw new Error('taskset (util-linux) is required for the benchmark smoke run');
  console.warn('Skipping the benchmark smoke run: taskset (util-linux) is not installed.');
}

describe.skipIf(!hasTaskset)('benchmark smoke run', () => {
  it('runs both servers and a two-instance cluster under load without losing an update', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'run.ts', '--smoke'], {
      cwd: benchDir,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env },
    });
    const out = `${run.stdout}\n${run.stderr}`;
    if (run.status !== 0) console.error(out.slice(-4000));
    expect(out).toContain('smoke: no update lost, documents converged');
    expect(out).toMatch(/two instances \+ Redis \+ PostgreSQL|cluster: skipped/);
    expect(run.status).toBe(0);
  }, 300_000);
});
