import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, addEntry, documentName, readEntries, readStage } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import {
  adminCookie,
  api,
  createWorkshop,
  joinAs,
  setupAdmin,
  startTestServer,
  synced,
  tempDir,
  validEntry,
  waitFor,
  webSocketWith,
  type TestClient,
} from './helpers.ts';
import { InstanceProcess, OwnRedis, REDIS_URL, SwitchProxy, dropRedisPrefix, freePort, redisAvailable } from './cluster-helpers.ts';
import { createTestDatabase, pgAvailable } from './pg-helpers.ts';

// Several instances share PostgreSQL (the deployment this is for) and Redis; both are required under REQUIRE_SERVICES=1.
const available = (await redisAvailable()) && (await pgAvailable());
const prefix = `agora-test-${randomBytes(4).toString('hex')}`;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  if (available) await dropRedisPrefix(prefix);
});

/** A y-websocket client on a given port (an instance, or the proxy in front of them). */
function client(port: number, name: string, cookie: string): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/ws`, name, doc, {
    WebSocketPolyfill: webSocketWith({ cookie }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closes: TestClient['closes'] = [];
  provider.on('connection-close', (e) => {
    if (e) closes.push({ code: e.code, reason: e.reason });
  });
  const c: TestClient = {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  cleanup.push(() => c.destroy());
  return c;
}

/** A fresh PostgreSQL database for one test, dropped afterwards. */
async function database(): Promise<string> {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  return db.url;
}

async function twoInstances(redisUrl = REDIS_URL) {
  const dir = tempDir();
  const env = { DATABASE_URL: await database(), REDIS_URL: redisUrl, REDIS_PREFIX: prefix, RESYNC_MS: '1000' };
  const a = await startTestServer(dir, env);
  const b = await startTestServer(dir, env);
  cleanup.push(() => a.close(), () => b.close());
  return { a, b, dir };
}

describe.skipIf(!available)('several instances through Redis and PostgreSQL', () => {
  it('makes clients on two instances converge, with presence, stage changes and revocations crossing over', async () => {
    const { a, b } = await twoInstances();
    const admin = await adminCookie(a);
    const w = await createWorkshop(a, admin);
    const p = await joinAs(a, admin, w.id, { name: 'Pascale' });
    const name = documentName(w.id, 'diagnostic');
    const onA = client(a.port, name, admin);
    const onB = client(b.port, name, p.cookie);
    await Promise.all([synced(onA), synced(onB)]);

    addEntry(onA.doc, validEntry({ title: 'Depuis A' }), 'Claire');
    addEntry(onB.doc, validEntry({ title: 'Depuis B' }), 'Pascale');
    await waitFor(() => readEntries(onA.doc).length === 2 && readEntries(onB.doc).length === 2, 5000, 'convergence');
    expect(readEntries(onA.doc).map((e) => e.title).sort()).toEqual(['Depuis A', 'Depuis B']);

    onB.provider.awareness.setLocalState({ user: { name: 'x', color: '#1d4ed8' }, editing: null });
    await waitFor(() => [...onA.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Pascale'), 5000, 'presence across instances');

    const live = client(b.port, documentName(w.id, 'live'), p.cookie);
    await synced(live);
    expect((await api(a, 'POST', `/api/workshops/${w.id}/stage`, { cookie: admin, body: { stage: 'debat' } })).status).toBe(200);
    await waitFor(() => readStage(live.doc) === 'debat', 5000, 'stage change on the other instance');

    expect((await api(a, 'DELETE', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: admin })).status).toBe(200);
    await waitFor(() => onB.closes.some((c) => c.code === CloseCode.REVOKED), 5000, 'revocation on the other instance');
  });

  it('counts a vote exactly when its voters are spread over two instances', async () => {
    const { a, b } = await twoInstances();
    const admin = await adminCookie(a);
    const w = await createWorkshop(a, admin);
    const voters = [];
    for (let i = 0; i < 12; i++) voters.push(await joinAs(a, admin, w.id, { name: `V${i}` }));
    const created = await api(a, 'POST', `/api/workshops/${w.id}/votes`, {
      cookie: admin,
      body: { question: 'Objectif vélo 2030 ?', settings: { method: 'yes-no-abstain' } },
    });
    const v = ((await created.json()) as { vote: { id: string } }).vote.id;
    await api(b, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: {} });
    const sends = voters.flatMap((p, i) =>
      [a, b, a].map((s) =>
        api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/ballots`, {
          cookie: p.cookie,
          body: { ballotId: `multi-${i}-ballot`, ballot: { method: 'yes-no-abstain', choice: i % 2 ? 'pour' : 'contre' } },
        }),
      ),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.filter((s) => s === 200)).toHaveLength(24);
    await api(b, 'POST', `/api/workshops/${w.id}/votes/${v}/close`, { cookie: admin });
    const res = (await (await api(a, 'GET', `/api/workshops/${w.id}/votes/${v}/results`, { cookie: admin })).json()) as {
      results: { tally: { counts: Record<string, number> } };
    };
    expect(res.results.tally.counts).toMatchObject({ pour: 6, contre: 6 });
  });

  it('loses nothing when an instance is killed with SIGKILL mid-session', async () => {
    const dir = tempDir();
    const env = { DATA_DIR: dir, DATABASE_URL: await database(), REDIS_URL, REDIS_PREFIX: prefix, RESYNC_MS: '1000' };
    const A = new InstanceProcess(await freePort(), env);
    const B = new InstanceProcess(await freePort(), env);
    await A.start();
    await B.start();
    cleanup.push(() => A.kill(), () => B.kill());
    const proxy = new SwitchProxy(A.port);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const target = { url: A.url, port: A.port } as unknown as RunningServer;
    const admin = await setupAdmin(target);
    const w = await createWorkshop(target, admin);
    const name = documentName(w.id, 'diagnostic');

    const typist = client(proxy.port, name, admin); // behind the "load balancer", on A
    const watcher = client(B.port, name, admin);
    await Promise.all([synced(typist), synced(watcher)]);
    for (let i = 0; i < 5; i++) addEntry(typist.doc, validEntry({ title: `Avant ${i}` }), 'Claire');
    await waitFor(() => readEntries(watcher.doc).length === 5, 5000, 'before the kill');

    await A.kill('SIGKILL');
    proxy.target = B.port; // the load balancer sends reconnections to B
    for (let i = 0; i < 5; i++) addEntry(typist.doc, validEntry({ title: `Pendant ${i}` }), 'Claire'); // typed while cut off
    await waitFor(() => readEntries(watcher.doc).length === 10, 10_000, 'edits typed during the failover');
    expect(readEntries(typist.doc).length).toBe(10);

    // And they are stored: a fresh instance on the same store serves all ten.
    await B.kill('SIGTERM');
    const C = new InstanceProcess(await freePort(), env);
    await C.start();
    cleanup.push(() => C.kill());
    const fresh = client(C.port, name, admin);
    await synced(fresh);
    await waitFor(() => readEntries(fresh.doc).length === 10, 5000, 'stored after failover');
  }, 90_000); // three server processes start in this test

  it('keeps serving through a Redis restart, then catches up', async () => {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    cleanup.push(() => redis.stop());
    const { a, b } = await twoInstances(redis.url);
    const admin = await adminCookie(a);
    const w = await createWorkshop(a, admin);
    const name = documentName(w.id, 'diagnostic');
    const onA = client(a.port, name, admin);
    const onB = client(b.port, name, admin);
    await Promise.all([synced(onA), synced(onB)]);
    addEntry(onA.doc, validEntry({ title: 'Avant la panne' }), 'Claire');
    await waitFor(() => readEntries(onB.doc).length === 1, 5000, 'before the outage');

    await redis.stop();
    addEntry(onA.doc, validEntry({ title: 'Pendant la panne (A)' }), 'Claire');
    addEntry(onB.doc, validEntry({ title: 'Pendant la panne (B)' }), 'Claire');
    // Each instance keeps serving its own clients (their edits are accepted and stored).
    await new Promise((r) => setTimeout(r, 300));
    expect(onA.closes).toEqual([]);
    expect(onB.closes).toEqual([]);
    const ready = await fetch(`${a.url}/readyz`);
    expect(ready.status).toBe(503);

    await redis.start();
    await waitFor(() => readEntries(onA.doc).length === 3 && readEntries(onB.doc).length === 3, 15_000, 'catching up after Redis is back');
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
  });
});
