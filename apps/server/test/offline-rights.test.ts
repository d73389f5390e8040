/**
 * Edits made offline are checked when they arrive, like any other: with the rights the person has *then*, and
 * against the diagnostic's rules. An honest offline edit is stored once; one made by someone who lost the right
 * to write meanwhile, or one the rules refuse, never reaches the store or the other clients.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, addEntry, readEntries } from '@agora/domain';
import { adminCookie, api, connectClient, createWorkshop, joinAs, startTestServer, synced, validEntry, waitFor, type TestClient, cleanupAfterEach } from './helpers.ts';

const { defer, track } = cleanupAfterEach();

async function setup() {
  const s = await startTestServer();
  defer(() => s.close());
  const admin = await adminCookie(s);
  const w = await createWorkshop(s, admin);
  const watcher = track(connectClient(s, w.id, admin));
  await synced(watcher);
  return { s, admin, w, watcher };
}

describe('edits made offline', () => {
  it('arrive once when the connection comes back', async () => {
    const { s, admin, w, watcher } = await setup();
    const p = await joinAs(s, admin, w.id, { name: 'Paula' });
    const c = track(connectClient(s, w.id, p.cookie));
    await synced(c);
    c.provider.disconnect();
    addEntry(c.doc, validEntry({ title: 'Écrit hors ligne' }), 'Paula');
    addEntry(c.doc, validEntry({ title: 'Écrit hors ligne aussi' }), 'Paula');
    await new Promise((r) => setTimeout(r, 100));
    expect(readEntries(watcher.doc)).toHaveLength(0);
    c.provider.connect();
    await waitFor(() => readEntries(watcher.doc).length === 2, 5000, 'offline edits delivered');
    // Reconnecting again sends nothing new: still two entries, once each.
    c.provider.disconnect();
    c.provider.connect();
    await synced(c);
    await new Promise((r) => setTimeout(r, 200));
    expect(readEntries(watcher.doc).map((e) => e.title).sort()).toEqual(['Écrit hors ligne', 'Écrit hors ligne aussi']);
  });

  it('are refused when the person became an observer meanwhile, and never reach the others', async () => {
    const { s, admin, w, watcher } = await setup();
    const p = await joinAs(s, admin, w.id, { name: 'Paula' });
    const c = track(connectClient(s, w.id, p.cookie));
    await synced(c);
    c.provider.disconnect();
    addEntry(c.doc, validEntry({ title: 'Écrit avant de devenir observatrice' }), 'Paula');
    const res = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: admin, body: { role: 'observateur' } });
    expect(res.status).toBe(200);
    c.provider.connect();
    await waitFor(() => c.closes.some((x) => x.code === CloseCode.FORBIDDEN), 5000, 'refused as read-only');
    c.provider.disconnect();
    await new Promise((r) => setTimeout(r, 150));
    expect(readEntries(watcher.doc)).toHaveLength(0);
    const fresh = track(connectClient(s, w.id, admin));
    await synced(fresh);
    expect(readEntries(fresh.doc)).toHaveLength(0);
  });

  it('are refused when the person was removed meanwhile', async () => {
    const { s, admin, w, watcher } = await setup();
    const p = await joinAs(s, admin, w.id, { name: 'Paula' });
    const c = track(connectClient(s, w.id, p.cookie));
    await synced(c);
    c.provider.disconnect();
    addEntry(c.doc, validEntry({ title: 'Écrit avant d’être retirée' }), 'Paula');
    expect((await api(s, 'DELETE', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: admin })).status).toBe(200);
    c.provider.connect();
    await waitFor(() => c.closes.some((x) => x.code === CloseCode.FORBIDDEN || x.code === CloseCode.REVOKED), 5000, 'refused at the upgrade');
    c.provider.disconnect();
    await new Promise((r) => setTimeout(r, 150));
    expect(readEntries(watcher.doc)).toHaveLength(0);
  });

  it('are refused whole when the rules refuse one of them', async () => {
    const { s, admin, w, watcher } = await setup();
    const p = await joinAs(s, admin, w.id, { name: 'Paula' });
    const c = track(connectClient(s, w.id, p.cookie));
    await synced(c);
    c.provider.disconnect();
    addEntry(c.doc, validEntry({ title: 'Valide' }), 'Paula');
    addEntry(c.doc, validEntry({ title: 'Hors région', territory: 'departement:29' }), 'Paula');
    c.provider.connect();
    await waitFor(() => c.closes.some((x) => x.code === CloseCode.EDIT_REFUSED), 5000, 'refused by the rules');
    c.provider.disconnect();
    await new Promise((r) => setTimeout(r, 150));
    expect(readEntries(watcher.doc)).toHaveLength(0);
  });
});
