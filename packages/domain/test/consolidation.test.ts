import { describe, it, expect } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry,
  DiagnosticEntrySchema,
  readEntries,
  readProvenance,
  validateDiagnosticDoc,
  type DiagnosticEntry,
  type DiagnosticRules,
  type EntryStatus,
  type Provenance,
} from '../src/index.ts';
import {
  applyConsolidation,
  jaccard,
  levenshtein,
  levenshteinSimilarity,
  mergeDescriptions,
  normaliseTitle,
  planConsolidation,
  titleSimilarity,
  toWritableEntry,
  TITLE_JACCARD_THRESHOLD,
  TITLE_LEVENSHTEIN_THRESHOLD,
  type ConsolidatedEntry,
  type DuplicateDecision,
  type GroupEntries,
} from '../src/consolidation/index.ts';

const NOW = 1_750_000_000_000;

function entry(id: string, over: Partial<DiagnosticEntry> = {}): DiagnosticEntry {
  return {
    id,
    lever: 'augm_voitelec',
    territory: 'departement:69',
    organisation: 'Métropole de Lyon',
    status: 'en-cours',
    title: 'Déploiement de bornes de recharge électrique',
    description: '',
    effectValue: null,
    effectUnit: '',
    effectKtCO2e: null,
    yearStart: null,
    yearEnd: null,
    source: '',
    author: 'Gaëlle',
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

const group = (groupId: string, groupName: string, entries: DiagnosticEntry[]): GroupEntries => ({ groupId, groupName, entries });

describe('title similarity', () => {
  it('thresholds are the documented constants', () => {
    expect(TITLE_JACCARD_THRESHOLD).toBe(0.5);
    expect(TITLE_LEVENSHTEIN_THRESHOLD).toBe(0.8);
  });

  it('normalises case, accents, punctuation, stop words and plurals', () => {
    expect(normaliseTitle('Déploiement de bornes de recharge électrique')).toBe('deploiement borne recharge electrique');
    expect(normaliseTitle('Bornes de recharge : déploiement')).toBe('borne recharge deploiement');
    expect(normaliseTitle("L’éco-quartier des Pentes, à Lyon")).toBe('eco quartier pente lyon');
    expect(normaliseTitle('Réseaux de chaleur et d’eau')).toBe('reseau chaleur eau');
  });

  it('« Déploiement de bornes de recharge électrique » ≈ « Bornes de recharge : déploiement » (3 words of 4)', () => {
    const s = titleSimilarity('Déploiement de bornes de recharge électrique', 'Bornes de recharge : déploiement');
    expect(s.jaccard).toBe(0.75);
    expect(s.similar).toBe(true);
  });

  it('« Plan vélo » is not « Plan climat »', () => {
    const s = titleSimilarity('Plan vélo', 'Plan climat');
    expect(s.jaccard).toBeCloseTo(1 / 3, 12);
    expect(s.levenshtein).toBeLessThan(TITLE_LEVENSHTEIN_THRESHOLD);
    expect(s.similar).toBe(false);
  });

  it('accents and case do not matter', () => {
    expect(titleSimilarity('PLAN VÉLO DÉPARTEMENTAL', 'plan velo departemental')).toMatchObject({ jaccard: 1, levenshtein: 1, similar: true });
    expect(titleSimilarity('Rénovation énergétique des écoles', 'renovation energetique des ecoles primaires').similar).toBe(true);
  });

  it('typos are caught by the edit distance when words no longer match', () => {
    const s = titleSimilarity('Rénovation thermque des gymnases', 'Renovaton thermique des gymnases');
    expect(s.jaccard).toBeCloseTo(1 / 5, 12);
    expect(s.levenshtein).toBeGreaterThanOrEqual(0.9);
    expect(s.similar).toBe(true);
  });

  it('different actions on the same theme are not similar', () => {
    expect(titleSimilarity('Création de pistes cyclables', 'Location de vélos électriques').similar).toBe(false);
    expect(titleSimilarity('Covoiturage domicile-travail', 'Autopartage en zone rurale').similar).toBe(false);
  });

  it('titles made of stop words only are compared on their text', () => {
    expect(titleSimilarity('Et la', 'et LA').similar).toBe(true);
    expect(titleSimilarity('Et la', 'Pour le').similar).toBe(false);
  });

  it('levenshtein and jaccard primitives', () => {
    expect(levenshtein('chaton', 'chatons')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abcdef', 'uvwxyz', 2)).toBe(3); // stopped early: more than 2
    expect(levenshtein('renovation thermque gymnase', 'renovaton thermique gymnase', 5)).toBe(2);
    expect(jaccard([], ['a'])).toBe(0);
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3, 12);
  });
});

describe('levenshtein agrees with the textbook algorithm (random strings, bounded or not)', () => {
  function textbook(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[a.length]![b.length]!;
  }

  it('3 000 pairs', () => {
    const rnd = prng(42);
    const word = () => Array.from({ length: Math.floor(rnd() * 14) }, () => 'abcde'[Math.floor(rnd() * 5)]).join('');
    for (let n = 0; n < 3000; n++) {
      const a = word();
      const b = rnd() < 0.5 ? word() : a.slice(0, Math.floor(rnd() * a.length)) + word().slice(0, 2) + a.slice(Math.floor(rnd() * a.length));
      const exact = textbook(a, b);
      const max = Math.floor(rnd() * 6);
      expect(levenshtein(a, b), `${a} / ${b}`).toBe(exact);
      expect(levenshtein(a, b, max), `${a} / ${b} ≤ ${max}`).toBe(exact <= max ? exact : max + 1);
    }
  });
});

describe('planConsolidation', () => {
  it('same lever, same territory, similar titles across groups: one cluster; the rest are additions', () => {
    const a1 = entry('groupA-entry-1');
    const a2 = entry('groupA-entry-2', { title: 'Plan vélo', lever: 'augm_velotc' });
    const b1 = entry('groupB-entry-1', { title: 'Bornes de recharge : déploiement', author: 'Karim' });
    const b2 = entry('groupB-entry-2', { title: 'Plan climat', lever: 'augm_velotc' });
    const plan = planConsolidation([], [group('ga', 'Mobilités', [a1, a2]), group('gb', 'Territoires', [b1, b2])]);
    expect(plan.duplicates).toHaveLength(1);
    const d = plan.duplicates[0]!;
    expect(d.id).toBe('dup-groupA-entry-1');
    expect(d.entries.map((e) => [e.source, e.groupName, e.entry.id])).toEqual([
      ['group', 'Mobilités', 'groupA-entry-1'],
      ['group', 'Territoires', 'groupB-entry-1'],
    ]);
    // The edit-distance figure shown for a similar pair is exact, not the early-stopped bound.
    expect(d.pairs).toEqual([{ a: 0, b: 1, jaccard: 0.75, levenshtein: levenshteinSimilarity(normaliseTitle(a1.title), normaliseTitle(b1.title)) }]);
    expect(d.reason).toMatch(/^Même levier et même territoire, intitulés proches \(75 % de mots en commun/);
    expect(plan.additions.map((a) => a.entry.id)).toEqual(['groupA-entry-2', 'groupB-entry-2']);
    expect(plan.groupEntryCount).toBe(4);
  });

  it('the same title on another territory, or another lever, is not a duplicate', () => {
    const a = entry('groupA-entry-1');
    const b = entry('groupB-entry-1', { territory: 'departement:38' });
    const c = entry('groupC-entry-1', { lever: 'augm_buselec' });
    const plan = planConsolidation([], [group('ga', 'A', [a]), group('gb', 'B', [b]), group('gc', 'C', [c])]);
    expect(plan.duplicates).toEqual([]);
    expect(plan.additions).toHaveLength(3);
  });

  it('accents and case differences are duplicates', () => {
    const a = entry('groupA-entry-1', { title: 'PLAN VÉLO MÉTROPOLITAIN', lever: 'augm_velotc' });
    const b = entry('groupB-entry-1', { title: 'plan velo metropolitain', lever: 'augm_velotc' });
    expect(planConsolidation([], [group('ga', 'A', [a]), group('gb', 'B', [b])]).duplicates).toHaveLength(1);
  });

  it('a group entry like a plenary entry: cluster with the plenary entry first', () => {
    const p = entry('plenary-entry-1', { title: 'Bornes de recharge électrique', author: 'Animateur' });
    const a = entry('groupA-entry-1', { title: 'Déploiement des bornes de recharge' });
    const plan = planConsolidation([p], [group('ga', 'Mobilités', [a])]);
    expect(plan.duplicates).toHaveLength(1);
    expect(plan.duplicates[0]!.entries.map((e) => [e.source, e.groupId])).toEqual([
      ['plenary', null],
      ['group', 'ga'],
    ]);
    expect(plan.duplicates[0]!.reason).toContain('plénière');
    expect(plan.additions).toEqual([]);
  });

  it('entries of one group are not compared with each other, nor plenary entries with each other', () => {
    const plan = planConsolidation(
      [entry('plenary-entry-1'), entry('plenary-entry-2')],
      [group('ga', 'A', [entry('groupA-entry-1', { territory: 'region:84' }), entry('groupA-entry-2', { territory: 'region:84' })])],
    );
    expect(plan.duplicates).toEqual([]);
    expect(plan.additions).toHaveLength(2);
  });

  it('transitive similarity makes one cluster of three', () => {
    const plan = planConsolidation(
      [],
      [
        group('ga', 'A', [entry('groupA-entry-1', { title: 'Bornes de recharge' })]),
        group('gb', 'B', [entry('groupB-entry-1', { title: 'Bornes de recharge rapide' })]),
        group('gc', 'C', [entry('groupC-entry-1', { title: 'Recharge rapide' })]),
      ],
    );
    expect(plan.duplicates).toHaveLength(1);
    expect(plan.duplicates[0]!.entries).toHaveLength(3);
  });

  it('group entries already consolidated (named in a plenary provenance) are not brought in again', () => {
    const a = entry('groupA-entry-1');
    const prov: Provenance[] = [{ kind: 'group', sourceId: 'ga', sourceName: 'Mobilités', ref: 'groupA-entry-1', author: 'Gaëlle' }];
    const p = entry('plenary-entry-1', { provenance: JSON.stringify(prov) });
    const plan = planConsolidation([p], [group('ga', 'Mobilités', [a, entry('groupA-entry-2', { title: 'Autre chose' })])]);
    expect(plan.alreadyConsolidated).toEqual([{ groupId: 'ga', groupName: 'Mobilités', entry: a, plenaryEntryId: 'plenary-entry-1' }]);
    expect(plan.additions.map((x) => x.entry.id)).toEqual(['groupA-entry-2']);
    expect(plan.duplicates).toEqual([]);
    expect(plan.groupEntryCount).toBe(1);
  });
});

describe('applyConsolidation', () => {
  const a1 = entry('groupA-entry-1', {
    description: 'Installation de 40 bornes sur les parkings relais.',
    effectKtCO2e: 2,
    effectValue: 40,
    effectUnit: 'bornes',
    yearStart: 2023,
    source: 'https://example.org/pcaet',
  });
  const b1 = entry('groupB-entry-1', {
    title: 'Bornes de recharge : déploiement',
    author: 'Karim',
    status: 'realise',
    description: 'installation de 40 bornes sur les parkings relais\n\nFinancement ADVENIR.',
    effectKtCO2e: 3.5,
    effectValue: 60,
    effectUnit: 'Bornes',
    yearEnd: 2026,
  });
  const groups = [group('ga', 'Mobilités', [a1]), group('gb', 'Territoires', [b1])];

  it('additions keep their content and name their source: group, entry id, author', () => {
    const plan = planConsolidation([], [group('ga', 'Mobilités', [entry('groupA-entry-9', { title: 'Plan vélo' })])]);
    const out = applyConsolidation(plan, {});
    expect(out.add).toHaveLength(1);
    expect(out.add[0]).toMatchObject({ title: 'Plan vélo', author: 'Gaëlle' });
    expect(out.add[0]!.provenance).toEqual([{ kind: 'group', sourceId: 'ga', sourceName: 'Mobilités', ref: 'groupA-entry-9', author: 'Gaëlle' }]);
    expect(out).toMatchObject({ added: 1, merged: 0, update: [], warnings: [] });
  });

  it('keep-all (and no decision) adds every entry of the cluster', () => {
    const plan = planConsolidation([], groups);
    const id = plan.duplicates[0]!.id;
    for (const decisions of [{ [id]: { action: 'keep-all' } as DuplicateDecision }, {}]) {
      const out = applyConsolidation(plan, decisions);
      expect(out.add.map((e) => e.provenance[0]!.ref)).toEqual(['groupA-entry-1', 'groupB-entry-1']);
      expect(out.merged).toBe(0);
    }
  });

  it('merge keeps the chosen entry, joins distinct descriptions, keeps its stated effects, lists every source', () => {
    const plan = planConsolidation([], groups);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupA-entry-1' } });
    expect(out.added).toBe(1);
    expect(out.merged).toBe(1);
    const m = out.add[0]!;
    expect(m.title).toBe('Déploiement de bornes de recharge électrique');
    expect(m.status).toBe('en-cours');
    expect(m.author).toBe('Gaëlle');
    // a1's description is contained in b1's (ignoring case and punctuation): only b1's longer text remains.
    expect(m.description).toBe('installation de 40 bornes sur les parkings relais\n\nFinancement ADVENIR.');
    expect(m.effectKtCO2e).toBe(2); // the chosen entry states one: kept
    expect(m.effectValue).toBe(40);
    expect(m.yearStart).toBe(2023);
    expect(m.yearEnd).toBe(2026); // the chosen entry has none: latest end of the merged entries
    expect(m.source).toBe('https://example.org/pcaet');
    expect(m.provenance.map((p) => [p.sourceName, p.ref, p.author])).toEqual([
      ['Mobilités', 'groupA-entry-1', 'Gaëlle'],
      ['Territoires', 'groupB-entry-1', 'Karim'],
    ]);
  });

  it('merge: when the chosen entry states no effect, the largest stated one is kept (not the sum)', () => {
    const plan = planConsolidation([], [
      group('ga', 'A', [entry('groupA-entry-1', { effectKtCO2e: null, effectValue: null, effectUnit: '' })]),
      group('gb', 'B', [entry('groupB-entry-1', { effectKtCO2e: 3.5, effectValue: 60, effectUnit: 'bornes' })]),
      group('gc', 'C', [entry('groupC-entry-1', { effectKtCO2e: 1, effectValue: 80, effectUnit: 'Bornes' })]),
    ]);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupA-entry-1' } });
    expect(out.add[0]).toMatchObject({ effectKtCO2e: 3.5, effectValue: 80, effectUnit: 'bornes' });
    expect(out.merged).toBe(2);
  });

  it('merge into a plenary entry: the plenary entry is updated (id and author kept), nothing is added', () => {
    const p = entry('plenary-entry-1', { title: 'Bornes de recharge électrique', author: 'Animateur', description: 'Saisie en plénière.' });
    const plan = planConsolidation([p], [group('ga', 'Mobilités', [a1])]);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'plenary-entry-1' } });
    expect(out.add).toEqual([]);
    expect(out.merged).toBe(1);
    expect(out.update).toHaveLength(1);
    const u = out.update[0]!;
    expect(u.entryId).toBe('plenary-entry-1');
    expect(u.entry.author).toBe('Animateur');
    expect(u.entry.title).toBe('Bornes de recharge électrique');
    expect(u.patch.title).toBeUndefined();
    expect(u.patch.description).toBe('Saisie en plénière.\n\nInstallation de 40 bornes sur les parkings relais.');
    expect(u.patch.effectKtCO2e).toBe(2);
    expect(JSON.parse(u.patch.provenance!)).toEqual([{ kind: 'group', sourceId: 'ga', sourceName: 'Mobilités', ref: 'groupA-entry-1', author: 'Gaëlle' }]);
  });

  it('merge keeping a group entry over a plenary one: the plenary entry takes its content', () => {
    const p = entry('plenary-entry-1', { title: 'Bornes de recharge électrique', author: 'Animateur', status: 'prevu' });
    const plan = planConsolidation([p], [group('ga', 'Mobilités', [a1])]);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupA-entry-1' } });
    expect(out.add).toEqual([]);
    expect(out.update[0]!.entryId).toBe('plenary-entry-1');
    expect(out.update[0]!.patch).toMatchObject({ title: 'Déploiement de bornes de recharge électrique', status: 'en-cours' });
    expect(out.update[0]!.entry.author).toBe('Animateur');
  });

  it('an unknown entry to keep falls back to keep-all with a warning', () => {
    const plan = planConsolidation([], groups);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'nope-nope-nope' } });
    expect(out.add).toHaveLength(2);
    expect(out.warnings).toEqual([{ clusterId: plan.duplicates[0]!.id, message: expect.stringContaining('introuvable') }]);
  });

  it('descriptions too long once joined: keep-all with a warning, nothing cut', () => {
    const long = (c: string) => c.repeat(3000);
    const plan = planConsolidation([], [
      group('ga', 'A', [entry('groupA-entry-1', { description: long('a ') })]),
      group('gb', 'B', [entry('groupB-entry-1', { description: long('b ') })]),
    ]);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupB-entry-1' } });
    expect(out.add).toHaveLength(2);
    expect(out.warnings[0]!.message).toContain('5000');
  });

  it('mergeDescriptions drops empty, equal and contained texts', () => {
    expect(mergeDescriptions(['', 'Vélo.', 'vélo', '  ', 'Vélo et bus.', 'Autre'])).toBe('Vélo et bus.\n\nAutre');
  });

  it('written with addEntry, consolidated entries pass the diagnostic validation (provenance field included)', () => {
    const plan = planConsolidation([], groups);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupB-entry-1' } });
    const doc = new Y.Doc();
    for (const e of out.add) {
      const { input, author } = toWritableEntry(e);
      addEntry(doc, input, author, NOW);
    }
    const rules: DiagnosticRules = { leverIds: new Set(['augm_voitelec']), isTerritory: (r) => r === 'departement:69', maxEntries: 10 };
    expect(validateDiagnosticDoc(doc, rules)).toEqual({ ok: true });
    const [written] = readEntries(doc);
    expect(readProvenance(written!).map((p) => p.ref)).toEqual(['groupA-entry-1', 'groupB-entry-1']); // cluster order
  });

  it('applying twice brings nothing new: the second plan finds everything already consolidated', () => {
    const plenary: DiagnosticEntry[] = [entry('plenary-entry-1', { title: 'Covoiturage', lever: 'augm_covoit' })];
    const gs = [...groups, group('gc', 'C', [entry('groupC-entry-1', { title: 'Plan vélo', lever: 'augm_velotc' })])];
    const plan = planConsolidation(plenary, gs);
    const out = applyConsolidation(plan, { [plan.duplicates[0]!.id]: { action: 'merge', keepEntryId: 'groupA-entry-1' } });
    const after = [
      ...plenary,
      ...out.add.map((e, i) => {
        const { input, author } = toWritableEntry(e);
        return { ...input, author, id: `written-entry-${i}`, createdAt: NOW, updatedAt: NOW };
      }),
    ];
    const again = planConsolidation(after, gs);
    expect(again.additions).toEqual([]);
    expect(again.duplicates).toEqual([]);
    expect(again.alreadyConsolidated).toHaveLength(3);
  });
});

/** Small seeded PRNG (mulberry32), so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('applyConsolidation never loses a group entry (property over random inputs)', () => {
  const TITLES = [
    'Plan vélo',
    'Plan vélo communal',
    'PLAN VELO',
    'Plan climat',
    'Bornes de recharge',
    'Déploiement de bornes de recharge',
    'Bornes de recharge : déploiement',
    'Rénovation des écoles',
    'Rénovation énergétique des écoles',
    'Covoiturage',
    'Haies bocagères',
    'Réseau de chaleur',
  ];
  const LEVERS = ['augm_velotc', 'augm_voitelec'];
  const TERRITORIES = ['departement:69', 'departement:38'];
  const STATUSES: EntryStatus[] = ['realise', 'en-cours', 'prevu'];

  it('200 random consolidations: every group entry is named exactly once in what is written', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = prng(seed);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      let n = 0;
      const randomEntry = (prefix: string): DiagnosticEntry =>
        entry(`${prefix}-${String(n++).padStart(4, '0')}`, {
          title: pick(TITLES),
          lever: pick(LEVERS),
          territory: pick(TERRITORIES),
          status: pick(STATUSES),
          author: pick(['Gaëlle', 'Karim', 'Zoé']),
          description: rnd() < 0.05 ? 'x'.repeat(2600) + String(n) : pick(['', 'Texte A.', 'Texte B.', 'texte a']),
          effectKtCO2e: rnd() < 0.5 ? Math.round(rnd() * 100) / 10 : null,
          effectValue: rnd() < 0.3 ? Math.round(rnd() * 100) : null,
          effectUnit: pick(['', 'bornes', 'km']),
          yearStart: rnd() < 0.3 ? 2020 + Math.floor(rnd() * 5) : null,
          yearEnd: rnd() < 0.3 ? 2025 + Math.floor(rnd() * 5) : null,
        });
      const groups: GroupEntries[] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, g) =>
        group(`g${g}`, `Groupe ${g}`, Array.from({ length: Math.floor(rnd() * 8) }, () => randomEntry(`group${g}`))),
      );
      const allGroupEntries = groups.flatMap((g) => g.entries.map((e) => ({ groupId: g.groupId, e })));
      // Some plenary entries already hold earlier consolidations of some group entries.
      const plenary: DiagnosticEntry[] = Array.from({ length: Math.floor(rnd() * 5) }, () => {
        const p = randomEntry('plenary');
        if (allGroupEntries.length > 0 && rnd() < 0.3) {
          const { groupId, e } = pick(allGroupEntries);
          p.provenance = JSON.stringify([{ kind: 'group', sourceId: groupId, sourceName: 'x', ref: e.id, author: e.author }]);
        }
        return p;
      });

      const plan = planConsolidation(plenary, groups);
      const decisions: Record<string, DuplicateDecision> = {};
      for (const d of plan.duplicates) {
        const r = rnd();
        if (r < 0.3) decisions[d.id] = { action: 'keep-all' };
        else if (r < 0.85) decisions[d.id] = { action: 'merge', keepEntryId: pick(d.entries).entry.id };
        else if (r < 0.95) decisions[d.id] = { action: 'merge', keepEntryId: 'not-in-the-cluster' };
      }
      const out = applyConsolidation(plan, decisions);

      const planned = new Set([
        ...plan.additions.map((a) => `${a.groupId}/${a.entry.id}`),
        ...plan.duplicates.flatMap((d) => d.entries.filter((m) => m.source === 'group').map((m) => `${m.groupId}/${m.entry.id}`)),
      ]);
      expect(planned.size, `seed ${seed}`).toBe(plan.groupEntryCount);
      expect(plan.groupEntryCount + plan.alreadyConsolidated.length, `seed ${seed}`).toBe(allGroupEntries.length);

      const written: ConsolidatedEntry[] = [...out.add, ...out.update.map((u) => u.entry)];
      const named = written.flatMap((w) => w.provenance.filter((p) => p.kind === 'group').map((p) => `${p.sourceId}/${p.ref}`)).filter((k) => planned.has(k));
      // count of provenance sources == count of group entries, each named exactly once
      expect(named.length, `seed ${seed}`).toBe(plan.groupEntryCount);
      expect(new Set(named).size, `seed ${seed}`).toBe(plan.groupEntryCount);
      expect(out.added + out.merged, `seed ${seed}`).toBe(plan.groupEntryCount);

      // Plenary entries are only ever updated, each at most once; everything written is a valid entry.
      const updated = out.update.map((u) => u.entryId);
      expect(new Set(updated).size).toBe(updated.length);
      for (const id of updated) expect(plenary.some((p) => p.id === id)).toBe(true);
      for (const w of written) {
        const { input, author } = toWritableEntry(w);
        expect(DiagnosticEntrySchema.safeParse({ ...input, author, createdAt: NOW, updatedAt: NOW }).success, `seed ${seed}`).toBe(true);
      }
    }
  });
});
