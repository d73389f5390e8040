import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { documentName, liveVotesMap, liveWorkshopMap } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN, adminCookie, api, createWorkshop, joinAs, signIn, startTestServer, tempDir, waitFor, webSocketWith } from './helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(voters: number, env: Record<string, string> = {}) {
  const s = await startTestServer(undefined, { JOIN_RATE_LIMIT: '10000', ...env });
  cleanup.push(() => s.close());
  const admin = await adminCookie(s);
  const w = await createWorkshop(s, admin);
  const people = [];
  for (let i = 0; i < voters; i++) {
    const category = ['services-etat', 'epci', 'entreprise-industrielle', 'association-societe-civile'][i % 4]!;
    people.push(await joinAs(s, admin, w.id, { name: `Votant ${i}`, category }));
  }
  return { s, admin, w, people };
}

function liveDoc(s: RunningServer, workshopId: string, cookie: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${s.port}/ws`, documentName(workshopId, 'live'), doc, {
    WebSocketPolyfill: webSocketWith({ cookie }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  cleanup.push(() => {
    provider.destroy();
    doc.destroy();
  });
  const vote = (id: string) => {
    const raw = liveVotesMap(doc).get(id);
    return raw ? (JSON.parse(raw) as { status: string; ballotCount: number; results: { kind: string; tally?: { counts?: Record<string, number>; adopted?: boolean } } }) : null;
  };
  return { doc, provider, vote };
}

const yesNo = { method: 'yes-no-abstain', majority: { kind: 'simple' }, secret: true };

async function createVote(s: RunningServer, cookie: string, workshopId: string, settings: unknown = yesNo) {
  const res = await api(s, 'POST', `/api/workshops/${workshopId}/votes`, {
    cookie,
    body: { question: 'Adopter −45 % d’émissions du transport d’ici 2030 ?', settings },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { vote: { id: string } }).vote.id;
}

const ballot = (s: RunningServer, cookie: string, w: string, v: string, ballotId: string, choice: string) =>
  api(s, 'POST', `/api/workshops/${w}/votes/${v}/ballots`, { cookie, body: { ballotId, ballot: { method: 'yes-no-abstain', choice } } });

describe('votes run from the console', () => {
  it('goes through prepare, open, ballots, close, publish, with results hidden until then', async () => {
    const { s, admin, w, people } = await setup(3);
    const live = liveDoc(s, w.id, people[0]!.cookie);
    const [a, b, c] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];

    // Participants may not prepare votes.
    const refused = await api(s, 'POST', `/api/workshops/${w.id}/votes`, { cookie: a.cookie, body: { question: 'Une question ?', settings: yesNo } });
    expect(refused.status).toBe(403);
    // Bad settings get a clear 400.
    const bad = await api(s, 'POST', `/api/workshops/${w.id}/votes`, { cookie: admin, body: { question: 'Q ?', settings: { method: 'tirage' } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/mode de scrutin|invalide/i);

    const v = await createVote(s, admin, w.id);
    expect((await ballot(s, a.cookie, w.id, v, 'ballot-a-1', 'pour')).status).toBe(409); // not open yet
    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: a.cookie, body: {} })).status).toBe(403);
    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: {} })).status).toBe(200);
    await waitFor(() => live.vote(v)?.status === 'open', 5000, 'open vote on screens');
    expect(liveWorkshopMap(live.doc).get('currentVoteId')).toBe(v);

    // Settings freeze once open.
    const frozen = await api(s, 'PATCH', `/api/workshops/${w.id}/votes/${v}`, { cookie: admin, body: { settings: { ...yesNo, secret: false } } });
    expect(frozen.status).toBe(409);

    const first = await ballot(s, a.cookie, w.id, v, 'ballot-a-1', 'pour');
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ message: 'vote enregistré', duplicate: false, ack: { ballotId: 'ballot-a-1' } });
    // The same ballot sent again after a wifi drop counts once.
    const again = await ballot(s, a.cookie, w.id, v, 'ballot-a-1', 'pour');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    // A second, different ballot from the same voter is refused (no change allowed).
    expect((await ballot(s, a.cookie, w.id, v, 'ballot-a-2', 'contre')).status).toBe(409);
    expect((await ballot(s, b.cookie, w.id, v, 'ballot-b-1', 'pour')).status).toBe(201);
    expect((await ballot(s, c.cookie, w.id, v, 'ballot-c-1', 'nimporte')).status).toBe(400);
    expect((await ballot(s, c.cookie, w.id, v, 'ballot-c-1', 'contre')).status).toBe(201);

    // Everyone sees the participation live, nobody sees results, organisers included.
    await waitFor(() => live.vote(v)?.ballotCount === 3, 5000, 'participation on screens');
    expect(live.vote(v)?.results.kind).toBe('participation');
    const early = (await (await api(s, 'GET', `/api/workshops/${w.id}/votes/${v}/results`, { cookie: admin })).json()) as { results: { kind: string } };
    expect(early.results.kind).toBe('participation');
    // A voter can check their ballot was recorded; nobody else can look at it.
    expect(await (await api(s, 'GET', `/api/workshops/${w.id}/votes/${v}/ballots/ballot-a-1`, { cookie: a.cookie })).json()).toMatchObject({ recorded: true, counted: true });
    expect(await (await api(s, 'GET', `/api/workshops/${w.id}/votes/${v}/ballots/ballot-a-1`, { cookie: b.cookie })).json()).toEqual({ recorded: false });

    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/close`, { cookie: admin })).status).toBe(200);
    expect((await ballot(s, people[0]!.cookie, w.id, v, 'ballot-late', 'contre')).status).toBe(409);
    const closed = (await (await api(s, 'GET', `/api/workshops/${w.id}/votes/${v}/results`, { cookie: admin })).json()) as {
      results: { kind: string; tally: { counts: Record<string, number>; adopted: boolean } };
    };
    expect(closed.results.kind).toBe('results');
    expect(closed.results.tally.counts).toMatchObject({ pour: 2, contre: 1, abstention: 0 });
    await waitFor(() => live.vote(v)?.status === 'closed');
    expect(live.vote(v)?.results.kind).toBe('participation'); // not published yet

    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/publish`, { cookie: admin })).status).toBe(200);
    await waitFor(() => live.vote(v)?.results.kind === 'results', 5000, 'published results on screens');
    expect(live.vote(v)?.results.tally).toMatchObject({ counts: { pour: 2, contre: 1 }, adopted: true });

    // Never re-opened: a new round instead.
    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: {} })).status).toBe(409);
    const round = await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/rounds`, { cookie: admin });
    expect(round.status).toBe(201);
    expect(((await round.json()) as { vote: { round: number; status: string } }).vote).toMatchObject({ round: 2, status: 'draft' });

    const log = (await (await api(s, 'GET', `/api/workshops/${w.id}/audit`, { cookie: admin })).json()) as { entries: { action: string }[] };
    expect(log.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['vote.create', 'vote.open', 'vote.close', 'vote.publish', 'vote.round']));
  });

  it('counts exactly under many concurrent voters re-sending their ballots', async () => {
    const { s, admin, w, people } = await setup(40);
    const v = await createVote(s, admin, w.id);
    await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: {} });
    const sends = people.flatMap((p, i) =>
      [0, 1, 2].map(() => ballot(s, p.cookie, w.id, v, `storm-${i}-ballot`, i % 3 === 0 ? 'contre' : 'pour')),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(40);
    expect(statuses.filter((x) => x === 200)).toHaveLength(80);
    await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/close`, { cookie: admin });
    const r = (await (await api(s, 'GET', `/api/workshops/${w.id}/votes/${v}/results`, { cookie: admin })).json()) as {
      results: { tally: { counts: Record<string, number>; participation: { cast: number; eligible: number } } };
    };
    expect(r.results.tally.counts).toMatchObject({ pour: 26, contre: 14 });
    expect(r.results.tally.participation).toMatchObject({ cast: 40, eligible: 40 }); // facilitators do not vote
  });

  it('lets no observer vote, and closes a vote whose timer ran out, even across a restart', async () => {
    const dir = tempDir();
    let s = await startTestServer(dir);
    const admin = await adminCookie(s);
    const w = await createWorkshop(s, admin);
    const observer = await joinAs(s, admin, w.id, { name: 'Olga', role: 'observateur' });
    const voter = await joinAs(s, admin, w.id, { name: 'Victor' });
    const v = await createVote(s, admin, w.id);
    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: { timerSeconds: 5 } })).status).toBe(400);
    expect((await api(s, 'POST', `/api/workshops/${w.id}/votes/${v}/open`, { cookie: admin, body: { timerSeconds: 600 } })).status).toBe(200);
    expect((await ballot(s, observer.cookie, w.id, v, 'observer-ballot', 'pour')).status).toBe(403);
    expect((await ballot(s, voter.cookie, w.id, v, 'victor-ballot', 'pour')).status).toBe(201);
    await s.close();

    // The timer ran out while the server was down: it closes the vote as it starts again.
    const db = new Database(path.join(dir, 'agora.db'));
    const row = db.prepare('SELECT vote FROM votes WHERE id = ?').get(v) as { vote: string };
    const vote = JSON.parse(row.vote) as { closesAt: string };
    vote.closesAt = new Date(Date.now() - 1000).toISOString();
    db.prepare('UPDATE votes SET vote = ? WHERE id = ?').run(JSON.stringify(vote), v);
    db.close();
    s = await startTestServer(dir);
    cleanup.push(() => s.close());
    const cookie = await signIn(s, ADMIN.email, ADMIN.password);
    type Listed = { votes: { id: string; status: string; ballotCount: number }[] };
    let listed: Listed['votes'][number] | undefined;
    for (let i = 0; i < 50 && listed?.status !== 'closed'; i++) {
      const list = (await (await api(s, 'GET', `/api/workshops/${w.id}/votes`, { cookie })).json()) as Listed;
      listed = list.votes.find((x) => x.id === v);
      if (listed?.status !== 'closed') await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed).toMatchObject({ status: 'closed', ballotCount: 1 });
    expect((await ballot(s, voter.cookie, w.id, v, 'victor-late', 'contre')).status).toBe(409);
  });
});
