import { describe, it, expect } from 'vitest';
import { getRegionCatalogue } from '../src/catalogue/index.ts';
import {
  computeCoverage,
  coverageTable,
  entryEffect,
  panorama,
  sumCoverage,
  type CoverageEntry,
  type CoverageLever,
} from '../src/gap/index.ts';

/**
 * Worked example. Three attenuation levers in two sectors, plus one biodiversity lever (no ktCO2e objective):
 *
 *   velo      transports               objective 100 kt   physical: start 0,   ratio  2    (km/voiture/an)
 *   voitelec  transports               objective 200 kt   physical: start 10,  ratio  0.5  (milliers de véhicules)
 *   fioul     batiments-residentiels   objective  50 kt   physical: start 400, ratio −0.25 (milliers de logements)
 *   haies     biodiversite             no objective       unit ha
 */
const LEVERS: CoverageLever[] = [
  {
    id: 'velo',
    name: 'Vélo et transport en commun',
    sector: 'transports',
    panorama: 'attenuation',
    unit: 'km/voiture/an',
    objective: {
      objectiveKtCO2e: 100,
      physical: { startPoint2019: 0, ratio: 2, unit: 'km annuels/voiture évités (en 2030 par rapport à 2019)', relative: false },
    },
  },
  {
    id: 'voitelec',
    name: 'Véhicules électriques',
    sector: 'transports',
    panorama: 'attenuation',
    unit: 'milliers de véhicules',
    objective: {
      objectiveKtCO2e: 200,
      physical: { startPoint2019: 10, ratio: 0.5, unit: 'milliers de véhicules électriques dans le parc régional (en 2030)', relative: true },
    },
  },
  {
    id: 'fioul',
    name: 'Changement de chaudière à fioul',
    sector: 'batiments-residentiels',
    panorama: 'attenuation',
    unit: 'milliers de logements',
    objective: {
      objectiveKtCO2e: 50,
      physical: { startPoint2019: 400, ratio: -0.25, unit: 'milliers de résidences p. chauffées au fioul (en 2030)', relative: true },
      editionDisabled: false,
    },
  },
  { id: 'haies', name: 'Restauration des habitats', sector: 'biodiversite', panorama: 'biodiversite-ressources', unit: 'ha', objective: null },
];

function entry(id: string, over: Partial<CoverageEntry> = {}): CoverageEntry {
  return { id, lever: 'velo', status: 'realise', effectKtCO2e: null, effectValue: null, effectUnit: '', ...over };
}

/**
 * Eight entries:
 *   e1 velo      realise   30 kt
 *   e2 velo      en-cours  20 kt
 *   e3 velo      prevu     40 kt                                 → planned, not covered
 *   e4 voitelec  en-cours  25 « Milliers de véhicules électriques dans le parc régional » (no kt)
 *                          → physical increment: 25 / 0.5 = 50 kt
 *   e5 fioul     realise   60 kt                                 → beyond the 50 kt objective
 *   e6 fioul     prevu     −4 « milliers de logements » (no kt)
 *                          → increment counted towards the objective: |−4| / |−0.25| = 16 kt planned
 *   e7 inconnu   realise   999 kt                                → unknown lever: unmatched, in no figure
 *   e8 haies     realise   12 ha (no kt)                         → biodiversity: counted, 12 ha summed, unquantified
 */
const ENTRIES: CoverageEntry[] = [
  entry('e1', { effectKtCO2e: 30 }),
  entry('e2', { status: 'en-cours', effectKtCO2e: 20 }),
  entry('e3', { status: 'prevu', effectKtCO2e: 40 }),
  entry('e4', { lever: 'voitelec', status: 'en-cours', effectValue: 25, effectUnit: 'Milliers de véhicules électriques dans le parc régional' }),
  entry('e5', { lever: 'fioul', effectKtCO2e: 60 }),
  entry('e6', { lever: 'fioul', status: 'prevu', effectValue: -4, effectUnit: 'milliers de logements' }),
  entry('e7', { lever: 'inconnu', effectKtCO2e: 999 }),
  entry('e8', { lever: 'haies', effectValue: 12, effectUnit: 'ha' }),
];

describe('coverage: worked example', () => {
  const result = computeCoverage({ levers: LEVERS }, ENTRIES);
  const lever = (id: string) => result.levers.find((l) => l.leverId === id)!;

  it('velo: covered 30 + 20 = 50 of 100 (50 %), planned 40, gap 50; physical 2030 = 0 + 100 × 2 = 200', () => {
    const l = lever('velo');
    expect(l.objectiveKtCO2e).toBe(100);
    expect(l.covered).toBe(50);
    expect(l.planned).toBe(40);
    expect(l.share).toBe(0.5);
    expect(l.shareCapped).toBe(0.5);
    expect(l.plannedShare).toBe(0.4);
    expect(l.gap).toBe(50);
    expect(l.counts.byStatus).toEqual({ realise: 1, 'en-cours': 1, prevu: 1 });
    expect(l.counts).toMatchObject({ total: 3, quantified: 3, converted: 0, unquantified: 0 });
    expect(l.physical2030).toEqual({ value: 200, unit: LEVERS[0]!.objective!.physical!.unit, startPoint2019: 0, relative: false });
    expect(l.entries.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('voitelec: 25 thousand vehicles / 0.5 = 50 kt covered of 200 (25 %), gap 150; physical 2030 = 10 + 200 × 0.5 = 110', () => {
    const l = lever('voitelec');
    expect(l.covered).toBe(50);
    expect(l.share).toBe(0.25);
    expect(l.gap).toBe(150);
    expect(l.counts).toMatchObject({ total: 1, quantified: 1, converted: 1 });
    expect(l.physical2030?.value).toBe(110);
  });

  it('fioul: 60 kt covered of 50 → raw share 1.2, shown 100 %, gap 0; planned |−4| / 0.25 = 16 kt; physical 400 − 50 × 0.25 = 387.5', () => {
    const l = lever('fioul');
    expect(l.covered).toBe(60);
    expect(l.share).toBeCloseTo(1.2, 12);
    expect(l.shareCapped).toBe(1);
    expect(l.gap).toBe(0);
    expect(l.planned).toBe(16);
    expect(l.plannedShare).toBeCloseTo(0.32, 12);
    expect(l.physical2030?.value).toBe(387.5);
  });

  it('haies (biodiversity): no objective, share and gap null; 12 ha summed in its unit', () => {
    const l = lever('haies');
    expect(l.objectiveKtCO2e).toBeNull();
    expect(l.share).toBeNull();
    expect(l.shareCapped).toBeNull();
    expect(l.gap).toBeNull();
    expect(l.physical2030).toBeNull();
    expect(l.values).toEqual({ unit: 'ha', covered: 12, planned: 0, counted: 1, otherUnit: 0 });
    expect(l.counts).toMatchObject({ total: 1, quantified: 0, unquantified: 1 });
  });

  it('sectors: transports 300 kt objective, 100 covered (1/3), gap 200; bâtiments résidentiels 50, 60 covered, gap 0', () => {
    const att = result.panoramas.find((p) => p.panorama === 'attenuation')!;
    expect(att.sectors.map((s) => s.sectorId)).toEqual(['transports', 'batiments-residentiels']);
    const [tr, bat] = att.sectors;
    expect(tr).toMatchObject({ objectiveKtCO2e: 300, covered: 100, planned: 40, gap: 200 });
    expect(tr!.share).toBeCloseTo(1 / 3, 12);
    expect(tr!.shareCapped).toBeCloseTo(1 / 3, 12);
    expect(tr!.levers.map((l) => l.leverId)).toEqual(['velo', 'voitelec']);
    expect(bat).toMatchObject({ objectiveKtCO2e: 50, covered: 60, planned: 16, gap: 0, shareCapped: 1 });
  });

  it('attenuation panorama: 350 kt, 160 covered (raw share 160/350), gap 50 + 150 + 0 = 200 (no compensation), shown share 150/350', () => {
    const att = result.panoramas.find((p) => p.panorama === 'attenuation')!;
    expect(att.objectiveKtCO2e).toBe(350);
    expect(att.covered).toBe(160);
    expect(att.planned).toBe(56);
    expect(att.gap).toBe(200);
    expect(att.share).toBeCloseTo(160 / 350, 12);
    expect(att.shareCapped).toBeCloseTo(150 / 350, 12);
    expect(att.plannedShare).toBeCloseTo(56 / 350, 12);
  });

  it('biodiversity panorama: no objective, one entry counted', () => {
    const bio = result.panoramas.find((p) => p.panorama === 'biodiversite-ressources')!;
    expect(bio).toMatchObject({ objectiveKtCO2e: null, share: null, gap: null, covered: 0 });
    expect(bio.counts.total).toBe(1);
    expect(bio.sectors.map((s) => s.sectorId)).toEqual(['biodiversite']);
  });

  it('overall: 7 matched entries (3 réalisé, 2 en cours, 2 prévu), 350 kt objective, 160 covered, 56 planned, gap 200', () => {
    expect(result.panoramas.map((p) => p.panorama)).toEqual(['attenuation', 'biodiversite-ressources']);
    expect(result.overall).toMatchObject({ objectiveKtCO2e: 350, covered: 160, planned: 56, gap: 200 });
    expect(result.overall.counts).toEqual({
      byStatus: { realise: 3, 'en-cours': 2, prevu: 2 },
      total: 7,
      quantified: 6,
      converted: 2,
      unquantified: 1,
    });
  });

  it('the unknown lever is reported, never dropped', () => {
    expect(result.unmatched).toHaveLength(1);
    expect(result.unmatched[0]).toMatchObject({ reason: 'unknown-lever', entry: { id: 'e7' } });
    expect(result.unmatched[0]!.message).toContain('inconnu');
    // Every entry is somewhere: in a lever or in unmatched.
    const placed = result.levers.reduce((n, l) => n + l.entries.length, 0) + result.unmatched.length;
    expect(placed).toBe(ENTRIES.length);
  });

  it('sumCoverage of the levers equals the overall figures', () => {
    const s = sumCoverage(result.levers);
    expect(s.objectiveKtCO2e).toBe(350);
    expect(s.gap).toBe(200);
    expect(s.counts.total).toBe(7);
  });

  it('table: panorama, sector and lever rows nested, then unknown levers and total, in French words', () => {
    const table = coverageTable(result);
    expect(table.columns[0]).toEqual({ key: 'label', label: 'Levier' });
    expect(table.rows.map((r) => `${r.level}:${r.kind}:${r.id}`)).toEqual([
      '1:panorama:attenuation',
      '2:sector:attenuation/transports',
      '3:lever:velo',
      '3:lever:voitelec',
      '2:sector:attenuation/batiments-residentiels',
      '3:lever:fioul',
      '1:panorama:biodiversite-ressources',
      '2:sector:biodiversite-ressources/biodiversite',
      '3:lever:haies',
      '1:unmatched:unmatched',
      '1:overall:overall',
    ]);
    const row = (id: string) => table.rows.find((r) => r.id === id)!;
    expect(row('velo').cells.share).toBe('50 %');
    expect(row('fioul').cells.share).toBe('100 % (objectif dépassé : 120 %)');
    expect(row('fioul').cells.gap).toBe('0');
    expect(row('velo').cells.entries).toBe('3 entrées (1 réalisée, 1 en cours, 1 prévue)');
    expect(row('haies').cells.objective).toBe('sans objectif en ktCO2e');
    expect(row('haies').cells.share).toBe('non applicable');
    expect(row('haies').cells.values).toBe('12 ha réalisés ou en cours, 0 ha prévus');
    expect(row('haies').cells.entries).toBe('1 entrée (1 réalisée), dont 1 sans effet en ktCO2e');
    expect(row('voitelec').cells.physical).toMatch(/^110 milliers de véhicules électriques/);
    expect(row('unmatched').counts.total).toBe(1);
    expect(row('overall').cells.covered).toBe('160');
    expect(row('overall').cells.share).toBe('43 %'); // 150 / 350 = 42.9 %, each lever capped at its objective
  });

  it('treemap: levers sized by objective, largest first; the biodiversity lever listed apart', () => {
    const t = panorama({ levers: LEVERS }, result);
    expect(t.totalKtCO2e).toBe(350);
    expect(t.sectors.map((s) => [s.sectorId, s.objectiveKtCO2e])).toEqual([
      ['transports', 300],
      ['batiments-residentiels', 50],
    ]);
    expect(t.sectors[0]!.levers.map((l) => l.leverId)).toEqual(['voitelec', 'velo']);
    expect(t.sectors[0]!.weight).toBeCloseTo(300 / 350, 12);
    expect(t.sectors[0]!.levers[0]).toMatchObject({ weight: 200 / 350, shareCapped: 0.25, physical2030: { value: 110 } });
    expect(t.withoutObjective).toEqual([
      expect.objectContaining({ leverId: 'haies', panorama: 'biodiversite-ressources' }),
    ]);
  });
});

describe('coverage: entry effect rule', () => {
  const voitelec = LEVERS[1]!;
  const fioul = LEVERS[2]!;

  it('stated ktCO2e win over any value', () => {
    expect(entryEffect(entry('x', { effectKtCO2e: 3, effectValue: 100, effectUnit: 'milliers de véhicules' }), voitelec)).toMatchObject({
      ktCO2e: 3,
      basis: 'ktCO2e',
      leverUnitValue: 100,
    });
  });

  it('a value in tCO2e, ktCO2e or MtCO2e is a mass of CO2e, converted to kt', () => {
    expect(entryEffect(entry('x', { effectValue: 1500, effectUnit: 'tCO2e' }), voitelec)).toMatchObject({ ktCO2e: 1.5, basis: 'co2e-unit' });
    expect(entryEffect(entry('x', { effectValue: 2, effectUnit: 'kt CO2 éq.' }), voitelec)).toMatchObject({ ktCO2e: 2, basis: 'co2e-unit' });
    expect(entryEffect(entry('x', { effectValue: 0.5, effectUnit: 'MtCO2e' }), voitelec)).toMatchObject({ ktCO2e: 500, basis: 'co2e-unit' });
  });

  it('physical increments: lever unit or physical unit, whatever the case, accents, spacing; sign ignored', () => {
    expect(entryEffect(entry('x', { effectValue: 5, effectUnit: 'MILLIERS DE VEHICULES' }), voitelec).ktCO2e).toBe(10);
    expect(entryEffect(entry('x', { effectValue: 2, effectUnit: 'milliers de résidences p. chauffées au fioul' }), fioul).ktCO2e).toBe(8);
    expect(entryEffect(entry('x', { effectValue: -2, effectUnit: 'milliers de logements' }), fioul).ktCO2e).toBe(8);
  });

  it('another unit, no unit, or a lever without translation: no ktCO2e', () => {
    expect(entryEffect(entry('x', { effectValue: 5, effectUnit: 'bornes de recharge' }), voitelec)).toMatchObject({ ktCO2e: null, basis: 'none', leverUnitValue: null });
    expect(entryEffect(entry('x', { effectValue: 5, effectUnit: '' }), voitelec).ktCO2e).toBeNull();
    const noRatio: CoverageLever = { ...voitelec, objective: { objectiveKtCO2e: 10, physical: { ...voitelec.objective!.physical!, ratio: 0 } } };
    expect(entryEffect(entry('x', { effectValue: 5, effectUnit: 'milliers de véhicules' }), noRatio).ktCO2e).toBeNull();
  });

  it('a value in another unit is counted apart in the lever values', () => {
    const r = computeCoverage({ levers: LEVERS }, [entry('x', { lever: 'haies', effectValue: 3, effectUnit: 'km' })]);
    expect(r.levers.find((l) => l.leverId === 'haies')!.values).toMatchObject({ counted: 0, otherUnit: 1 });
  });
});

describe('coverage: the real catalogue of Auvergne-Rhône-Alpes (84)', () => {
  const catalogue = getRegionCatalogue('84')!;

  it('objective total is 24 552 ktCO2e (rounded), all of it in the attenuation panorama', () => {
    const r = computeCoverage(catalogue, []);
    expect(Math.round(r.overall.objectiveKtCO2e!)).toBe(24552);
    expect(r.overall.gap).toBeCloseTo(r.overall.objectiveKtCO2e!, 6);
    expect(r.overall.share).toBe(0);
    const [att, bio] = r.panoramas;
    expect(att!.panorama).toBe('attenuation');
    expect(Math.round(att!.objectiveKtCO2e!)).toBe(24552);
    expect(bio!.objectiveKtCO2e).toBeNull();
    expect(r.levers).toHaveLength(catalogue.levers.length);
  });

  it('EVs: 1 379.8 kt ↔ about 659 thousand cars in 2030; 50 thousand more cars ≈ 106.9 kt', () => {
    const r = computeCoverage(catalogue, [
      { id: 'a', lever: 'augm_voitelec', status: 'en-cours', effectKtCO2e: null, effectValue: 50, effectUnit: 'milliers de véhicules' },
      { id: 'b', lever: 'co2_indus', status: 'realise', effectKtCO2e: 100, effectValue: null, effectUnit: '' },
      { id: 'c', lever: 'sobriete_eau', status: 'prevu', effectKtCO2e: null, effectValue: 2000, effectUnit: 'm³' },
      { id: 'd', lever: 'pas_un_levier', status: 'prevu', effectKtCO2e: 1, effectValue: null, effectUnit: '' },
    ]);
    const ev = r.levers.find((l) => l.leverId === 'augm_voitelec')!;
    expect(Math.round(ev.physical2030!.value)).toBe(659);
    expect(ev.covered).toBeCloseTo(50 / 0.4677, 9);
    expect(r.overall.covered).toBeCloseTo(100 + 50 / 0.4677, 9);
    expect(r.levers.find((l) => l.leverId === 'sobriete_eau')!.values).toMatchObject({ unit: 'm3', planned: 2000, counted: 1 });
    expect(r.unmatched.map((u) => u.entry.id)).toEqual(['d']);
  });

  it('treemap: 30 tiles totalling 24 552 kt, greyed levers flagged, 9 biodiversity/resource levers listed apart', () => {
    const t = panorama(catalogue);
    expect(Math.round(t.totalKtCO2e)).toBe(24552);
    expect(t.sectors.reduce((n, s) => n + s.levers.length, 0)).toBe(30);
    const weights = t.sectors.reduce((w, s) => w + s.weight, 0);
    expect(weights).toBeCloseTo(1, 12);
    expect(t.sectors.flatMap((s) => s.levers).filter((l) => l.greyed).map((l) => l.leverId).sort()).toEqual(['co2_biogaz', 'co2_enr', 'co2_foret']);
    expect(t.withoutObjective).toHaveLength(9);
    expect(t.withoutObjective.every((l) => l.panorama === 'biodiversite-ressources')).toBe(true);
    for (let i = 1; i < t.sectors.length; i++) expect(t.sectors[i - 1]!.objectiveKtCO2e).toBeGreaterThanOrEqual(t.sectors[i]!.objectiveKtCO2e);
  });

  it('table has one row per lever', () => {
    const table = coverageTable(computeCoverage(catalogue, []));
    expect(table.rows.filter((r) => r.kind === 'lever')).toHaveLength(catalogue.levers.length);
    expect(table.rows.at(-1)!.kind).toBe('overall');
  });
});
