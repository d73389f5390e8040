import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, addEntry, documentName, groupDocumentName, liveGroupsMap, readEntries, updateEntry, type GroupActivity } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, api, connectClient, createWorkshop, joinAs, startTestServer, synced, validEntry, waitFor, webSocketWith, type TestClient, cleanupAfterEach } from './helpers.ts';

const { defer, track } = cleanupAfterEach();

async function setup() {
  const s = await startTestServer();
  defer(() => s.close());
  const admin = await adminCookie(s);
  const w = await createWorkshop(s, admin);
  const res = await api(s, 'POST', `/api/workshops/${w.id}/groups`, { cookie: admin, body: { name: 'Mobilités', sectors: ['transports'] } });
  expect(res.status).toBe(201);
  const { group } = (await res.json()) as { group: { id: string } };
  return { s, admin, w, group };
}

function liveGroups(s: RunningServer, workshopId: string, cookie: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${s.port}/ws`, documentName(workshopId, 'live'), doc, {
    WebSocketPolyfill: webSocketWith({ cookie }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  defer(() => {
    provider.destroy();
    doc.destroy();
  });
  return (id: string) => {
    const raw = liveGroupsMap(doc).get(id);
    return raw ? (JSON.parse(raw) as { name: string; activity: GroupActivity }) : null;
  };
}

describe('breakout groups', () => {
  it('lets group members (and facilitators) write their group document, others only read it', async () => {
    const { s, admin, w, group } = await setup();
    const member = await joinAs(s, admin, w.id, { name: 'Gaëlle', groupId: group.id });
    const outsider = await joinAs(s, admin, w.id, { name: 'Olivier' });
    // A participant may not create groups.
    expect((await api(s, 'POST', `/api/workshops/${w.id}/groups`, { cookie: member.cookie, body: { name: 'Autre' } })).status).toBe(403);
    const me = (await (await api(s, 'GET', `/api/workshops/${w.id}/me`, { cookie: member.cookie })).json()) as { member: { groupId: string } };
    expect(me.member.groupId).toBe(group.id);

    const name = groupDocumentName(w.id, group.id);
    const g = track(connectClient(s, w.id, member.cookie, { document: name }));
    const o = track(connectClient(s, w.id, outsider.cookie, { document: name }));
    const f = track(connectClient(s, w.id, admin, { document: name }));
    await Promise.all([synced(g), synced(o), synced(f)]);
    const id = addEntry(g.doc, validEntry({ title: 'Covoiturage domicile-travail' }), 'Gaëlle');
    await waitFor(() => readEntries(o.doc).length === 1, 5000, 'outsider reads the group');
    updateEntry(f.doc, id, { status: 'realise' });
    await waitFor(() => readEntries(g.doc)[0]?.status === 'realise', 5000, 'facilitator edit');
    addEntry(o.doc, validEntry({ title: 'Intrusion' }), 'Olivier');
    await waitFor(() => o.closes.some((x) => x.code === CloseCode.FORBIDDEN), 5000, 'outsider refused');
    o.provider.disconnect();
    expect(readEntries(g.doc).map((e) => e.title)).toEqual(['Covoiturage domicile-travail']);

    // An unknown group is an unknown document.
    const ghost = track(connectClient(s, w.id, admin, { document: groupDocumentName(w.id, 'aaaaaaaaaa') }));
    await waitFor(() => ghost.closes.some((x) => x.code === CloseCode.UNKNOWN_DOCUMENT), 5000, 'unknown group');
    ghost.provider.disconnect();
  });

  it('keeps the control room live: people present, entries, levers, last activity', async () => {
    const { s, admin, w, group } = await setup();
    const member = await joinAs(s, admin, w.id, { name: 'Gaëlle', groupId: group.id });
    const live = liveGroups(s, w.id, admin);
    await waitFor(() => live(group.id)?.name === 'Mobilités', 5000, 'group listed');
    const g = track(connectClient(s, w.id, member.cookie, { document: groupDocumentName(w.id, group.id) }));
    await synced(g);
    g.provider.awareness.setLocalState({ user: { name: 'Gaëlle', color: '#1d4ed8' }, editing: null });
    addEntry(g.doc, validEntry({ title: 'Plan vélo', lever: 'augm_velotc' }), 'Gaëlle');
    addEntry(g.doc, validEntry({ title: 'Bornes' }), 'Gaëlle');
    await waitFor(() => live(group.id)?.activity.entries === 2, 8000, 'activity entries');
    const a = live(group.id)!.activity;
    expect(a.leversCovered).toEqual(['augm_velotc', 'augm_voitelec']);
    expect(a.lastActivity).not.toBeNull();
    await waitFor(() => live(group.id)?.activity.online.some((p) => p.name === 'Gaëlle') ?? false, 8000, 'present');

    // Renaming keeps the figures (read from the group's document, not reset).
    g.destroy();
    const renamed = await api(s, 'PATCH', `/api/workshops/${w.id}/groups/${group.id}`, { cookie: admin, body: { name: 'Mobilités douces' } });
    expect(renamed.status).toBe(200);
    await waitFor(() => live(group.id)?.name === 'Mobilités douces', 5000, 'renamed');
    expect(live(group.id)!.activity).toMatchObject({ entries: 2, leversCovered: ['augm_velotc', 'augm_voitelec'] });
    expect(live(group.id)!.activity.lastActivity).not.toBeNull();
  });

  it('records who changed what in each entry, and never deletes a group holding entries', async () => {
    const { s, admin, w, group } = await setup();
    const member = await joinAs(s, admin, w.id, { name: 'Gaëlle', groupId: group.id });
    const g = track(connectClient(s, w.id, member.cookie, { document: groupDocumentName(w.id, group.id) }));
    await synced(g);
    const id = addEntry(g.doc, validEntry({ title: 'Autopartage' }), 'Gaëlle');
    updateEntry(g.doc, id, { title: 'Autopartage rural' });
    let history: { kind: string; authorName: string; fields: Record<string, { before: unknown; after: unknown }> }[] = [];
    for (let i = 0; i < 50 && history.length < 2; i++) {
      history = ((await (await api(s, 'GET', `/api/workshops/${w.id}/entries/${id}/history?document=group-${group.id}`, { cookie: admin })).json()) as { history: typeof history }).history;
      if (history.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(history[0]).toMatchObject({ kind: 'create', authorName: 'Gaëlle' });
    expect(history.at(-1)).toMatchObject({ kind: 'update', authorName: 'Gaëlle', fields: { title: { before: 'Autopartage', after: 'Autopartage rural' } } });

    const del = await api(s, 'DELETE', `/api/workshops/${w.id}/groups/${group.id}`, { cookie: admin });
    expect(del.status).toBe(409);
    expect(((await del.json()) as { error: string }).error).toMatch(/consolidez/);
  });

  it('exports the diagnostic as CSV with French headers', async () => {
    const { s, admin, w } = await setup();
    const c = track(connectClient(s, w.id, admin));
    await synced(c);
    addEntry(c.doc, validEntry({ title: 'Bornes; rapides "DC"' }), 'Claire');
    await new Promise((r) => setTimeout(r, 100));
    const res = await api(s, 'GET', `/api/workshops/${w.id}/diagnostic/export/csv`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const raw = new Uint8Array(await res.arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for spreadsheet software
    const text = new TextDecoder().decode(raw);
    expect(text.startsWith('Secteur;Levier;Territoire')).toBe(true);
    expect(text).toContain('"Bornes; rapides ""DC"""');
    expect(text).toContain('Véhicules électriques');
    for (const format of ['xlsx', 'ods', 'pdf']) {
      const r = await api(s, 'GET', `/api/workshops/${w.id}/diagnostic/export/${format}`, { cookie: admin });
      expect(r.status, format).toBe(200);
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(100);
      const magic = String.fromCharCode(...bytes.slice(0, 4));
      expect(magic).toBe(format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
    }
    expect((await api(s, 'GET', `/api/workshops/${w.id}/diagnostic/export/doc`, { cookie: admin })).status).toBe(400);
  });
});
