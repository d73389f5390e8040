import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CRTE_EXAMPLE_NOTE,
  departementOfCommune,
  getEpci,
  getRegion,
  getRegionTerritories,
  isTerritoryOfRegion,
  listCrtes,
  listDepartements,
  listEpcis,
  listRegions,
  parseCrteCsv,
  parseTerritoryRef,
  registerCrtes,
  resetCrtes,
  territoryLabel,
  territoryRef,
} from '../src/territories/index.ts';

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../data');

afterEach(() => resetCrtes());

describe('regions and départements', () => {
  it('lists the 18 regions of metropolitan France and the DROM, with INSEE codes', () => {
    const regions = listRegions();
    expect(regions).toHaveLength(18);
    expect(regions.map((r) => r.code).sort()).toEqual(
      ['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'],
    );
    expect(regions.filter((r) => r.zone === 'drom')).toHaveLength(5);
    expect(regions.slice(-5).every((r) => r.zone === 'drom')).toBe(true);
    expect(getRegion('84')?.name).toBe('Auvergne-Rhône-Alpes');
    expect(getRegion('11')?.name).toBe('Île-de-France');
    expect(getRegion('975')).toBeUndefined(); // Saint-Pierre-et-Miquelon (COM) is left out
  });

  it('gives each region its départements', () => {
    expect(listDepartements('84')).toHaveLength(12);
    expect(listDepartements('11')).toHaveLength(8);
    expect(listDepartements('94').map((d) => d.code)).toEqual(['2A', '2B']);
    expect(listDepartements('01').map((d) => d.code)).toEqual(['971']);
    expect(listDepartements('06').map((d) => d.code)).toEqual(['976']);
    expect(listDepartements('84').find((d) => d.code === '69')?.name).toBe('Rhône');
    const all = listRegions().flatMap((r) => listDepartements(r.code));
    expect(all).toHaveLength(101);
    expect(listDepartements('99')).toEqual([]);
  });

  it('derives the département from a commune code', () => {
    expect(departementOfCommune('69123')).toBe('69');
    expect(departementOfCommune('2A004')).toBe('2A');
    expect(departementOfCommune('97105')).toBe('971');
  });
});

describe('EPCI', () => {
  it('knows the Métropole de Lyon in Auvergne-Rhône-Alpes', () => {
    const lyon = getEpci('200046977');
    expect(lyon).toMatchObject({
      name: 'Métropole de Lyon',
      type: 'MET69',
      departementCodes: ['69'],
      regionCodes: ['84'],
    });
    expect(lyon?.population).toBeGreaterThan(1_000_000);
    expect(listEpcis('84').some((e) => e.siren === '200046977')).toBe(true);
    expect(listEpcis('11').some((e) => e.siren === '200046977')).toBe(false);
  });

  it('lists an EPCI that crosses a region border in both regions', () => {
    // CA Mâconnais Beaujolais Agglomération: communes in Saône-et-Loire (27) and Ain (84)
    const macon = getEpci('200070308');
    expect(macon?.regionCodes).toEqual(['27', '84']);
    expect(listEpcis('84').some((e) => e.siren === '200070308')).toBe(true);
    expect(listEpcis('27').some((e) => e.siren === '200070308')).toBe(true);
  });

  it('gives every region of the COP at least one EPCI', () => {
    for (const r of listRegions()) expect(listEpcis(r.code).length, r.code).toBeGreaterThan(0);
    expect(listEpcis('84').length).toBeGreaterThan(150);
  });
});

describe('territory references', () => {
  it('builds and parses references', () => {
    expect(territoryRef('epci', '200046977')).toBe('epci:200046977');
    expect(parseTerritoryRef('region:84')).toEqual({ kind: 'region', code: '84' });
    expect(parseTerritoryRef('departement:2A')).toEqual({ kind: 'departement', code: '2A' });
    expect(parseTerritoryRef('departement:971')).toEqual({ kind: 'departement', code: '971' });
    expect(parseTerritoryRef('crte:ex-84-01')).toEqual({ kind: 'crte', code: 'ex-84-01' });
    for (const bad of ['', '84', 'region:', 'region:8', 'pays:84', 'epci:20004697', 'epci:2000469770', 'crte:a b']) {
      expect(parseTerritoryRef(bad), bad).toBeNull();
    }
  });

  it('checks that a territory belongs to the region', () => {
    expect(isTerritoryOfRegion('84', 'region:84')).toBe(true);
    expect(isTerritoryOfRegion('84', 'region:11')).toBe(false);
    expect(isTerritoryOfRegion('84', 'departement:69')).toBe(true);
    expect(isTerritoryOfRegion('84', 'departement:75')).toBe(false);
    expect(isTerritoryOfRegion('94', 'departement:2B')).toBe(true);
    expect(isTerritoryOfRegion('84', 'epci:200046977')).toBe(true);
    expect(isTerritoryOfRegion('11', 'epci:200046977')).toBe(false);
    expect(isTerritoryOfRegion('84', 'epci:999999999')).toBe(false);
    expect(isTerritoryOfRegion('84', 'crte:ex-84-01')).toBe(true);
    expect(isTerritoryOfRegion('11', 'crte:ex-84-01')).toBe(false);
    expect(isTerritoryOfRegion('99', 'region:99')).toBe(false);
    expect(isTerritoryOfRegion('84', 'nonsense')).toBe(false);
  });

  it('labels territories in French', () => {
    expect(territoryLabel('84', 'region:84')).toBe('Auvergne-Rhône-Alpes');
    expect(territoryLabel('84', 'departement:69')).toBe('Rhône (69)');
    expect(territoryLabel('84', 'epci:200046977')).toBe('Métropole de Lyon');
    expect(territoryLabel('84', 'crte:ex-84-03')).toBe('CRTE Grand Clermont');
    expect(territoryLabel('11', 'epci:200046977')).toBeNull();
  });

  it('gathers and caches the territories of a region', () => {
    const t = getRegionTerritories('84');
    expect(t?.region.code).toBe('84');
    expect(t?.departements).toHaveLength(12);
    expect(t?.epcis.length).toBe(listEpcis('84').length);
    expect(t?.crtes.map((c) => c.code).sort()).toEqual(['ex-84-01', 'ex-84-02', 'ex-84-03', 'ex-84-04']);
    expect(getRegionTerritories('84')).toBe(t);
    expect(getRegionTerritories('11')?.crtes).toEqual([]);
    expect(getRegionTerritories('975')).toBeNull();
  });
});

describe('CRTE', () => {
  it('ships an illustrative example for Auvergne-Rhône-Alpes, in sync with its CSV', () => {
    expect(CRTE_EXAMPLE_NOTE).toMatch(/illustratif/);
    const fromCsv = parseCrteCsv(readFileSync(resolve(dataDir, 'crte-example-84.csv'), 'utf8'));
    expect(fromCsv.errors).toEqual([]);
    const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
    expect(listCrtes('84').sort(byCode)).toEqual(fromCsv.crtes.sort(byCode));
    const inRegion = new Set(listEpcis('84').map((e) => e.siren));
    for (const c of listCrtes('84')) for (const s of c.epciSirens) expect(inRegion.has(s)).toBe(true);
    expect(listCrtes('11')).toEqual([]);
  });

  it('parses good rows, grouping EPCI by CRTE', () => {
    const csv = [
      'crte_code,crte_name,epci_siren',
      'A1,Pays A,200046977',
      'B2,"Pays B, avec virgule",200040715',
      'B2,"Pays B, avec virgule",200018166',
      '',
    ].join('\n');
    const { crtes, errors } = parseCrteCsv(csv);
    expect(errors).toEqual([]);
    expect(crtes).toEqual([
      { code: 'A1', name: 'Pays A', epciSirens: ['200046977'] },
      { code: 'B2', name: 'Pays B, avec virgule', epciSirens: ['200040715', '200018166'] },
    ]);
  });

  it('reports a malformed or unknown SIREN with its line, and keeps the other rows', () => {
    const csv = [
      'crte_code,crte_name,epci_siren',
      'A1,Pays A,200046977',
      'A1,Pays A,20004697X',
      'A1,Pays A,123456789',
      ',Sans code,200040715',
      'A1,Pays A,200046977',
    ].join('\r\n');
    const { crtes, errors } = parseCrteCsv(csv);
    expect(crtes).toEqual([{ code: 'A1', name: 'Pays A', epciSirens: ['200046977'] }]);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(errors[0]?.message).toMatch(/SIREN d’EPCI invalide « 20004697X » : 9 chiffres attendus/);
    expect(errors[1]?.message).toMatch(/EPCI inconnu/);
    expect(errors[2]?.message).toMatch(/code CRTE manquant/);
    expect(errors[3]?.message).toMatch(/listé deux fois/);
  });

  it('tolerates a BOM, the ; separator, quotes, CRLF, comments and extra columns', () => {
    const csv =
      '\uFEFF# export du tableur\r\n' +
      '"EPCI_SIREN";"CRTE_CODE";"CRTE_NAME";"commentaire"\r\n' +
      '"200 046 977";"L1";"Lyon ""métropole""";"x;y"\r\n' +
      '\r\n' +
      '200040715;G1;"Grenoble\r\nAlpes";\r\n';
    const { crtes, errors } = parseCrteCsv(csv);
    expect(errors).toEqual([]);
    expect(crtes).toEqual([
      { code: 'L1', name: 'Lyon "métropole"', epciSirens: ['200046977'] },
      { code: 'G1', name: 'Grenoble Alpes', epciSirens: ['200040715'] },
    ]);
  });

  it('counts lines across quoted line breaks', () => {
    const csv = 'crte_code,crte_name,epci_siren\nA1,"Nom\nsur deux lignes",200046977\nA2,Autre,12\n';
    expect(parseCrteCsv(csv).errors).toEqual([{ line: 4, message: expect.stringMatching(/9 chiffres/) as string }]);
  });

  it('rejects an empty file or a wrong header', () => {
    expect(parseCrteCsv('')).toEqual({
      crtes: [],
      errors: [{ line: 1, message: expect.stringMatching(/Fichier vide/) as string }],
    });
    expect(parseCrteCsv('\uFEFF\r\n  \r\n').errors[0]?.message).toMatch(/Fichier vide/);
    const wrong = parseCrteCsv('code,nom,siren\nA1,Pays A,200046977\n');
    expect(wrong.crtes).toEqual([]);
    expect(wrong.errors).toEqual([
      { line: 1, message: expect.stringMatching(/manquante\(s\) crte_code, crte_name, epci_siren/) as string },
    ]);
  });

  it('reports an EPCI put in two CRTE', () => {
    const csv = 'crte_code,crte_name,epci_siren\nA1,Pays A,200046977\nB1,Pays B,200046977\n';
    const { crtes, errors } = parseCrteCsv(csv);
    expect(crtes).toHaveLength(1);
    expect(errors).toEqual([{ line: 3, message: expect.stringMatching(/déjà rattaché au CRTE A1/) as string }]);
  });

  it('registers imported CRTE of the region and refuses EPCI of another region', () => {
    const { crtes } = parseCrteCsv(
      [
        'crte_code,crte_name,epci_siren',
        'V1,Pays Voironnais,243800984',
        'P1,Paris,200054781', // Métropole du Grand Paris (Île-de-France)
        'M1,Mélange,200018166',
        'M1,Mélange,200059228', // CA Grand Paris Sud Seine Essonne Sénart (Île-de-France)
      ].join('\n'),
    );
    expect(crtes).toHaveLength(3);
    const result = registerCrtes('84', crtes);
    expect(result.registered).toEqual(['V1']);
    expect(result.errors.map((e) => e.crteCode)).toEqual(['P1', 'M1']);
    expect(result.errors[0]?.message).toMatch(/hors de la région 84/);
    expect(isTerritoryOfRegion('84', 'crte:V1')).toBe(true);
    expect(getRegionTerritories('84')?.crtes.map((c) => c.code)).toContain('V1');
    expect(territoryLabel('84', 'crte:V1')).toBe('CRTE Pays Voironnais');
    // an EPCI already in a CRTE of the region
    const clash = registerCrtes('84', [{ code: 'L2', name: 'Autre Lyon', epciSirens: ['200046977'] }]);
    expect(clash.registered).toEqual([]);
    expect(clash.errors[0]?.message).toMatch(/déjà rattaché/);
    // replacing all CRTE of the region (e.g. with the official file) drops the example
    const replaced = registerCrtes('84', [{ code: 'L2', name: 'Autre Lyon', epciSirens: ['200046977'] }], {
      replace: true,
    });
    expect(replaced).toEqual({ registered: ['L2'], errors: [] });
    expect(listCrtes('84').map((c) => c.code)).toEqual(['L2']);
    expect(registerCrtes('99', crtes).errors[0]?.message).toMatch(/Région inconnue/);
  });

  it('goes back to the example after a reset', () => {
    registerCrtes('84', [{ code: 'V1', name: 'Pays Voironnais', epciSirens: ['243800984'] }]);
    expect(listCrtes('84')).toHaveLength(5);
    resetCrtes('84');
    expect(listCrtes('84')).toHaveLength(4);
  });
});
