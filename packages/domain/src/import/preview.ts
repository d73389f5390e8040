/**
 * Preview of an import: every row of the table read into an entry and checked exactly as an edit of the
 * diagnostic is (the entry schema, then the region's levers and territories), with one French error per problem
 * and the row number as the person sees it in their spreadsheet (the header is row 1, the first data row is row 2).
 * Nothing is written: the caller writes `valid` when the person confirms.
 *
 * Row numbers in errors: 0 for a problem with the whole file or the settings (nothing is imported), 1 for the
 * header or the mapping, 2… for data rows.
 */
import type * as z from 'zod';
import { DiagnosticEntrySchema, ENTRY_STATUS_LABELS, type EntryInput, type EntryStatus, type Provenance } from '../diagnostic/entry.ts';
import type { DiagnosticRules } from '../diagnostic/validation.ts';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, detectCo2eUnit, type ImportField, type ImportMapping, type ImportUnits } from './mapping.ts';
import { CO2E_MASS_UNITS, co2eMassUnit, foldText, unitKey } from './normalise.ts';
import { parseImportNumber, parseImportStatus, parseImportYear } from './parse.ts';

/** Largest number of data rows previewed; a longer file is refused whole. */
export const DEFAULT_IMPORT_MAX_ROWS = 5000;

export interface ImportDefaults {
  lever?: string;
  territory?: string;
  organisation?: string;
  /** A status id or a synonym (« Réalisé »). */
  status?: string;
}

export interface ImportContext {
  /** The workshop's lever ids and territories (the same rules as edits of the diagnostic). */
  rules: Pick<DiagnosticRules, 'leverIds' | 'isTerritory'>;
  /** Values for the rows whose cell is empty, or whose field has no column. */
  defaults?: ImportDefaults;
  /** Lever name → id (see `buildLeverAliases`); keys are compared folded. Lever ids are always accepted. */
  leverAliases?: ReadonlyMap<string, string>;
  /** Territory text → reference (see `buildTerritoryLookup`). References are always accepted. */
  territoryLookup?: (text: string) => string | null;
  /** Default `DEFAULT_IMPORT_MAX_ROWS`. */
  maxRows?: number;
  /** Column unit options; `effectKtCO2e` defaults to the unit the column's header names, else kt. */
  units?: Partial<ImportUnits>;
  /**
   * When given, every valid row gets a provenance naming the file and its row
   * (`kind: 'import'`, `sourceId`, `sourceName`: the file name, `ref`: the row number).
   */
  provenance?: { sourceId: string; sourceName: string; author: string };
}

export interface ImportRowError {
  /** 0: whole file or settings; 1: header/mapping; 2…: data rows (spreadsheet numbering). */
  rowNumber: number;
  field?: ImportField;
  /** 0-based column of the field, when it has one. */
  column?: number;
  /** The cell's text (cut to 100 characters), when the cell is the problem. */
  value?: string;
  /** French. */
  message: string;
}

export interface ImportPreview {
  valid: { rowNumber: number; input: EntryInput }[];
  errors: ImportRowError[];
  /** Data rows in the file (header excluded). */
  total: number;
  /** True when the whole file is refused (nothing valid). */
  refused: boolean;
  /** Data rows left aside because every cell is blank. */
  blankRows: number[];
}

const fmt = (n: number): string => new Intl.NumberFormat('fr-FR').format(n);

function refuse(total: number, errors: ImportRowError[]): ImportPreview {
  return { valid: [], errors, total, refused: true, blankRows: [] };
}

/** French messages for the schema's generic issues (the schema's own messages, already French, win). */
const frenchIssues: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string' ? `trop long (${fmt(Number(issue.maximum))} caractères au plus)` : `valeur trop grande (${fmt(Number(issue.maximum))} au plus)`;
    case 'too_small':
      return issue.origin === 'string' ? 'valeur requise' : `valeur trop petite (${fmt(Number(issue.minimum))} au moins)`;
    case 'invalid_type':
      return 'valeur manquante ou illisible';
    case 'invalid_value':
      return 'valeur non reconnue';
    default:
      return undefined;
  }
};

const clip = (s: string): string => (s.length > 100 ? `${s.slice(0, 99)}…` : s);

interface Resolvers {
  lever: (text: string) => string | null;
  territory: (text: string) => string | null;
}

function resolvers(context: ImportContext): Resolvers {
  const { leverIds, isTerritory } = context.rules;
  const folded = new Map<string, string>();
  for (const id of leverIds) folded.set(foldText(id), id);
  for (const [name, id] of context.leverAliases ?? []) {
    const key = foldText(name);
    if (leverIds.has(id) && !folded.has(key)) folded.set(key, id);
  }
  return {
    lever: (text) => (leverIds.has(text) ? text : (folded.get(foldText(text)) ?? null)),
    territory: (text) => {
      if (isTerritory(text)) return text;
      const ref = context.territoryLookup?.(text) ?? null;
      return ref !== null && isTerritory(ref) ? ref : null;
    },
  };
}

/** Preview of an import (see the module comment). Pure: nothing is written. */
export function previewImport(rows: readonly (readonly string[])[], mapping: ImportMapping, context: ImportContext): ImportPreview {
  const maxRows = context.maxRows ?? DEFAULT_IMPORT_MAX_ROWS;
  const header = rows[0] ?? [];
  const headerCells = header.map((c) => (c ?? '').replace(/\uFEFF/g, '').trim());
  if (rows.length === 0 || headerCells.every((c) => c === '')) {
    return refuse(0, [{ rowNumber: 0, message: 'le fichier est vide : la première ligne doit donner les noms des colonnes' }]);
  }
  const total = rows.length - 1;
  if (total > maxRows) {
    return refuse(total, [
      { rowNumber: 0, message: `fichier trop long : ${fmt(total)} lignes de données pour ${fmt(maxRows)} au plus ; découpez-le en plusieurs fichiers` },
    ]);
  }
  if (total === 0) return refuse(0, [{ rowNumber: 0, message: 'le fichier ne contient que la ligne d’en-tête, aucune action à importer' }]);

  // The mapping and the defaults: problems here concern every row, so the file is refused whole.
  const settings: ImportRowError[] = [];
  const columns: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const c = mapping[field];
    if (c === undefined || c === null) continue;
    if (!Number.isInteger(c) || c < 0 || c >= header.length) {
      settings.push({ rowNumber: 1, field, message: `${IMPORT_FIELD_LABELS[field]} : la colonne n° ${String(Number(c) + 1)} n’existe pas (le fichier a ${header.length} colonnes)` });
    } else columns[field] = c;
  }
  if (columns.title === undefined && !settings.some((e) => e.field === 'title')) {
    settings.push({ rowNumber: 1, field: 'title', message: 'aucune colonne n’est associée au titre des actions : choisissez la colonne de l’intitulé' });
  }
  const resolve = resolvers(context);
  const defaults = context.defaults ?? {};
  const defaultLever = defaults.lever?.trim() ? resolve.lever(defaults.lever.trim()) : null;
  if (defaults.lever?.trim() && defaultLever === null) settings.push({ rowNumber: 0, field: 'lever', message: `levier par défaut inconnu pour cette région : ${defaults.lever}` });
  const defaultTerritory = defaults.territory?.trim() ? resolve.territory(defaults.territory.trim()) : null;
  if (defaults.territory?.trim() && defaultTerritory === null) settings.push({ rowNumber: 0, field: 'territory', message: `territoire par défaut inconnu ou hors de la région : ${defaults.territory}` });
  const parsedStatus = defaults.status?.trim() ? parseImportStatus(defaults.status) : null;
  const defaultStatus: EntryStatus | null = parsedStatus?.kind === 'ok' ? parsedStatus.value : null;
  if (parsedStatus && parsedStatus.kind !== 'ok') settings.push({ rowNumber: 0, field: 'status', message: `statut par défaut non reconnu : ${defaults.status ?? ''}` });
  const defaultOrganisation = defaults.organisation?.trim() ?? '';
  const required: [ImportField, boolean][] = [
    ['lever', defaultLever !== null || (defaults.lever?.trim() ?? '') !== ''],
    ['territory', defaultTerritory !== null || (defaults.territory?.trim() ?? '') !== ''],
    ['organisation', defaultOrganisation !== ''],
    ['status', defaultStatus !== null || parsedStatus !== null],
  ];
  for (const [field, hasDefault] of required) {
    if (columns[field] === undefined && !hasDefault && !settings.some((e) => e.field === field)) {
      settings.push({ rowNumber: 0, field, message: `${IMPORT_FIELD_LABELS[field]} : ni colonne associée ni valeur par défaut` });
    }
  }
  if (settings.length > 0) return refuse(total, settings);

  const ktColumn = columns.effectKtCO2e;
  const columnUnit = context.units?.effectKtCO2e ?? (ktColumn !== undefined ? detectCo2eUnit(headerCells[ktColumn] ?? '') : null) ?? 'kt';

  const valid: ImportPreview['valid'] = [];
  const errors: ImportRowError[] = [];
  const blankRows: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const rowNumber = i + 1;
    const row = rows[i] ?? [];
    if (row.every((c) => (c ?? '').replace(/\uFEFF/g, '').trim() === '')) {
      blankRows.push(rowNumber);
      continue;
    }
    const cell = (field: ImportField): string => {
      const c = columns[field];
      return c === undefined ? '' : (row[c] ?? '').replace(/\uFEFF/g, '').trim();
    };
    const rowErrors: ImportRowError[] = [];
    const fail = (field: ImportField, message: string, withValue = true): void => {
      const e: ImportRowError = { rowNumber, field, message: `${IMPORT_FIELD_LABELS[field]} : ${message}` };
      if (columns[field] !== undefined) e.column = columns[field];
      if (withValue && cell(field) !== '') e.value = clip(cell(field));
      rowErrors.push(e);
    };

    let lever = defaultLever ?? '';
    if (cell('lever') !== '') {
      const id = resolve.lever(cell('lever'));
      if (id === null) fail('lever', `levier inconnu pour cette région : « ${clip(cell('lever'))} »`);
      else lever = id;
    }
    let territory = defaultTerritory ?? '';
    if (cell('territory') !== '') {
      const ref = resolve.territory(cell('territory'));
      if (ref === null) fail('territory', `territoire inconnu ou hors de la région : « ${clip(cell('territory'))} »`);
      else territory = ref;
    }
    let status: EntryStatus | null = defaultStatus;
    if (cell('status') !== '') {
      const s = parseImportStatus(cell('status'));
      if (s.kind === 'ok') status = s.value;
      else fail('status', `statut non reconnu : « ${clip(cell('status'))} » (attendu : ${Object.values(ENTRY_STATUS_LABELS).join(', ')})`);
    }

    let effectValue: number | null = null;
    let effectUnit = cell('effectUnit');
    const v = parseImportNumber(cell('effectValue'));
    if (v.kind === 'invalid') fail('effectValue', `nombre illisible : « ${clip(cell('effectValue'))} »`);
    else if (v.kind === 'ok') {
      effectValue = v.value;
      if (v.unit !== '') {
        if (effectUnit === '') effectUnit = v.unit;
        else if (unitKey(effectUnit) !== unitKey(v.unit)) fail('effectValue', `unité « ${clip(v.unit)} » différente de celle de la colonne d’unité (« ${clip(effectUnit)} »)`);
      }
    }

    let effectKtCO2e: number | null = null;
    const k = parseImportNumber(cell('effectKtCO2e'));
    if (k.kind === 'invalid') fail('effectKtCO2e', `nombre illisible : « ${clip(cell('effectKtCO2e'))} »`);
    else if (k.kind === 'ok') {
      const unit = k.unit === '' ? columnUnit : co2eMassUnit(k.unit);
      if (unit === null) fail('effectKtCO2e', `unité « ${clip(k.unit)} » non reconnue (attendu : tCO2e, ktCO2e ou MtCO2e)`);
      // Converted values are rounded to the kilogram (1e-6 kt), so that « 1 234,5 » tCO2e gives 1.2345, not 1.2345000000000002.
      else effectKtCO2e = unit === 'kt' ? k.value : Math.round(k.value * CO2E_MASS_UNITS[unit] * 1e6) / 1e6;
    }

    const year = (field: 'yearStart' | 'yearEnd'): number | null => {
      const y = parseImportYear(cell(field));
      if (y.kind === 'invalid') fail(field, `année illisible : « ${clip(cell(field))} »`);
      return y.kind === 'ok' ? y.value : null;
    };
    const yearStart = year('yearStart');
    const yearEnd = year('yearEnd');

    const input: EntryInput = {
      lever,
      territory,
      organisation: cell('organisation') || defaultOrganisation,
      status: status ?? 'en-cours',
      title: cell('title'),
      description: cell('description'),
      effectValue,
      effectUnit,
      effectKtCO2e,
      yearStart,
      yearEnd,
      source: cell('source'),
    };
    if (status === null && cell('status') === '') fail('status', 'statut manquant (aucune valeur par défaut)', false);

    // The same checks as an edit of the diagnostic: the entry schema, then the region's levers and territories.
    const failed = new Set(rowErrors.map((e) => e.field));
    const parsed = DiagnosticEntrySchema.safeParse({ ...input, author: 'import', createdAt: 0, updatedAt: 0 }, { error: frenchIssues });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = IMPORT_FIELDS.find((f) => f === issue.path[0]);
        if (field === undefined) rowErrors.push({ rowNumber, message: issue.message });
        else if (!failed.has(field)) {
          failed.add(field);
          fail(field, issue.message);
        }
      }
    }
    if (!failed.has('lever') && input.lever !== '' && !context.rules.leverIds.has(input.lever)) fail('lever', `levier inconnu pour cette région : ${input.lever}`);
    if (!failed.has('territory') && input.territory !== '' && !context.rules.isTerritory(input.territory)) {
      fail('territory', `territoire hors de la région : ${input.territory}`);
    }

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    if (context.provenance) {
      const p: Provenance = {
        kind: 'import',
        sourceId: context.provenance.sourceId.slice(0, 64),
        sourceName: context.provenance.sourceName.slice(0, 120),
        ref: String(rowNumber),
        author: context.provenance.author.slice(0, 100),
      };
      input.provenance = JSON.stringify([p]);
    }
    valid.push({ rowNumber, input });
  }
  return { valid, errors, total, refused: false, blankRows };
}
