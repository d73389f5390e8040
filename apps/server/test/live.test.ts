import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, documentName, readStage } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, api, createWorkshop, joinAs, startTestServer, tempDir, waitFor, webSocketWith } from './helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function liveClient(s: RunningServer, workshopId: string, cookie: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${s.port}/ws`, documentName(workshopId, 'live'), doc, {
    WebSocketPolyfill: webSocketWith({ cookie }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const closes: number[] = [];
  provider.on('connection-close', (e) => {
    if (e) closes.push(e.code);
  });
  cleanup.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider, closes };
}

describe('live document (stage, written by the server only)', () => {
  it('shows the stage to everyone and follows stage changes made by a facilitator', async () => {
    const dir = tempDir();
    let s = await startTestServer(dir);
    const admin = await adminCookie(s);
    const w = await createWorkshop(s, admin);
    const p = await joinAs(s, admin, w.id, { name: 'Paul' });
    const c = liveClient(s, w.id, p.cookie);
    await waitFor(() => c.provider.synced && readStage(c.doc) === 'diagnostic', 5000, 'initial stage');

    // A participant may not change the stage.
    expect((await api(s, 'POST', `/api/workshops/${w.id}/stage`, { cookie: p.cookie, body: { stage: 'debat' } })).status).toBe(403);
    const bad = await api(s, 'POST', `/api/workshops/${w.id}/stage`, { cookie: admin, body: { stage: 'vote' } });
    expect(bad.status).toBe(400);

    const ok = await api(s, 'POST', `/api/workshops/${w.id}/stage`, { cookie: admin, body: { stage: 'debat' } });
    expect(ok.status).toBe(200);
    await waitFor(() => readStage(c.doc) === 'debat', 5000, 'stage change reaches the client');
    const audit = (await (await api(s, 'GET', `/api/workshops/${w.id}/audit`, { cookie: admin })).json()) as {
      entries: { action: string; details: { from: string; to: string } }[];
    };
    expect(audit.entries[0]).toMatchObject({ action: 'stage.change', details: { from: 'diagnostic', to: 'debat' } });

    // The stage survives a restart, in the workshop record and in the live document.
    c.provider.disconnect();
    await s.close();
    s = await startTestServer(dir);
    cleanup.push(() => s.close());
    const again = liveClient(s, w.id, p.cookie);
    await waitFor(() => again.provider.synced && readStage(again.doc) === 'debat', 5000, 'stage after restart');
    const got = (await (await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: p.cookie })).json()) as { workshop: { stage: string } };
    expect(got.workshop.stage).toBe('debat');
  });

  it('refuses any client write, even from a co-chair, and keeps serving', async () => {
    const s = await startTestServer();
    cleanup.push(() => s.close());
    const admin = await adminCookie(s);
    const w = await createWorkshop(s, admin);
    const c = liveClient(s, w.id, admin);
    await waitFor(() => c.provider.synced, 5000, 'sync');
    c.doc.getMap('workshop').set('stage', 'feuille-de-route');
    await waitFor(() => c.closes.includes(CloseCode.FORBIDDEN), 5000, 'refusal');
    c.provider.disconnect();
    const fresh = liveClient(s, w.id, admin);
    await waitFor(() => fresh.provider.synced && readStage(fresh.doc) === 'diagnostic', 5000, 'unchanged stage');
  });
});
