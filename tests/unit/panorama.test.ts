/**
 * What the panorama page (apps/web/src/lib/panorama) adds to the domain's objective coverage: the catalogue API's
 * levers narrowed to the domain's types, the coverage result nested with its table rows, and the squarified treemap
 * layout. The coverage figures themselves are tested in the domain (packages/domain/test/gap.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { computeCoverage, coverageTable, type CoverageEntry } from '../../packages/domain/src/gap/index.ts';
import { coverageLevers, type ApiLever } from '../../apps/web/src/lib/panorama/levers.ts';
import { nestRows } from '../../apps/web/src/lib/panorama/rows.ts';
import { inset, squarify, wrapLabel } from '../../apps/web/src/lib/panorama/treemap.ts';

/** Levers as `GET /api/regions/:code/catalogue` sends them: sector ids typed as strings, `enabled` on the objective. */
const apiLever = (id: string, sector: string, objective: number | null, over: Partial<ApiLever> = {}): ApiLever & { indicator: string } => ({
  id,
  name: `Levier ${id}`,
  sector,
  panorama: 'attenuation',
  indicator: 'indicateur',
  unit: 'milliers de véhicules',
  objective:
    objective === null
      ? null
      : Object.assign(
          { objectiveKtCO2e: objective, physical: { startPoint2019: 10, ratio: 0.5, unit: 'milliers de véhicules électriques', relative: true } },
          { enabled: true },
        ),
  ...over,
});

const SECTORS = [
  { id: 'transports', label: 'Transports et mobilités' },
  { id: 'energie', label: 'Énergie' },
  { id: 'biodiversite', label: 'Biodiversité' },
];

const entry = (id: string, lever: string, over: Partial<CoverageEntry> = {}): CoverageEntry => ({
  id,
  lever,
  status: 'realise',
  effectKtCO2e: null,
  effectValue: null,
  effectUnit: '',
  ...over,
});

describe('catalogue levers for the domain coverage', () => {
  const greyed = apiLever('foret', 'energie', 40, {
    objective: Object.assign({ objectiveKtCO2e: 40, physical: null, editionDisabled: true }, { enabled: true }),
  });
  const catalogue = {
    levers: [
      apiLever('voitelec', 'transports', 200),
      apiLever('martien', 'secteur-inconnu', 10),
      greyed,
      apiLever('haies', 'biodiversite', null, { panorama: 'biodiversite-ressources', unit: 'ha' }),
    ],
    sectors: SECTORS,
  };

  it('keeps the levers of known sectors, in order, with their objective untouched', () => {
    const levers = coverageLevers(catalogue);
    expect(levers.map((l) => [l.id, l.sector])).toEqual([
      ['voitelec', 'transports'],
      ['foret', 'energie'],
      ['haies', 'biodiversite'],
    ]);
    expect(levers[0]!.objective).toBe(catalogue.levers[0]!.objective);
  });

  it('feeds the domain: physical values are converted, greyed levers flagged, entries on a left-out lever reported', () => {
    const result = computeCoverage({ levers: coverageLevers(catalogue) }, [
      entry('a', 'voitelec', { status: 'en-cours', effectValue: 25, effectUnit: 'milliers de véhicules' }),
      entry('b', 'martien', { effectKtCO2e: 5 }),
    ]);
    const voitelec = result.levers.find((l) => l.leverId === 'voitelec')!;
    // 25 thousand vehicles / 0.5 per ktCO2e = 50 ktCO2e of the 200 kt objective.
    expect(voitelec).toMatchObject({ covered: 50, share: 0.25, gap: 150 });
    expect(result.levers.find((l) => l.leverId === 'foret')!.greyed).toBe(true);
    expect(result.unmatched.map((u) => u.entry.id)).toEqual(['b']);
  });
});

describe('coverage rows', () => {
  const levers = coverageLevers({
    levers: [
      apiLever('velo', 'transports', 100),
      apiLever('chaleur', 'energie', 50),
      apiLever('voitelec', 'transports', 200),
      apiLever('haies', 'biodiversite', null, { panorama: 'biodiversite-ressources', unit: 'ha' }),
    ],
    sectors: SECTORS,
  });
  const result = computeCoverage({ levers }, [
    entry('e1', 'velo', { effectKtCO2e: 30 }),
    entry('e2', 'chaleur', { effectKtCO2e: 60 }),
    entry('e3', 'haies', { effectValue: 12, effectUnit: 'ha' }),
  ]);
  const nested = nestRows(result, coverageTable(result));

  it('pairs each panorama, sector and lever with its own table row', () => {
    expect(nested.map((p) => [p.panorama.panorama, p.row.kind, p.row.id])).toEqual([
      ['attenuation', 'panorama', 'attenuation'],
      ['biodiversite-ressources', 'panorama', 'biodiversite-ressources'],
    ]);
    const [att, bio] = nested;
    expect(att!.sectors.map((s) => [s.sector.sectorId, s.row.id])).toEqual([
      ['transports', 'attenuation/transports'],
      ['energie', 'attenuation/energie'],
    ]);
    expect(att!.sectors[0]!.levers.map((l) => [l.lever.leverId, l.row.id])).toEqual([
      ['velo', 'velo'],
      ['voitelec', 'voitelec'],
    ]);
    expect(bio!.sectors[0]!.levers[0]!.row.id).toBe('haies');
    for (const p of nested) {
      expect(p.row.figures).toBe(p.panorama);
      for (const s of p.sectors) {
        expect(s.row.figures).toBe(s.sector);
        for (const l of s.levers) expect(l.row.figures).toBe(l.lever);
      }
    }
  });

  it('gives every lever of the result exactly once', () => {
    const ids = nested.flatMap((p) => p.sectors.flatMap((s) => s.levers.map((l) => l.lever.leverId)));
    expect(ids.sort()).toEqual(result.levers.map((l) => l.leverId).sort());
  });

  it('the rows carry the texts the page shows', () => {
    const [att] = nested;
    expect(att!.sectors[1]!.row.cells.share).toBe('100 % (objectif dépassé : 120 %)');
    expect(att!.row.cells.gap).toBe('270'); // 70 + 200 + 0, levers not compensating each other
  });

  it('throws when the table does not belong to the result', () => {
    const other = computeCoverage({ levers: levers.slice(0, 1) }, []);
    expect(() => nestRows(result, coverageTable(other))).toThrow(/no (sector|lever) row/);
  });
});

describe('treemap layout', () => {
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

  it('keeps tiles apart and close to squares', () => {
    const placed = squarify([6, 6, 4, 3, 2, 2, 1].map((value, i) => ({ item: i, value })), { x: 10, y: 20, w: 600, h: 400 });
    for (const [i, a] of placed.entries()) {
      expect(Math.max(a.w / a.h, a.h / a.w)).toBeLessThan(3);
      for (const b of placed.slice(i + 1)) {
        const overlapW = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const overlapH = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        expect(overlapW <= 1e-6 || overlapH <= 1e-6).toBe(true);
      }
    }
  });

  it('leaves out empty values and empty rectangles', () => {
    expect(squarify([{ item: 'a', value: 0 }], { x: 0, y: 0, w: 10, h: 10 })).toEqual([]);
    expect(squarify([{ item: 'a', value: 1 }], { x: 0, y: 0, w: 0, h: 10 })).toEqual([]);
    expect(squarify([{ item: 'a', value: 2 }, { item: 'b', value: Number.NaN }], { x: 0, y: 0, w: 10, h: 10 }).map((p) => p.item)).toEqual(['a']);
  });

  it('insets rectangles without going below zero size', () => {
    expect(inset({ x: 0, y: 0, w: 10, h: 6 }, 2)).toEqual({ x: 2, y: 2, w: 6, h: 2 });
    expect(inset({ x: 0, y: 0, w: 3, h: 3 }, 2)).toEqual({ x: 2, y: 2, w: 0, h: 0 });
  });

  it('wraps labels on words and marks what does not fit', () => {
    expect(wrapLabel('Vélo et transport en commun', 12, 3)).toEqual(['Vélo et', 'transport en', 'commun']);
    expect(wrapLabel('Vélo et transport en commun', 12, 2)).toEqual(['Vélo et', 'transport e…']);
    expect(wrapLabel('Désimperméabilisation', 8, 2)).toEqual(['Désimpe…']);
    expect(wrapLabel('Trop étroit', 2, 1)).toEqual([]);
  });
});
