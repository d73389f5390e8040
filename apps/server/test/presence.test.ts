import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { documentName } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { ADMIN, adminCookie, connectClient, createWorkshop, joinAs, rawSocket, startTestServer, synced, waitFor, type TestClient } from './helpers.ts';

const servers: RunningServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.close();
});

/** n people who joined by link, each connected with their own session. */
async function setup(names: string[]) {
  const s = await startTestServer();
  servers.push(s);
  const admin = await adminCookie(s);
  const w = await createWorkshop(s, admin);
  const cs: TestClient[] = [];
  for (const name of names) cs.push(connectClient(s, w.id, (await joinAs(s, admin, w.id, { name })).cookie));
  clients.push(...cs);
  await Promise.all(cs.map(synced));
  return { s, w, cs, admin };
}

const presence = (name: string, editing: string | null = null) => ({ user: { name, color: '#1d4ed8' }, editing });

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

describe('presence', () => {
  it('relays who is here and what they edit, and removes those who leave', async () => {
    const { cs } = await setup(['Alice', 'Bruno', 'Chloé']);
    const [a, b, c] = cs as [TestClient, TestClient, TestClient];
    a.provider.awareness.setLocalState(presence('Alice', 'entry12345'));
    b.provider.awareness.setLocalState(presence('Bruno'));
    const names = (x: TestClient) =>
      [...x.provider.awareness.getStates().values()].map((st) => (st as { user?: { name: string } }).user?.name).filter(Boolean).sort();
    await waitFor(() => names(c).join() === 'Alice,Bruno', 5000, 'presence at c');
    const aliceAtC = c.provider.awareness.getStates().get(a.doc.clientID) as { editing: string };
    expect(aliceAtC.editing).toBe('entry12345');

    a.provider.disconnect();
    await waitFor(() => names(c).join() === 'Bruno', 5000, 'Alice removed');
  });

  it('drops presence that is invalid or that speaks for another connection', async () => {
    const { s, w, cs } = await setup(['Alice', 'Bruno']);
    const [a, b] = cs as [TestClient, TestClient];
    a.provider.awareness.setLocalState(presence('Alice'));
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'Alice at b');
    const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
    const droppedBefore = room!.presence.dropped;

    const { ws } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: await adminCookie(s) });
    // Impersonation: a high clock for Alice's client id, from another socket.
    ws.send(awarenessFrame(a.doc.clientID, 999, presence('Mallory')));
    // Invalid states: unknown field, and an over-long name.
    ws.send(awarenessFrame(4242, 1, { user: { name: 'X', color: '#000000' }, editing: null, admin: true }));
    ws.send(awarenessFrame(4243, 1, presence('y'.repeat(500))));
    // A valid one, to know when the others were processed.
    ws.send(awarenessFrame(4244, 1, presence('Zoé')));
    await waitFor(() => b.provider.awareness.getStates().has(4244), 5000, 'valid raw presence');
    // The server stamps the sender's identity: "Zoé" from the administrator's session shows as the administrator.
    expect((b.provider.awareness.getStates().get(4244) as { user: { name: string; role?: string } }).user.name).toBe(ADMIN.name);
    const alice = b.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string } };
    expect(alice.user.name).toBe('Alice');
    expect(b.provider.awareness.getStates().has(4242)).toBe(false);
    expect(b.provider.awareness.getStates().has(4243)).toBe(false);
    expect(room!.presence.dropped - droppedBefore).toBeGreaterThanOrEqual(3);
    ws.close();
  });

  it('drops the echoes that stock clients send back, so presence traffic stays linear', async () => {
    const { s, w, cs } = await setup(['P0', 'P1', 'P2', 'P3', 'P4']);
    const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
    cs.forEach((c, i) => c.provider.awareness.setLocalState(presence(`P${i}`)));
    await waitFor(() => cs.every((c) => c.provider.awareness.getStates().size === 5), 5000, 'everyone sees everyone');
    await new Promise((r) => setTimeout(r, 200));
    const broadcastsBefore = room!.stats.broadcasts;
    cs[0]!.provider.awareness.setLocalState(presence('P0', 'entry00001'));
    await waitFor(() => cs.every((c) => (c.provider.awareness.getStates().get(cs[0]!.doc.clientID) as { editing: string | null }).editing === 'entry00001'));
    await new Promise((r) => setTimeout(r, 200));
    // One change: one broadcast frame, however many clients echo it back.
    expect(room!.stats.broadcasts - broadcastsBefore).toBe(1);
    expect(room!.presence.dropped + room!.presence.echoesDropped).toBeGreaterThan(0);
  });

  it('drops an echo equal to a broadcast before decoding it, and still takes a new state in the same words', async () => {
    const { s, w, cs } = await setup(['P0', 'P1', 'P2', 'P3']);
    const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
    cs.forEach((c, i) => c.provider.awareness.setLocalState(presence(`P${i}`)));
    await waitFor(() => cs.every((c) => c.provider.awareness.getStates().size === 4), 5000, 'everyone sees everyone');
    await new Promise((r) => setTimeout(r, 200));
    const before = { echoes: room!.presence.echoesDropped, dropped: room!.presence.dropped };
    cs[0]!.provider.awareness.setLocalState(presence('P0', 'entry00001'));
    await waitFor(() => cs.every((c) => (c.provider.awareness.getStates().get(cs[0]!.doc.clientID) as { editing: string | null }).editing === 'entry00001'));
    await new Promise((r) => setTimeout(r, 200));
    // The three other y-websocket clients send the broadcast back as it came: dropped whole, no entry decoded.
    expect(room!.presence.echoesDropped - before.echoes).toBe(3);
    expect(room!.presence.dropped - before.dropped).toBe(0);

    // A raw client repeats what it received, byte for byte: dropped whole.
    const { ws } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: await adminCookie(s) });
    const heard: Buffer[] = [];
    ws.on('message', (d: Buffer) => {
      if (d[0] === 1) heard.push(d);
    });
    await new Promise((r) => setTimeout(r, 300)); // the states sent on joining
    heard.length = 0;
    cs[2]!.provider.awareness.setLocalState(presence('P2', 'entry00003'));
    await waitFor(() => heard.length > 0, 5000, 'broadcast heard');
    await new Promise((r) => setTimeout(r, 300)); // the real clients' own echoes
    const echoes = room!.presence.echoesDropped;
    ws.send(heard[0]!);
    await waitFor(() => room!.presence.echoesDropped === echoes + 1, 5000, 'raw echo dropped whole');
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(Number(/agora_presence_dropped_total\{kind="echo"\} (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(4);
    // A state in the same words but under a clock the server has not seen is not an echo: it is taken and relayed.
    ws.send(awarenessFrame(7070, 1, presence('Moi', 'entry00002')));
    await waitFor(() => (cs[1]!.provider.awareness.getStates().get(7070) as { editing: string | null } | undefined)?.editing === 'entry00002', 5000, 'new state relayed');
    ws.close();
  });
  it('does not charge echoes of other people to a connection, so its own change is never dropped in a storm', async () => {
    const { s, w, cs } = await setup(['Alice', 'Bruno']);
    const [a, b] = cs as [TestClient, TestClient];
    a.provider.awareness.setLocalState(presence('Alice'));
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'Alice at b');
    const aliceClock = (a.provider.awareness.meta.get(a.doc.clientID) as { clock: number }).clock;
    const { ws } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: await adminCookie(s) });
    // 60 echoes of Alice's state in well under a second (what a stock client does when many people arrive) …
    for (let i = 0; i < 60; i++) ws.send(awarenessFrame(a.doc.clientID, aliceClock, presence('Alice')));
    // … then this connection's own state, which must get through.
    ws.send(awarenessFrame(5151, 1, presence('Moi')));
    await waitFor(() => b.provider.awareness.getStates().has(5151), 5000, 'own state after the echo storm');
    ws.close();
  });
});
