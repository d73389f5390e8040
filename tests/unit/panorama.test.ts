/**
 * Pure functions of the panorama (apps/web/src/lib/panorama): coverage of the 2030 objectives by the diagnostic's
 * entries, and the squarified treemap layout.
 */
import { describe, expect, it } from 'vitest';
import {
  leverCoverage,
  panoramaCoverage,
  physicalOf,
  sectorCoverage,
  total,
  type CoverageEntry,
  type CoverageLever,
} from '../../apps/web/src/lib/panorama/coverage.ts';
import { squarify, wrapLabel } from '../../apps/web/src/lib/panorama/treemap.ts';

const lever = (id: string, sector: string, objective: number | null, panorama = 'attenuation'): CoverageLever => ({
  id,
  name: `Levier ${id}`,
  sector,
  panorama,
  unit: 'ktCO2e',
  objective: objective === null ? null : { objectiveKtCO2e: objective, physical: { startPoint2019: 100, ratio: -0.5, unit: 'u', relative: true }, enabled: true },
});

const entry = (leverId: string, status: CoverageEntry['status'], kt: number | null): CoverageEntry => ({ lever: leverId, status, effectKtCO2e: kt });

describe('coverage', () => {
  const levers = [lever('a', 'transports', 100), lever('b', 'transports', 50), lever('c', 'energie', 200), lever('bio', 'biodiversite', null, 'biodiversite-ressources')];
  const entries = [
    entry('a', 'realise', 30),
    entry('a', 'en-cours', 20),
    entry('a', 'prevu', 40),
    entry('a', 'realise', null),
    entry('c', 'en-cours', 250),
    entry('bio', 'realise', null),
    entry('unknown', 'realise', 10),
  ];

  it('counts done and under-way entries as covered, planned ones apart', () => {
    const [a, b, c] = leverCoverage(levers, entries);
    expect(a).toMatchObject({ objectiveKtCO2e: 100, covered: 50, planned: 40, share: 0.5, plannedShare: 0.4, gap: 50 });
    expect(a!.entries).toEqual({ realise: 2, enCours: 1, prevu: 1, total: 4, withoutEffect: 1 });
    expect(b).toMatchObject({ covered: 0, planned: 0, share: 0, gap: 50 });
    // Beyond the objective: the share exceeds 1 and nothing is left to cover.
    expect(c).toMatchObject({ covered: 250, share: 1.25, gap: 0 });
  });

  it('translates objectives into physical orders of magnitude like the simulator', () => {
    expect(physicalOf(100, { startPoint2019: 100, ratio: -0.5 })).toBe(50);
    expect(physicalOf(400, { startPoint2019: 100, ratio: -0.5 })).toBe(0);
    expect(leverCoverage(levers, [])[0]!.physical2030).toEqual({ value: 50, unit: 'u' });
  });

  it('sums sectors and panoramas, and keeps levers without objective apart', () => {
    const sectors = sectorCoverage(leverCoverage(levers, entries), [
      { id: 'transports', label: 'Transports' },
      { id: 'energie', label: 'Énergie' },
      { id: 'biodiversite', label: 'Biodiversité' },
    ]);
    expect(sectors.map((s) => s.sectorId)).toEqual(['transports', 'energie', 'biodiversite']);
    expect(sectors[0]).toMatchObject({ objectiveKtCO2e: 150, covered: 50, planned: 40, gap: 100 });
    expect(sectors[0]!.share).toBeCloseTo(1 / 3);
    expect(sectors[2]).toMatchObject({ objectiveKtCO2e: null, share: null, gap: null });
    // Gaps add up lever by lever: energy going beyond its objective does not fill the transports gap.
    expect(total(sectors.slice(0, 2))).toMatchObject({ objectiveKtCO2e: 350, covered: 300, gap: 100 });
    // Entries of levers without an objective count, but not in the share.
    const withBio = total(sectors);
    expect(withBio).toMatchObject({ objectiveKtCO2e: 350, covered: 300, coveredTowardObjective: 300, gap: 100 });
    expect(withBio.entries.total).toBe(6);

    const att = panoramaCoverage('attenuation', levers, [{ id: 'transports', label: 'T' }, { id: 'energie', label: 'E' }], entries);
    expect(att.sectors).toHaveLength(2);
    expect(att).toMatchObject({ objectiveKtCO2e: 350, covered: 300, planned: 40 });
    const bio = panoramaCoverage('biodiversite-ressources', levers, [], entries);
    expect(bio.entries.total).toBe(1);
    expect(bio.objectiveKtCO2e).toBeNull();
  });
});

describe('treemap', () => {
  it('fills the rectangle with areas proportional to the values', () => {
    const items = [6, 6, 4, 3, 2, 2, 1].map((value, i) => ({ item: i, value }));
    const rect = { x: 0, y: 0, w: 600, h: 400 };
    const placed = squarify(items, rect);
    expect(placed).toHaveLength(7);
    const area = placed.reduce((a, p) => a + p.w * p.h, 0);
    expect(area).toBeCloseTo(600 * 400, 3);
    for (const p of placed) {
      expect(p.w * p.h).toBeCloseTo((p.value / 24) * 600 * 400, 3);
      expect(p.x).toBeGreaterThanOrEqual(-1e-9);
      expect(p.y).toBeGreaterThanOrEqual(-1e-9);
      expect(p.x + p.w).toBeLessThanOrEqual(600 + 1e-6);
      expect(p.y + p.h).toBeLessThanOrEqual(400 + 1e-6);
    }
  });

  it('leaves out empty values and empty rectangles', () => {
    expect(squarify([{ item: 'a', value: 0 }], { x: 0, y: 0, w: 10, h: 10 })).toEqual([]);
    expect(squarify([{ item: 'a', value: 1 }], { x: 0, y: 0, w: 0, h: 10 })).toEqual([]);
  });

  it('wraps labels on words and marks what does not fit', () => {
    expect(wrapLabel('Vélo et transport en commun', 12, 3)).toEqual(['Vélo et', 'transport en', 'commun']);
    expect(wrapLabel('Vélo et transport en commun', 12, 2)).toEqual(['Vélo et', 'transport e…']);
    expect(wrapLabel('Désimperméabilisation', 8, 2)).toEqual(['Désimpe…']);
  });
});
