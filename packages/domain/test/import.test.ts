import { describe, it, expect } from 'vitest';
import * as Y from 'yjs';
import { getRegionCatalogue, leverIdsForRegion } from '../src/catalogue/index.ts';
import { getRegionTerritories, isTerritoryOfRegion } from '../src/territories/index.ts';
import { addEntry, readProvenance, validateDiagnosticDoc, type DiagnosticRules } from '../src/index.ts';
import {
  buildLeverAliases,
  buildTerritoryLookup,
  detectCo2eUnit,
  parseImportNumber,
  parseImportStatus,
  parseImportYear,
  previewImport,
  suggestMapping,
  type ImportContext,
  type ImportMapping,
} from '../src/import/index.ts';

const rules: DiagnosticRules = {
  leverIds: leverIdsForRegion('84'),
  isTerritory: (ref) => isTerritoryOfRegion('84', ref),
  maxEntries: 5000,
};
const context = (over: Partial<ImportContext> = {}): ImportContext => ({
  rules,
  leverAliases: buildLeverAliases(getRegionCatalogue('84')!.levers),
  territoryLookup: buildTerritoryLookup(getRegionTerritories('84')!),
  ...over,
});

describe('cell readers', () => {
  it('French numbers', () => {
    const ok = (text: string) => parseImportNumber(text);
    expect(ok('1 234,5')).toEqual({ kind: 'ok', value: 1234.5, unit: '' });
    expect(ok('1\u00a0234,5')).toMatchObject({ value: 1234.5 });
    expect(ok('1\u202f234\u202f567')).toMatchObject({ value: 1234567 });
    expect(ok('12,5 %')).toEqual({ kind: 'ok', value: 12.5, unit: '%' });
    expect(ok('1.234,5')).toMatchObject({ value: 1234.5 });
    expect(ok('1,234.5')).toMatchObject({ value: 1234.5 });
    expect(ok('1.234.567')).toMatchObject({ value: 1234567 });
    expect(ok('1234.5')).toMatchObject({ value: 1234.5 });
    expect(ok('0,75')).toMatchObject({ value: 0.75 });
    expect(ok(',5')).toMatchObject({ value: 0.5 });
    expect(ok('1,234')).toMatchObject({ value: 1.234 }); // one comma is a decimal comma
    expect(ok('−3')).toMatchObject({ value: -3 });
    expect(ok('+3')).toMatchObject({ value: 3 });
    expect(ok('1e-7')).toMatchObject({ value: 1e-7 });
    expect(ok(' 40 bornes ')).toEqual({ kind: 'ok', value: 40, unit: 'bornes' });
    expect(ok('2 000 m³')).toEqual({ kind: 'ok', value: 2000, unit: 'm³' });
    expect(ok('  ')).toEqual({ kind: 'empty' });
    for (const bad of ['abc', 'environ 12', '12-15', '1 23', '1,2,3', '1.2.3,4,5', '12 / 15', '--12', '1 234 567,5,5']) {
      expect(parseImportNumber(bad), bad).toEqual({ kind: 'invalid' });
    }
  });

  it('years', () => {
    for (const [text, year] of [
      ['2024', 2024],
      ['2024.0', 2024],
      ['2024-03-01', 2024],
      ['2024-03-01T00:00:00.000Z', 2024],
      ['01/03/2024', 2024],
      ['03/2024', 2024],
      ['mars 2025', 2025],
      ['Févr. 2025', 2025],
      ['T1 2025', 2025],
      ['fin 2026', 2026],
    ] as const) {
      expect(parseImportYear(text), text).toEqual({ kind: 'ok', value: year });
    }
    expect(parseImportYear('')).toEqual({ kind: 'empty' });
    for (const bad of ['20245', 'demain', '2024-2026', '45292', 'vingt-vingt']) expect(parseImportYear(bad), bad).toEqual({ kind: 'invalid' });
  });

  it('status synonyms', () => {
    const s = (t: string) => parseImportStatus(t);
    for (const t of ['Réalisé', 'RÉALISÉE', 'Terminé', 'fait', 'Achevé', 'realise', 'Réalisé en 2023', 'Done']) expect(s(t), t).toEqual({ kind: 'ok', value: 'realise' });
    for (const t of ['En cours', 'en-cours', 'démarré', 'Engagée', 'in progress']) expect(s(t), t).toEqual({ kind: 'ok', value: 'en-cours' });
    for (const t of ['Prévu', 'À venir', 'projet', 'En projet', 'planifié', 'prevu', 'Non démarré']) expect(s(t), t).toEqual({ kind: 'ok', value: 'prevu' });
    expect(s('')).toEqual({ kind: 'empty' });
    for (const t of ['abandonné', 'non réalisé', '???']) expect(s(t), t).toEqual({ kind: 'invalid' });
  });

  it('CO2e units in headers', () => {
    expect(detectCo2eUnit('Gain GES (tCO2e)')).toBe('t');
    expect(detectCo2eUnit('Émissions évitées (kteqCO2/an)')).toBe('kt');
    expect(detectCo2eUnit('Tonnes de CO2 évitées')).toBe('t');
    expect(detectCo2eUnit('Gain GES')).toBeNull();
  });
});

describe('suggestMapping', () => {
  it('maps a PCAET action list (French headers, BOM, stray spaces)', () => {
    const header = [
      '\uFEFFN°',
      ' Intitulé ',
      'Porteur',
      'État d’avancement',
      'Année de début',
      'Fin',
      'Gain GES (tCO2e)',
      'Levier',
      'Territoire',
      'Description de l’action',
      'Source',
      'Commentaire interne du service',
    ];
    const s = suggestMapping(header);
    expect(s.mapping).toEqual({
      title: 1,
      organisation: 2,
      status: 3,
      yearStart: 4,
      yearEnd: 5,
      effectKtCO2e: 6,
      lever: 7,
      territory: 8,
      description: 9,
      source: 10,
    });
    expect(s.units.effectKtCO2e).toBe('t');
    expect(s.notes.join(' ')).toContain('divisées par 1 000');
    expect(s.notes.join(' ')).toContain('« N° »');
  });

  it('other synonyms: « Titre de l’action », « Maître d’ouvrage », « Début », « Action »', () => {
    expect(suggestMapping(['Titre de l\'action', 'Maître d\'ouvrage', 'Début', 'Statut', 'Unité', 'Valeur']).mapping).toEqual({
      title: 0,
      organisation: 1,
      yearStart: 2,
      status: 3,
      effectUnit: 4,
      effectValue: 5,
    });
    expect(suggestMapping(['Action', 'État']).mapping).toEqual({ title: 0, status: 1 });
    expect(suggestMapping(['Title', 'Status', 'Start year', 'End year', 'Lever', 'Owner']).mapping).toEqual({
      title: 0,
      status: 1,
      yearStart: 2,
      yearEnd: 3,
      lever: 4,
      organisation: 5,
    });
  });

  it('« Porteur de l’action » is the organisation, « Intitulé de l’action » the title, whatever the order', () => {
    expect(suggestMapping(['Porteur de l’action', 'Date de début de l’action', 'Intitulé de l’action']).mapping).toEqual({
      organisation: 0,
      yearStart: 1,
      title: 2,
    });
  });

  it('an effect column without unit is read in kt, with a note; a header with no title column says so', () => {
    const s = suggestMapping(['Gain GES', 'Commune']);
    expect(s.mapping.effectKtCO2e).toBe(0);
    expect(s.units.effectKtCO2e).toBe('kt');
    expect(s.notes.join(' ')).toContain('unité non précisée');
    expect(s.notes.join(' ')).toContain('intitulé');
    expect(s.mapping.title).toBeUndefined();
  });
});

describe('previewImport', () => {
  const HEADER = ['\uFEFFIntitulé', 'Porteur', 'Statut', 'Levier', 'Territoire', 'Gain GES (tCO2e)', 'Valeur', 'Unité', 'Début', 'Fin', 'Description'];
  const mapping = (): ImportMapping => suggestMapping(HEADER).mapping;

  it('mixed good and bad rows: valid rows kept, errors reported with spreadsheet row numbers (header = row 1)', () => {
    const rows = [
      HEADER,
      ['Plan vélo métropolitain', 'Métropole de Lyon', 'En cours', 'Vélo et transport en commun', 'Métropole de Lyon', '1 234,5', '120', 'km de pistes', '2021', '2026', ' Réseau express vélo '],
      ['Bornes de recharge', 'SYDER', 'Réalisé', 'augm_voitelec', '69', '', '12,5 %', '', '2022', '', ''],
      ['', 'Commune X', 'Prévu', 'augm_velotc', 'Isère (38)', '', '', '', '', '', ''], // no title
      ['Chaudières', 'Département', 'abandonné', 'Levier inconnu', 'Paris', 'douze', '', '', '20xx', '', ''],
      ['', '', '', '', '', '', '', '', '', '', ''], // blank: skipped
      ['Covoiturage', 'Région', 'fait', 'Covoiturage', 'Auvergne-Rhône-Alpes', '0,5 ktCO2e', '', '', '2030', '2024', ''], // end before start
      ['Réseau de chaleur', 'Ville', 'En cours', 'Réseaux de chaleur décarbonés', 'departement:38', '', '', '', '1850', '', ''],
    ];
    const p = previewImport(rows, mapping(), context());
    expect(p.refused).toBe(false);
    expect(p.total).toBe(7);
    expect(p.blankRows).toEqual([6]);
    expect(p.valid.map((v) => v.rowNumber)).toEqual([2, 3]);
    expect(p.valid[0]!.input).toEqual({
      lever: 'augm_velotc',
      territory: 'epci:200046977',
      organisation: 'Métropole de Lyon',
      status: 'en-cours',
      title: 'Plan vélo métropolitain',
      description: 'Réseau express vélo',
      effectValue: 120,
      effectUnit: 'km de pistes',
      effectKtCO2e: 1.2345, // 1 234,5 tCO2e ÷ 1000
      yearStart: 2021,
      yearEnd: 2026,
      source: '',
    });
    expect(p.valid[1]!.input).toMatchObject({ lever: 'augm_voitelec', territory: 'departement:69', status: 'realise', effectValue: 12.5, effectUnit: '%' });

    const at = (row: number) => p.errors.filter((e) => e.rowNumber === row);
    expect(at(4)).toEqual([{ rowNumber: 4, field: 'title', column: 0, message: 'Titre : titre requis' }]);
    expect(at(5).map((e) => e.field)).toEqual(['lever', 'territory', 'status', 'effectKtCO2e', 'yearStart']);
    expect(at(5)[0]).toMatchObject({ column: 3, value: 'Levier inconnu', message: 'Levier : levier inconnu pour cette région : « Levier inconnu »' });
    expect(at(5)[2]!.message).toContain('statut non reconnu : « abandonné »');
    expect(at(5)[3]!.message).toBe('Effet (ktCO2e) : nombre illisible : « douze »');
    expect(at(7)).toEqual([
      expect.objectContaining({ field: 'yearEnd', message: 'Année de fin : l’année de fin précède l’année de début' }),
    ]);
    expect(at(8)).toEqual([expect.objectContaining({ field: 'yearStart', message: expect.stringMatching(/^Année de début : valeur trop petite \(1\s990 au moins\)$/u) })]);
  });

  it('a cell may state its own CO2e unit, which wins over the column unit', () => {
    const rows = [HEADER, ['A', 'B', 'En cours', 'augm_velotc', '69', '0,5 ktCO2e', '', '', '', '', ''], ['A', 'B', 'En cours', 'augm_velotc', '69', '3 bornes', '', '', '', '', '']];
    const p = previewImport(rows, mapping(), context());
    expect(p.valid[0]!.input.effectKtCO2e).toBe(0.5);
    expect(p.errors).toEqual([expect.objectContaining({ rowNumber: 3, field: 'effectKtCO2e', message: expect.stringContaining('« bornes » non reconnue') })]);
  });

  it('the unit option of the column wins over its header', () => {
    const rows = [HEADER, ['A', 'B', 'En cours', 'augm_velotc', '69', '2 500', '', '', '', '', '']];
    expect(previewImport(rows, mapping(), context()).valid[0]!.input.effectKtCO2e).toBe(2.5);
    expect(previewImport(rows, mapping(), context({ units: { effectKtCO2e: 'kt' } })).valid[0]!.input.effectKtCO2e).toBe(2500);
  });

  it('levers by id or name, territories by reference, code, SIREN or name; case and accents ignored', () => {
    const rows = [
      ['Titre', 'Levier', 'Territoire'],
      ['a', 'VEHICULES ELECTRIQUES', 'rhone'],
      ['b', 'augm_voitelec', '200046977'],
      ['c', 'Véhicules électriques', 'Département du Rhône'],
      ['d', 'Désimperméabilisation des sols', 'région'],
      ['e', 'augm_voitelec', '38 - Isère'],
    ];
    const p = previewImport(rows, { title: 0, lever: 1, territory: 2 }, context({ defaults: { organisation: 'DREAL', status: 'Réalisé' } }));
    expect(p.errors).toEqual([]);
    expect(p.valid.map((v) => [v.input.lever, v.input.territory, v.input.status, v.input.organisation])).toEqual([
      ['augm_voitelec', 'departement:69', 'realise', 'DREAL'],
      ['augm_voitelec', 'epci:200046977', 'realise', 'DREAL'],
      ['augm_voitelec', 'departement:69', 'realise', 'DREAL'],
      ['desimpermeabilisation_sols', 'region:84', 'realise', 'DREAL'],
      ['augm_voitelec', 'departement:38', 'realise', 'DREAL'],
    ]);
  });

  it('without a lookup, only ids and references are accepted', () => {
    const rows = [['Titre', 'Levier', 'Territoire'], ['a', 'Véhicules électriques', 'Rhône'], ['b', 'augm_voitelec', 'departement:69']];
    const p = previewImport(rows, { title: 0, lever: 1, territory: 2 }, { rules, defaults: { organisation: 'X', status: 'prevu' } });
    expect(p.valid.map((v) => v.rowNumber)).toEqual([3]);
    expect(p.errors.map((e) => [e.rowNumber, e.field])).toEqual([
      [2, 'lever'],
      [2, 'territory'],
    ]);
  });

  it('defaults fill the fields without a column; a bad default refuses the file', () => {
    const rows = [['Action'], ['Plan vélo']];
    const ok = previewImport(rows, { title: 0 }, context({ defaults: { lever: 'augm_velotc', territory: 'Grenoble-Alpes-Métropole', organisation: 'Grenoble', status: 'En cours' } }));
    expect(ok.valid[0]!.input).toMatchObject({ lever: 'augm_velotc', territory: 'epci:200040715', organisation: 'Grenoble', status: 'en-cours' });
    const bad = previewImport(rows, { title: 0 }, context({ defaults: { lever: 'nope', territory: 'Paris', organisation: 'X', status: 'bof' } }));
    expect(bad.refused).toBe(true);
    expect(bad.errors.map((e) => [e.rowNumber, e.field])).toEqual([
      [0, 'lever'],
      [0, 'territory'],
      [0, 'status'],
    ]);
    const missing = previewImport(rows, { title: 0 }, context());
    expect(missing.refused).toBe(true);
    expect(missing.errors.map((e) => e.message)).toEqual([
      'Levier : ni colonne associée ni valeur par défaut',
      'Territoire : ni colonne associée ni valeur par défaut',
      'Organisation : ni colonne associée ni valeur par défaut',
      'Statut : ni colonne associée ni valeur par défaut',
    ]);
  });

  it('wrong columns: a mapping outside the header, or no title column, refuses the file with a clear message', () => {
    const rows = [['Intitulé', 'Levier'], ['a', 'augm_velotc']];
    const out = previewImport(rows, { title: 0, lever: 7 }, context({ defaults: { territory: 'region:84', organisation: 'X', status: 'prevu' } }));
    expect(out).toMatchObject({ refused: true, valid: [] });
    expect(out.errors).toEqual([{ rowNumber: 1, field: 'lever', message: 'Levier : la colonne n° 8 n’existe pas (le fichier a 2 colonnes)' }]);
    const noTitle = previewImport(rows, suggestMapping(['Porteur', 'Levier']).mapping, context({ defaults: { territory: 'region:84', organisation: 'X', status: 'prevu' } }));
    expect(noTitle.refused).toBe(true);
    expect(noTitle.errors[0]).toMatchObject({ rowNumber: 1, field: 'title', message: expect.stringContaining('aucune colonne n’est associée au titre') });
  });

  it('empty file, blank header, header only', () => {
    for (const rows of [[], [['', ' ', '\uFEFF']]]) {
      const p = previewImport(rows, { title: 0 }, context());
      expect(p).toMatchObject({ refused: true, total: 0, valid: [] });
      expect(p.errors[0]!.message).toContain('vide');
    }
    const headerOnly = previewImport([['Intitulé']], { title: 0 }, context());
    expect(headerOnly.refused).toBe(true);
    expect(headerOnly.errors[0]!.message).toContain('que la ligne d’en-tête');
  });

  it('a very large file (10 001 rows) is refused whole, quickly', () => {
    const rows = [['Intitulé', 'Levier', 'Territoire', 'Porteur', 'Statut'], ...Array.from({ length: 10_001 }, (_, i) => [`Action ${i}`, 'augm_velotc', '69', 'X', 'prévu'])];
    const ctx = context();
    const start = performance.now();
    const p = previewImport(rows, { title: 0, lever: 1, territory: 2, organisation: 3, status: 4 }, ctx);
    expect(performance.now() - start).toBeLessThan(50);
    expect(p).toMatchObject({ refused: true, total: 10_001, valid: [] });
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]!.message).toMatch(/^fichier trop long : 10\s001 lignes de données pour 5\s000 au plus/u);
    // maxRows is a setting
    expect(previewImport(rows.slice(0, 4), { title: 0, lever: 1, territory: 2, organisation: 3, status: 4 }, context({ maxRows: 2 })).refused).toBe(true);
  });

  it('5 000 rows (the limit) are all read', () => {
    const rows = [['Intitulé', 'Levier', 'Territoire', 'Porteur', 'Statut'], ...Array.from({ length: 5000 }, (_, i) => [`Action ${i}`, 'augm_velotc', '69', 'X', 'prévu'])];
    const p = previewImport(rows, { title: 0, lever: 1, territory: 2, organisation: 3, status: 4 }, context());
    expect(p.refused).toBe(false);
    expect(p.valid).toHaveLength(5000);
    expect(p.valid.at(-1)!.rowNumber).toBe(5001);
  });

  it('too long texts and huge numbers are reported in French', () => {
    const rows = [
      ['Intitulé', 'Levier', 'Territoire', 'Porteur', 'Statut', 'Valeur'],
      ['x'.repeat(201), 'augm_velotc', '69', 'X', 'prévu', '1e12'],
    ];
    const p = previewImport(rows, { title: 0, lever: 1, territory: 2, organisation: 3, status: 4, effectValue: 5 }, context());
    expect(p.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Titre : trop long \(200 caractères au plus\)$/),
      expect.stringMatching(/^Valeur de l’effet : valeur trop grande \(1\s000\s000\s000 au plus\)$/u),
    ]);
    expect(p.errors[0]!.value).toHaveLength(100);
  });

  it('the input rows are not changed, and valid rows pass the diagnostic validation once written (with provenance)', () => {
    const rows = Object.freeze([
      Object.freeze(['Intitulé', 'Levier', 'Territoire', 'Porteur', 'Statut', 'Gain (tCO2e)']),
      Object.freeze(['Plan vélo', 'augm_velotc', 'Rhône', 'Métropole', 'En cours', '1 500']),
    ]);
    const p = previewImport(rows, suggestMapping(rows[0]!).mapping, context({ provenance: { sourceId: 'imp-1', sourceName: 'pcaet-lyon.csv', author: 'Léa' } }));
    expect(p.valid).toHaveLength(1);
    const doc = new Y.Doc();
    for (const v of p.valid) addEntry(doc, v.input, 'Léa');
    expect(validateDiagnosticDoc(doc, rules)).toEqual({ ok: true });
    expect(readProvenance(p.valid[0]!.input)).toEqual([{ kind: 'import', sourceId: 'imp-1', sourceName: 'pcaet-lyon.csv', ref: '2', author: 'Léa' }]);
    expect(p.valid[0]!.input.effectKtCO2e).toBe(1.5);
  });
});
