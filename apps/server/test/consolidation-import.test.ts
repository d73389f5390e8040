import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { addEntry, groupDocumentName, readEntries, readProvenance, type DiagnosticEntry } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { ADMIN, adminCookie, api, connectClient, createWorkshop, joinAs, startTestServer, synced, validEntry, waitFor, type TestClient, cleanupAfterEach } from './helpers.ts';

const { defer, track } = cleanupAfterEach();

async function setup() {
  const s = await startTestServer();
  defer(() => s.close());
  const admin = await adminCookie(s);
  const w = await createWorkshop(s, admin);
  return { s, admin, w };
}

async function createGroup(s: RunningServer, cookie: string, workshopId: string, name: string): Promise<string> {
  const res = await api(s, 'POST', `/api/workshops/${workshopId}/groups`, { cookie, body: { name } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { group: { id: string } }).group.id;
}

/** The plenary diagnostic as a fresh client sees it. */
async function plenary(s: RunningServer, workshopId: string, cookie: string): Promise<DiagnosticEntry[]> {
  const c = connectClient(s, workshopId, cookie);
  try {
    await synced(c);
    return readEntries(c.doc);
  } finally {
    c.destroy();
  }
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface Plan {
  additions: { groupId: string; groupName: string; entry: DiagnosticEntry }[];
  duplicates: { id: string; reason: string; entries: { source: string; groupId: string | null; entry: DiagnosticEntry }[] }[];
  alreadyConsolidated: unknown[];
}

describe('consolidation of the breakout groups', () => {
  async function twoGroups() {
    const { s, admin, w } = await setup();
    const a = await createGroup(s, admin, w.id, 'Mobilités nord');
    const b = await createGroup(s, admin, w.id, 'Mobilités sud');
    const ga = track(connectClient(s, w.id, admin, { document: groupDocumentName(w.id, a) }));
    const gb = track(connectClient(s, w.id, admin, { document: groupDocumentName(w.id, b) }));
    const pl = track(connectClient(s, w.id, admin));
    await Promise.all([synced(ga), synced(gb), synced(pl)]);
    // A likely duplicate across the two groups (same lever, same territory, similar title) …
    const dupA = addEntry(ga.doc, validEntry({ lever: 'augm_covoit', territory: 'departement:69', title: 'Plateforme de covoiturage domicile-travail', description: 'Lancée en 2023.' }), 'Aline');
    const dupB = addEntry(gb.doc, validEntry({ lever: 'augm_covoit', territory: 'departement:69', title: 'Plateforme covoiturage domicile travail', effectKtCO2e: 1.5 }), 'Bruno');
    // … and entries that are not duplicates: other lever, other territory, unrelated title.
    addEntry(ga.doc, validEntry({ lever: 'augm_velotc', title: 'Pistes cyclables interurbaines' }), 'Aline');
    addEntry(gb.doc, validEntry({ lever: 'augm_covoit', territory: 'departement:38', title: 'Plateforme de covoiturage domicile-travail' }), 'Bruno');
    addEntry(pl.doc, validEntry({ title: 'Bornes de recharge rapides' }), 'Claire');
    const total = () => readEntries(ga.doc).length + readEntries(gb.doc).length + readEntries(pl.doc).length;
    await waitFor(() => total() === 5, 5000, 'entries typed');
    // Let the server store them (each client sent its own edits).
    await new Promise((r) => setTimeout(r, 200));
    return { s, admin, w, a, b, dupA, dupB, pl };
  }

  it('brings every group entry in with its provenance, shows duplicates side by side, and never brings one twice', async () => {
    const { s, admin, w, a, b, dupA, dupB, pl } = await twoGroups();
    const plan = await json<Plan>(await api(s, 'POST', `/api/workshops/${w.id}/consolidation/plan`, { cookie: admin }));
    expect(plan.additions.map((x) => x.entry.title).sort()).toEqual(['Pistes cyclables interurbaines', 'Plateforme de covoiturage domicile-travail']);
    expect(plan.duplicates).toHaveLength(1);
    const cluster = plan.duplicates[0]!;
    expect(cluster.entries.map((e) => e.entry.id).sort()).toEqual([dupA, dupB].sort());
    expect(cluster.reason).toMatch(/levier|territoire|titre/i);

    const res = await api(s, 'POST', `/api/workshops/${w.id}/consolidation/apply`, {
      cookie: admin,
      body: { decisions: { [cluster.id]: { action: 'merge', keepEntryId: dupA } } },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ added: 3, merged: 1 });

    // The plenary client already open sees the result live.
    await waitFor(() => readEntries(pl.doc).length === 4, 5000, 'consolidated entries reach the plenary');
    const entries = await plenary(s, w.id, admin);
    expect(entries).toHaveLength(4);
    const merged = entries.find((e) => e.title === 'Plateforme de covoiturage domicile-travail' && e.territory === 'departement:69')!;
    expect(merged.effectKtCO2e).toBe(1.5); // the kept entry states none: the other one's figure is kept
    expect(merged.description).toBe('Lancée en 2023.');
    const sources = readProvenance(merged);
    expect(sources.map((p) => [p.sourceId, p.ref, p.author]).sort()).toEqual(
      [
        [a, dupA, 'Aline'],
        [b, dupB, 'Bruno'],
      ].sort(),
    );
    // Every entry brought in names its group and its author.
    for (const e of entries.filter((x) => x.title !== 'Bornes de recharge rapides')) {
      expect(readProvenance(e).every((p) => p.kind === 'group' && [a, b].includes(p.sourceId))).toBe(true);
    }
    // The history names who consolidated.
    let history: { kind: string; authorName: string }[] = [];
    for (let i = 0; i < 50 && history.length === 0; i++) {
      history = (await json<{ history: typeof history }>(await api(s, 'GET', `/api/workshops/${w.id}/entries/${merged.id}/history`, { cookie: admin }))).history;
      if (history.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(history[0]).toMatchObject({ kind: 'create', authorName: ADMIN.name });

    // Applying again brings nothing twice.
    const again = await json<Plan>(await api(s, 'POST', `/api/workshops/${w.id}/consolidation/plan`, { cookie: admin }));
    expect(again.additions).toHaveLength(0);
    expect(again.duplicates).toHaveLength(0);
    expect(again.alreadyConsolidated).toHaveLength(4);
    expect(await json(await api(s, 'POST', `/api/workshops/${w.id}/consolidation/apply`, { cookie: admin, body: { decisions: {} } }))).toMatchObject({ added: 0, merged: 0 });
    expect(await plenary(s, w.id, admin)).toHaveLength(4);

    // Consolidated, a group can be deleted; its invitation link closes with it.
    const inv = await json<{ invitation: { token: string } }>(
      await api(s, 'POST', `/api/workshops/${w.id}/invitations`, { cookie: admin, body: { role: 'participant', label: 'Groupe nord', groupId: a } }),
    );
    expect((await api(s, 'DELETE', `/api/workshops/${w.id}/groups/${a}`, { cookie: admin })).status).toBe(200);
    const join = await api(s, 'POST', `/api/join/${inv.invitation.token}`, { body: { name: 'Tardif', organisation: 'CCI', category: 'organisme-consulaire' } });
    expect(join.status).toBe(410);
  });

  it('keeps every entry when no decision is taken, and refuses bad decisions and other roles', async () => {
    const { s, admin, w } = await twoGroups();
    const participant = await joinAs(s, admin, w.id, { name: 'Paul' });
    expect((await api(s, 'POST', `/api/workshops/${w.id}/consolidation/plan`, { cookie: participant.cookie })).status).toBe(403);
    expect((await api(s, 'POST', `/api/workshops/${w.id}/consolidation/apply`, { cookie: participant.cookie, body: { decisions: {} } })).status).toBe(403);
    const bad = await api(s, 'POST', `/api/workshops/${w.id}/consolidation/apply`, { cookie: admin, body: { decisions: { 'dup-x': { action: 'fusionner' } } } });
    expect(bad.status).toBe(400);
    expect(await plenary(s, w.id, admin)).toHaveLength(1);

    const res = await json<{ added: number; merged: number }>(await api(s, 'POST', `/api/workshops/${w.id}/consolidation/apply`, { cookie: admin, body: {} }));
    expect(res).toEqual(expect.objectContaining({ added: 4, merged: 0 }));
    expect(await plenary(s, w.id, admin)).toHaveLength(5);
  });
});

describe('import of existing actions', () => {
  const HEADER = 'Intitulé;Levier;Territoire;Porteur;Statut;Gain (tCO2e);Année de début';
  const ROWS = [
    'Bornes de recharge en gare;Véhicules électriques;Rhône;Métropole de Lyon;Réalisé;1200;2022',
    'Covoiturage solidaire;Covoiturage;69;Métropole de Lyon;En cours;;2024',
    'Action sans levier connu;Téléportation;Rhône;Métropole de Lyon;En cours;;2024',
    'Statut inconnu;Covoiturage;Rhône;Métropole de Lyon;peut-être;;2024',
    'Pistes cyclables;Vélo et transport en commun;Isère;Grenoble-Alpes Métropole;Prévu;abc;2025',
  ];
  const csv = (lines: string[]) => new File([[HEADER, ...lines].join('\r\n')], 'pcaet-actions.csv', { type: 'text/csv' });

  async function upload(s: RunningServer, workshopId: string, cookie: string, file: File): Promise<Response> {
    const form = new FormData();
    form.append('file', file, file.name);
    return fetch(`${s.url}/api/workshops/${workshopId}/import/preview`, { method: 'POST', body: form, headers: { cookie } });
  }

  interface Preview {
    importId: string;
    header: string[];
    sample: string[][];
    total: number;
    mapping: Record<string, number | null>;
  }

  it('previews, maps the columns, reports bad rows by row number and writes only the valid rows', async () => {
    const { s, admin, w } = await setup();
    const res = await upload(s, w.id, admin, csv(ROWS));
    expect(res.status).toBe(200);
    const p = await json<Preview>(res);
    expect(p.total).toBe(5);
    expect(p.header[0]).toBe('Intitulé');
    expect(p.sample).toHaveLength(5);
    expect(p.mapping).toMatchObject({ title: 0, lever: 1, territory: 2, organisation: 3, status: 4, effectKtCO2e: 5, yearStart: 6 });

    const v = await json<{ valid: unknown[]; errors: { rowNumber: number; field?: string; message: string }[]; total: number }>(
      await api(s, 'POST', `/api/workshops/${w.id}/import/validate`, { cookie: admin, body: { importId: p.importId, mapping: p.mapping, defaults: {} } }),
    );
    expect(v.valid).toHaveLength(2);
    expect(v.errors.map((e) => [e.rowNumber, e.field])).toEqual([
      [4, 'lever'],
      [5, 'status'],
      [6, 'effectKtCO2e'],
    ]);
    // Nothing is written by the preview or the check.
    expect(await plenary(s, w.id, admin)).toHaveLength(0);

    const commit = await api(s, 'POST', `/api/workshops/${w.id}/import/commit`, {
      cookie: admin,
      body: { importId: p.importId, mapping: p.mapping, defaults: {}, document: 'diagnostic' },
    });
    expect(commit.status).toBe(200);
    expect(await json(commit)).toMatchObject({ written: 2 });
    const entries = await plenary(s, w.id, admin);
    expect(entries.map((e) => e.title).sort()).toEqual(['Bornes de recharge en gare', 'Covoiturage solidaire']);
    const bornes = entries.find((e) => e.title === 'Bornes de recharge en gare')!;
    expect(bornes).toMatchObject({ lever: 'augm_voitelec', territory: 'departement:69', status: 'realise', effectKtCO2e: 1.2, yearStart: 2022 });
    expect(readProvenance(bornes)).toEqual([expect.objectContaining({ kind: 'import', sourceName: 'pcaet-actions.csv', ref: '2' })]);

    // The same upload cannot be written twice.
    const twice = await api(s, 'POST', `/api/workshops/${w.id}/import/commit`, {
      cookie: admin,
      body: { importId: p.importId, mapping: p.mapping, defaults: {}, document: 'diagnostic' },
    });
    expect(twice.status).toBe(410);
    expect(await plenary(s, w.id, admin)).toHaveLength(2);
  });

  it('writes an upload once when the same commit arrives several times at once (double click)', async () => {
    const { s, admin, w } = await setup();
    const p = await json<Preview>(await upload(s, w.id, admin, csv(ROWS)));
    const body = { importId: p.importId, mapping: p.mapping, defaults: {}, document: 'diagnostic' };
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => api(s, 'POST', `/api/workshops/${w.id}/import/commit`, { cookie: admin, body })))).map(
      (r) => r.status,
    );
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 410)).toHaveLength(4);
    expect(await plenary(s, w.id, admin)).toHaveLength(2);
  });

  it('reads XLSX files and imports into a breakout group for its members only', async () => {
    const { s, admin, w } = await setup();
    const groupId = await createGroup(s, admin, w.id, 'Bâtiments');
    const member = await joinAs(s, admin, w.id, { name: 'Gaëlle', groupId });
    const outsider = await joinAs(s, admin, w.id, { name: 'Olivier' });
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Actions');
    sheet.addRow(['Action', 'Levier', 'Territoire', 'Structure', 'État', 'Réduction (ktCO2e)']);
    sheet.addRow(['Rénovation des écoles', 'Sobriété et isolation des bâtiments (tertiaire)', 'Isère', 'Département de l’Isère', 'En cours', 0.8]);
    sheet.addRow(['Chaufferie bois', 'Changement de chaudière à fioul (résidentiel)', 'Isère', 'Grenoble-Alpes Métropole', 'Réalisé', 2]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const file = new File([bytes], 'actions.xlsx');

    const mine = await json<Preview>(await upload(s, w.id, member.cookie, file));
    expect(mine.total).toBe(2);
    const body = { importId: mine.importId, mapping: mine.mapping, defaults: {}, document: `group-${groupId}` };
    // Someone else's upload is not theirs to use.
    const { document: _target, ...check } = body;
    expect((await api(s, 'POST', `/api/workshops/${w.id}/import/validate`, { cookie: outsider.cookie, body: check })).status).toBe(410);
    // An outsider may not import into the group.
    const theirs = await json<Preview>(await upload(s, w.id, outsider.cookie, file));
    const refused = await api(s, 'POST', `/api/workshops/${w.id}/import/commit`, { cookie: outsider.cookie, body: { ...body, importId: theirs.importId } });
    expect(refused.status).toBe(403);

    const ok = await api(s, 'POST', `/api/workshops/${w.id}/import/commit`, { cookie: member.cookie, body });
    expect(await json(ok)).toMatchObject({ written: 2 });
    const g = track(connectClient(s, w.id, member.cookie, { document: groupDocumentName(w.id, groupId) }));
    await synced(g);
    expect(readEntries(g.doc).map((e) => [e.title, e.effectKtCO2e, e.author])).toEqual(
      expect.arrayContaining([
        ['Rénovation des écoles', 0.8, 'Gaëlle'],
        ['Chaufferie bois', 2, 'Gaëlle'],
      ]),
    );
    expect(await plenary(s, w.id, admin)).toHaveLength(0);
  });

  it('refuses malformed, empty, oversized and overlong files with a clear message', async () => {
    const { s, admin, w } = await setup();
    const observer = await joinAs(s, admin, w.id, { name: 'Odile', role: 'observateur' });
    const errorOf = async (res: Response) => ({ status: res.status, error: (await json<{ error: string }>(res)).error });

    expect(await errorOf(await upload(s, w.id, admin, new File([], 'vide.csv')))).toMatchObject({ status: 400, error: expect.stringMatching(/vide/) });
    expect(await errorOf(await upload(s, w.id, admin, new File([new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9, 9, 1, 2, 3])], 'abime.xlsx')))).toMatchObject({
      status: 400,
      error: expect.stringMatching(/XLSX illisible/),
    });
    expect(await errorOf(await upload(s, w.id, admin, new File([HEADER], 'entete.csv')))).toMatchObject({ status: 400, error: expect.stringMatching(/en-tête/) });
    const unclosed = await upload(s, w.id, admin, new File([`${HEADER}\r\n"guillemet jamais fermé;Covoiturage;Rhône`], 'casse.csv'));
    expect(await errorOf(unclosed)).toMatchObject({ status: 400, error: expect.stringMatching(/CSV illisible/) });
    const noFile = await fetch(`${s.url}/api/workshops/${w.id}/import/preview`, { method: 'POST', body: new FormData(), headers: { cookie: admin } });
    expect(await errorOf(noFile)).toMatchObject({ status: 400, error: expect.stringMatching(/aucun fichier/) });

    // Very large: over 5 MB, and over 5,000 rows.
    const big = new File([new Uint8Array(6 * 1024 * 1024).fill(0x61)], 'enorme.csv');
    expect((await upload(s, w.id, admin, big)).status).toBe(413);
    const long = csv(Array.from({ length: 5001 }, (_, i) => `Action ${i};Covoiturage;Rhône;Métropole de Lyon;En cours;;2024`));
    expect(await errorOf(await upload(s, w.id, admin, long))).toMatchObject({ status: 413, error: expect.stringMatching(/trop long/) });

    // Observers read only.
    expect((await upload(s, w.id, observer.cookie, csv(ROWS))).status).toBe(403);
    expect(await plenary(s, w.id, admin)).toHaveLength(0);
  });

  it('writes nothing for wrong columns, a bad body, or a cancelled import', async () => {
    const { s, admin, w } = await setup();
    const p = await json<Preview>(await upload(s, w.id, admin, csv(ROWS)));
    const post = (path: string, body: unknown) => api(s, 'POST', `/api/workshops/${w.id}/import/${path}`, { cookie: admin, body });

    // A column the file does not have, and no title column: refused whole, with the reason.
    const wrong = await json<{ valid: unknown[]; errors: { rowNumber: number; message: string }[] }>(
      await post('validate', { importId: p.importId, mapping: { ...p.mapping, lever: 42 }, defaults: {} }),
    );
    expect(wrong.valid).toHaveLength(0);
    expect(wrong.errors[0]).toMatchObject({ rowNumber: 1, message: expect.stringMatching(/colonne n° 43 n’existe pas/) });
    const noTitle = await post('commit', { importId: p.importId, mapping: { ...p.mapping, title: null }, defaults: {}, document: 'diagnostic' });
    expect(noTitle.status).toBe(422);
    expect((await json<{ error: string }>(noTitle)).error).toMatch(/rien n’a été écrit/);
    // Malformed bodies.
    expect((await post('validate', { importId: p.importId, mapping: { title: 'A' } })).status).toBe(400);
    expect((await post('validate', { importId: 'not-an-id', mapping: {} })).status).toBe(400);
    expect((await post('commit', { importId: p.importId, mapping: p.mapping, document: 'group-zzzzzzzzzz' })).status).toBe(404);
    expect(await plenary(s, w.id, admin)).toHaveLength(0);

    // Cancelled: the upload is forgotten, nothing was written.
    expect((await api(s, 'DELETE', `/api/workshops/${w.id}/import/${p.importId}`, { cookie: admin })).status).toBe(200);
    expect((await post('commit', { importId: p.importId, mapping: p.mapping, defaults: {}, document: 'diagnostic' })).status).toBe(410);
    expect(await plenary(s, w.id, admin)).toHaveLength(0);
  });
});
