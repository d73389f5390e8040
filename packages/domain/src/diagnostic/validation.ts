import * as Y from 'yjs';
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter } from '../text/control.ts';
import { DiagnosticEntrySchema, EntryFieldsSchema, EntryIdSchema } from './entry.ts';
import { DIAGNOSTIC_ROOTS, entriesMap } from './ydoc.ts';

/** What an edit is checked against: the workshop's region catalogue and territories. */
export interface DiagnosticRules {
  /** Lever ids of the workshop's region catalogue. */
  leverIds: ReadonlySet<string>;
  /** Whether a territory reference belongs to the workshop's region. */
  isTerritory: (ref: string) => boolean;
  /** Maximum number of entries in one diagnostic. */
  maxEntries: number;
}

export const DEFAULT_MAX_ENTRIES = 5000;

export interface ValidationIssue {
  entryId?: string;
  field?: string;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

/** Checks one entry as it stands in the document. */
export function validateEntry(doc: Y.Doc, id: string, rules: DiagnosticRules): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!EntryIdSchema.safeParse(id).success) issues.push({ entryId: id, message: 'identifiant d’entrée invalide' });
  const m = entriesMap(doc).get(id);
  if (m === undefined) return issues; // deleted: always allowed
  if (!(m instanceof Y.Map)) return [...issues, { entryId: id, message: 'une entrée doit être une carte de champs' }];
  // Only flat primitives: a nested Y type would turn into a string in toJSON and slip through the schema.
  for (const [field, value] of (m as Y.Map<unknown>).entries()) {
    if (value instanceof Y.AbstractType) issues.push({ entryId: id, field, message: 'champ de type imbriqué interdit' });
  }
  const parsed = DiagnosticEntrySchema.safeParse(m.toJSON());
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys') {
        for (const key of i.keys) issues.push({ entryId: id, field: key, message: `champ inconnu : ${key}` });
      } else {
        issues.push({ entryId: id, field: i.path.join('.'), message: i.message });
      }
    }
    return issues;
  }
  if (!rules.leverIds.has(parsed.data.lever)) {
    issues.push({ entryId: id, field: 'lever', message: `levier inconnu pour cette région : ${parsed.data.lever}` });
  }
  if (!rules.isTerritory(parsed.data.territory)) {
    issues.push({ entryId: id, field: 'territory', message: `territoire hors de la région : ${parsed.data.territory}` });
  }
  return issues;
}

const FIELD_SCHEMAS: Readonly<Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }>> =
  EntryFieldsSchema.shape;

/**
 * Checks an entry that existed before the change by what changed: each field whose value differs from `before`
 * against its own schema, the year order when a year changed, and always the lever and territory against the
 * region's catalogue. The fields held before were valid (every change to them was checked), so this gives the
 * verdict of checking the whole entry at a fraction of the cost, on the path every edit takes before it is sent
 * on. A field stored before a schema rule existed is not checked again until it is changed.
 */
export function validateEntryUpdate(doc: Y.Doc, id: string, before: Y.Map<unknown>, rules: DiagnosticRules): ValidationIssue[] {
  const m = entriesMap(doc).get(id);
  if (m === undefined) return [];
  if (!(m instanceof Y.Map)) return [{ entryId: id, message: 'une entrée doit être une carte de champs' }];
  const after = m as Y.Map<unknown>;
  const issues: ValidationIssue[] = [];
  const changed = new Set<string>();
  for (const field of after.keys()) if (after.get(field) !== before.get(field)) changed.add(field);
  for (const field of before.keys()) if (!after.has(field)) changed.add(field);
  for (const field of changed) {
    const value = after.get(field);
    if (value instanceof Y.AbstractType) {
      issues.push({ entryId: id, field, message: 'champ de type imbriqué interdit' });
      continue;
    }
    const schema = Object.hasOwn(FIELD_SCHEMAS, field) ? FIELD_SCHEMAS[field] : undefined;
    if (!schema) {
      issues.push({ entryId: id, field, message: `champ inconnu : ${field}` });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error?.issues ?? []) issues.push({ entryId: id, field, message: i.message });
      continue;
    }
    if (typeof value === 'string' && hasControlCharacter(value)) issues.push({ entryId: id, field, message: CONTROL_CHARACTER_MESSAGE });
  }
  // The catalogue and the territories can change between versions: an entry whose lever was withdrawn must be
  // corrected before it is edited, as when it is checked whole (two lookups, no parsing).
  const lever = after.get('lever');
  if (typeof lever === 'string' && !issues.some((i) => i.field === 'lever') && !rules.leverIds.has(lever)) {
    issues.push({ entryId: id, field: 'lever', message: `levier inconnu pour cette région : ${lever}` });
  }
  const territory = after.get('territory');
  if (typeof territory === 'string' && !issues.some((i) => i.field === 'territory') && !rules.isTerritory(territory)) {
    issues.push({ entryId: id, field: 'territory', message: `territoire hors de la région : ${territory}` });
  }
  if ((changed.has('yearStart') || changed.has('yearEnd')) && !issues.some((i) => i.field === 'yearStart' || i.field === 'yearEnd')) {
    const start = after.get('yearStart');
    const end = after.get('yearEnd');
    if (typeof start === 'number' && typeof end === 'number' && end < start) {
      issues.push({ entryId: id, field: 'yearEnd', message: 'l’année de fin précède l’année de début' });
    }
  }
  return issues;
}

/**
 * The rule the server applies to every incoming update, once it has been applied to a scratch copy:
 * only the entries it touched are checked (the rest was valid already), nothing outside the entries map may
 * change, and the entry count stays bounded. With `before` (the document as it was before the update), an entry
 * that already existed is checked by what changed (`validateEntryUpdate`); new entries are checked whole.
 */
export function validateDiagnosticChange(
  doc: Y.Doc,
  touched: { entryIds: Iterable<string>; outside: boolean },
  rules: DiagnosticRules,
  before?: Y.Doc,
): ValidationResult {
  const issues: ValidationIssue[] = [];
  for (const name of doc.share.keys()) {
    if (!(DIAGNOSTIC_ROOTS as readonly string[]).includes(name)) issues.push({ message: `type racine inconnu : ${name}` });
  }
  if (touched.outside && issues.length === 0) {
    issues.push({ message: 'modification hors des entrées du diagnostic (réservé au serveur)' });
  }
  const entries = entriesMap(doc);
  const ids = [...touched.entryIds];
  // Over the limit, only changes that add or edit entries are refused: deletions must stay possible.
  // Y.Map#size walks the whole map; the internal key map (deleted keys included) is a cheap upper bound.
  const upperBound = (entries as unknown as { _map: Map<string, unknown> })._map.size;
  if (upperBound > rules.maxEntries && entries.size > rules.maxEntries && ids.some((id) => entries.has(id))) {
    issues.push({ message: `trop d’entrées (maximum ${rules.maxEntries})` });
  }
  const previous = before ? entriesMap(before) : null;
  for (const id of ids) {
    const was = previous?.get(id);
    issues.push(...(was instanceof Y.Map ? validateEntryUpdate(doc, id, was as Y.Map<unknown>, rules) : validateEntry(doc, id, rules)));
  }
  return issues.length === 0 ? { ok: true } : { ok: false, issues };
}

/** Checks every entry of a document (used when loading stored documents and in tests). */
export function validateDiagnosticDoc(doc: Y.Doc, rules: DiagnosticRules): ValidationResult {
  return validateDiagnosticChange(doc, { entryIds: entriesMap(doc).keys(), outside: false }, rules);
}
