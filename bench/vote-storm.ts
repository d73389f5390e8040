/**
 * Vote storm: N voters cast a ballot within one second while N screens follow the live document; measures the
 * time until every ballot is acknowledged and until the published results reach every screen, and checks that
 * the tally is exact. Usage: tsx vote-storm.ts [N ...] (default 200 1000). Loopback only; bounded in time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { documentName, liveVotesMap } from '@agora/domain';

process.setMaxListeners(0);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('agora_session='))!.split(';')[0]!;

async function post(url: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function run(n: number) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-storm-'));
  const server = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(root, 'apps/server'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOIN_RATE_LIMIT: '1000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const setup = await post(`${base}/api/auth/setup`, {
      email: 'bench@example.fr', name: 'Bench', password: 'benchmark password', organisation: 'Bench', category: 'services-etat',
    });
    const admin = cookieOf(setup);
    const { workshop } = (await (await post(`${base}/api/workshops`, { name: 'Vote storm', regionCode: '84', date: '2026-12-03' }, admin)).json()) as { workshop: { id: string } };
    const { invitation } = (await (await post(`${base}/api/workshops/${workshop.id}/invitations`, { role: 'participant' }, admin)).json()) as { invitation: { token: string } };
    const voters: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await post(`${base}/api/join/${invitation.token}`, { name: `Votant ${i}`, organisation: 'Bench', category: 'epci' });
      voters.push(cookieOf(r));
    }
    const { vote } = (await (await post(`${base}/api/workshops/${workshop.id}/votes`, { question: 'Objectif de la tempête ?', settings: { method: 'yes-no-abstain' } }, admin)).json()) as { vote: { id: string } };

    // N screens following the live document.
    const screens = voters.map((cookie) => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/ws`, documentName(workshop.id, 'live'), doc, {
        WebSocketPolyfill: class extends WebSocket {
          constructor(a: string, p?: string | string[]) {
            super(a, p, { headers: { cookie } });
          }
        } as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      provider.awareness.setLocalState(null);
      return { doc, provider };
    });
    const deadline = Date.now() + 60_000;
    while (!screens.every((s) => s.provider.synced) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await post(`${base}/api/workshops/${workshop.id}/votes/${vote.id}/open`, {}, admin);

    // The storm: every voter casts once within one second (and a third re-send the same ballot).
    const acks: number[] = [];
    const start = performance.now();
    const sends = voters.map(async (cookie, i) => {
      await new Promise((r) => setTimeout(r, (i / n) * 1000));
      const t0 = performance.now();
      const body = { ballotId: `storm-${i}-0001`, ballot: { method: 'yes-no-abstain', choice: i % 3 === 0 ? 'contre' : 'pour' } };
      const r = await post(`${base}/api/workshops/${workshop.id}/votes/${vote.id}/ballots`, body, cookie);
      if (i % 3 === 1) await post(`${base}/api/workshops/${workshop.id}/votes/${vote.id}/ballots`, body, cookie);
      acks.push(performance.now() - t0);
      return r.status;
    });
    const statuses = await Promise.all(sends);
    const allAcked = performance.now() - start;
    await post(`${base}/api/workshops/${workshop.id}/votes/${vote.id}/close`, {}, admin);
    const t1 = performance.now();
    await post(`${base}/api/workshops/${workshop.id}/votes/${vote.id}/publish`, {}, admin);
    const published = (s: (typeof screens)[number]) => {
      const raw = liveVotesMap(s.doc).get(vote.id);
      return raw ? (JSON.parse(raw) as { results: { kind: string; tally?: { counts: Record<string, number> } } }).results : null;
    };
    while (!screens.every((s) => published(s)?.kind === 'results') && performance.now() - t1 < 60_000) await new Promise((r) => setTimeout(r, 5));
    const reachAll = performance.now() - t1;
    const counts = published(screens[0]!)?.tally?.counts ?? {};
    const expectedContre = Math.ceil(n / 3);
    const exact = counts.pour === n - expectedContre && counts.contre === expectedContre && statuses.every((s) => s === 201);
    for (const s of screens) {
      s.provider.destroy();
      s.doc.destroy();
    }
    return { n, allAcked, ackP50: percentile(acks, 50), ackP99: percentile(acks, 99), reachAll, exact, counts };
  } finally {
    server.kill('SIGTERM');
  }
}

const results = [];
for (const n of sizes.length ? sizes : [200, 1000]) results.push(await run(n));
console.log('\nVote storm (server on core 0; voters and screens in this process)');
console.log('N      all acked   ack p50   ack p99   published → all screens   exact tally');
for (const r of results) {
  console.log(
    `${String(r.n).padEnd(6)} ${r.allAcked.toFixed(0).padStart(7)} ms ${r.ackP50.toFixed(1).padStart(7)} ms ${r.ackP99.toFixed(1).padStart(7)} ms ${r.reachAll.toFixed(0).padStart(14)} ms            ${r.exact ? 'yes' : `NO ${JSON.stringify(r.counts)}`}`,
  );
}
process.exit(results.every((r) => r.exact) ? 0 : 1);
