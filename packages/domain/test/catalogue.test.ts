import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_REGION_CODES,
  CATALOGUE_SOURCE,
  PANORAMAS,
  SECTORS,
  getLever,
  getRegionCatalogue,
  getRegionalObjective,
  leverIdsForRegion,
  listLevers,
  toKtCO2e,
  toPhysical,
  type PhysicalTranslation,
} from '../src/catalogue/index.ts';

const HEXAGON = ['84', '27', '53', '24', '94', '44', '32', '11', '28', '75', '76', '52', '93'];
const OVERSEAS = ['01', '02', '03', '04', '06'];
const SECTOR_IDS = new Set(SECTORS.map((s) => s.id));
const PANORAMA_IDS = new Set(PANORAMAS.map((p) => p.id));

/** The shared reference data, when this checkout has it (it is not part of the repository). */
const sharedSimulator = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/data/sgpe-simulateur-territorial.json',
);

function regionCatalogue(code: string) {
  const c = getRegionCatalogue(code);
  if (!c) throw new Error(`no catalogue for region ${code}`);
  return c;
}

function objectiveOf(code: string, leverId: string) {
  const o = getRegionalObjective(code, leverId);
  if (!o) throw new Error(`no objective for ${code}/${leverId}`);
  return o;
}

describe('lever catalogue', () => {
  it('has unique ASCII ids and complete attributes on every lever', () => {
    const levers = listLevers();
    expect(new Set(levers.map((l) => l.id)).size).toBe(levers.length);
    for (const l of levers) {
      expect(l.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      expect(SECTOR_IDS.has(l.sector)).toBe(true);
      expect(PANORAMA_IDS.has(l.panorama)).toBe(true);
      expect(l.unit.trim()).not.toBe('');
      expect(l.indicator.trim()).not.toBe('');
    }
    expect(getLever('augm_velotc')?.name).toBe('Vélo et transport en commun');
    expect(getLever('nope')).toBeUndefined();
  });

  it('covers the 18 regions with the simulator lever counts', () => {
    expect(CATALOGUE_REGION_CODES).toEqual([...HEXAGON, ...OVERSEAS].sort());
    const simulatorCount = (code: string) =>
      regionCatalogue(code).levers.filter((l) => l.objective !== null).length;
    for (const code of HEXAGON) {
      // Île-de-France has no « Captage de méthane dans les ISDND »; Corse has a reduced set of 26.
      const expected = code === '11' ? 29 : code === '94' ? 26 : 30;
      expect(simulatorCount(code), code).toBe(expected);
    }
    for (const code of ['01', '02', '04']) expect(simulatorCount(code), code).toBe(13);
    expect(simulatorCount('06')).toBe(12);
    // Guyane: 8 levers, all greyed (« En attente du lancement de la COP »).
    expect(simulatorCount('03')).toBe(8);
    expect(regionCatalogue('03').levers.filter((l) => l.objective?.enabled).length).toBe(0);
    // 30 hexagonal ids + 13 overseas ones
    const simulatorIds = new Set(
      CATALOGUE_REGION_CODES.flatMap((c) =>
        regionCatalogue(c)
          .levers.filter((l) => l.objective)
          .map((l) => l.id),
      ),
    );
    expect(simulatorIds.size).toBe(43);
  });

  it('gives every lever of every region a sector, a panorama and a unit', () => {
    for (const code of CATALOGUE_REGION_CODES) {
      const c = regionCatalogue(code);
      expect(c.regionCode).toBe(code);
      expect(c.source).toBe(CATALOGUE_SOURCE);
      expect(new Set(c.levers.map((l) => l.id)).size).toBe(c.levers.length);
      for (const l of c.levers) {
        expect(SECTOR_IDS.has(l.sector), `${code}/${l.id}`).toBe(true);
        expect(PANORAMA_IDS.has(l.panorama), `${code}/${l.id}`).toBe(true);
        expect(l.unit.trim(), `${code}/${l.id}`).not.toBe('');
        if (l.objective?.physical) expect(l.objective.physical.unit.trim()).not.toBe('');
      }
    }
  });

  it('includes the biodiversity and resource levers in every region, without ktCO2e objective', () => {
    const bio = listLevers().filter((l) => l.panorama === 'biodiversite-ressources');
    expect(bio.length).toBe(9);
    for (const id of ['surface_aire_protegee', 'reduction_phytosanitaires', 'sobriete_eau']) {
      expect(bio.map((l) => l.id)).toContain(id);
    }
    for (const code of CATALOGUE_REGION_CODES) {
      const ids = leverIdsForRegion(code);
      for (const l of bio) expect(ids.has(l.id), `${code}/${l.id}`).toBe(true);
      for (const l of regionCatalogue(code).levers.filter((x) => x.panorama === 'biodiversite-ressources')) {
        expect(l.objective).toBeNull();
      }
    }
  });

  it('sorts a region catalogue by panorama, sector and name', () => {
    const levers = regionCatalogue('84').levers;
    const panoramaOrder = PANORAMAS.map((p) => p.id);
    const sectorOrder = SECTORS.map((s) => s.id);
    for (let i = 1; i < levers.length; i++) {
      const a = levers[i - 1];
      const b = levers[i];
      if (!a || !b) continue;
      const key = (l: typeof a) => [panoramaOrder.indexOf(l.panorama), sectorOrder.indexOf(l.sector)] as const;
      const [pa, sa] = key(a);
      const [pb, sb] = key(b);
      expect(pa < pb || (pa === pb && (sa < sb || (sa === sb && a.name.localeCompare(b.name, 'fr') <= 0)))).toBe(
        true,
      );
    }
  });

  it('keeps overseas levers apart and region-specific names', () => {
    const reunion = leverIdsForRegion('04');
    expect(reunion.has('drom_co2_enr')).toBe(true);
    expect(reunion.has('co2_enr')).toBe(false);
    expect(reunion.has('augm_voitelec')).toBe(false);
    expect(leverIdsForRegion('84').has('drom_co2_enr')).toBe(false);
    expect(objectiveOf('94', 'co2_enr').localName).toBe('Décarbonation du mix électrique');
    expect(objectiveOf('84', 'co2_enr').editionDisabled).toBe(true);
    expect(objectiveOf('84', 'co2_foret').editionDisabled).toBe(true);
    expect(getRegionCatalogue('975')).toBeNull();
    expect(getRegionCatalogue('xx')).toBeNull();
    expect(leverIdsForRegion('975').size).toBe(0);
  });

  it('lists the national-only and 50-list levers without putting them in regional catalogues', () => {
    expect(getLever('nucleaire')?.regional).toBe(false);
    expect(getLever('top50_sites_industriels')?.parent).toBe('co2_indus');
    expect(leverIdsForRegion('84').has('nucleaire')).toBe(false);
    const fifty = new Set(listLevers().flatMap((l) => l.sgpe50Names));
    expect(fifty.size).toBe(50);
    const inferred = listLevers().filter((l) => l.unitInferred);
    expect(inferred.map((l) => l.id)).toEqual(['deux_roues']);
  });
});

describe('physical translation', () => {
  it('round-trips on the Auvergne-Rhône-Alpes electric vehicles row', () => {
    const o = objectiveOf('84', 'augm_voitelec');
    expect(o.objectiveKtCO2e).toBe(1379.8038);
    expect(o.physical).toEqual({
      startPoint2019: 13.754,
      ratio: 0.4677,
      unit: 'milliers de véhicules électriques dans le parc régional (en 2030)',
      relative: true,
    });
    const t = o.physical as PhysicalTranslation;
    const vehicles = toPhysical(1379.8038, t);
    expect(vehicles).toBeCloseTo(659.09, 2);
    expect(toKtCO2e(vehicles, t)).toBeCloseTo(1379.8038, 6);
  });

  it('round-trips on a falling quantity (Grand Est fuel-oil boilers, ÷4 by 2030)', () => {
    const o = objectiveOf('44', 'reduc_rfioul');
    const t = o.physical as PhysicalTranslation;
    expect(t.ratio).toBeLessThan(0);
    const homes = toPhysical(o.objectiveKtCO2e ?? 0, t);
    expect(homes).toBeCloseTo(89.7, 1);
    expect(t.startPoint2019 / homes).toBeGreaterThan(4);
    expect(toKtCO2e(homes, t)).toBeCloseTo(o.objectiveKtCO2e ?? 0, 6);
  });

  it('clamps at 0 when a negative ratio would go below zero', () => {
    const t: PhysicalTranslation = { startPoint2019: 10, ratio: -0.5, unit: 'milliers de logements', relative: true };
    expect(toPhysical(10, t)).toBe(5);
    expect(toPhysical(20, t)).toBe(0);
    expect(toPhysical(1000, t)).toBe(0);
  });

  it('refuses to invert a zero ratio', () => {
    const t: PhysicalTranslation = { startPoint2019: 1, ratio: 0, unit: 'TWh', relative: true };
    expect(toPhysical(100, t)).toBe(1);
    expect(() => toKtCO2e(2, t)).toThrow(/ratio/);
  });
});

describe('regional totals', () => {
  const sum = (code: string) =>
    regionCatalogue(code).levers.reduce((s, l) => s + (l.objective?.objectiveKtCO2e ?? 0), 0);

  it('matches the published derived totals', () => {
    expect(Math.round(sum('84'))).toBe(24552);
    expect(Math.round(sum('94'))).toBe(1289);
    const all = CATALOGUE_REGION_CODES.reduce((s, c) => s + sum(c), 0);
    expect(Math.round(all)).toBe(201954);
  });

  it.skipIf(!existsSync(sharedSimulator))('matches the source simulator file, summed independently', () => {
    const rows = JSON.parse(readFileSync(sharedSimulator, 'utf8')) as { regionName: string; objCO2: number | null }[];
    const sourceTotal = (name: string) =>
      rows.filter((r) => r.regionName === name).reduce((s, r) => s + (r.objCO2 ?? 0), 0);
    expect(sum('84')).toBeCloseTo(sourceTotal('Auvergne-Rhône-Alpes'), 6);
    expect(sum('93')).toBeCloseTo(sourceTotal('PACA'), 6);
    expect(sum('04')).toBeCloseTo(sourceTotal('La Réunion'), 6);
    const rowsOutsideExample = rows.filter((r) => r.regionName !== 'Région exemple').length;
    const catalogueRows = CATALOGUE_REGION_CODES.reduce(
      (n, c) => n + regionCatalogue(c).levers.filter((l) => l.objective).length,
      0,
    );
    expect(catalogueRows).toBe(rowsOutsideExample);
  });
});

describe('catalogue source', () => {
  it('states the licence, the dates and the caveat', () => {
    expect(CATALOGUE_SOURCE.licence).toBe('Licence Ouverte 2.0');
    expect(CATALOGUE_SOURCE.caveat).toContain("données de travail qui n'engagent en rien l'État");
    expect(CATALOGUE_SOURCE.dataDate).toBe('2024-07-24');
    const dates = CATALOGUE_SOURCE.sources.map((s) => s.date);
    expect(dates).toContain('2024-07-24');
    expect(dates).toContain('2025-03');
    const simulator = CATALOGUE_SOURCE.sources.find((s) => s.id === 'simulateur-territorial');
    expect(simulator?.path).toMatch(/^MTES-MCT\/planification-territoires:src\/lib\/assets\/data\.json/);
    expect(simulator?.licence).toBe('Licence Ouverte 2.0');
  });
});
