/**
 * The entry form's draft (what the inputs hold, as strings) and its validation with the domain:
 * `DiagnosticEntrySchema` for field rules, then `validateEntry` with the region's `DiagnosticRules`
 * on a scratch document — the very checks the server applies to every edit.
 */
import * as Y from 'yjs';
import {
  DEFAULT_MAX_ENTRIES,
  DiagnosticEntrySchema,
  ENTRY_LIMITS,
  addEntry,
  emptyEntryInput,
  newEntryId,
  validateEntry,
  type DiagnosticEntry,
  type DiagnosticRules,
  type EntryFields,
  type EntryInput,
  type EntryPatch,
  type EntryStatus,
} from '@agora/domain';
import { t } from '$lib/i18n';

/** The form fields, in display order. */
export const FORM_FIELDS = [
  'lever',
  'territory',
  'organisation',
  'status',
  'title',
  'description',
  'effectValue',
  'effectUnit',
  'effectKtCO2e',
  'yearStart',
  'yearEnd',
  'source',
] as const satisfies readonly (keyof EntryInput)[];
export type FormField = (typeof FORM_FIELDS)[number];

export interface EntryDraft {
  lever: string;
  territory: string;
  organisation: string;
  status: EntryStatus;
  title: string;
  description: string;
  effectValue: string;
  effectUnit: string;
  effectKtCO2e: string;
  yearStart: string;
  yearEnd: string;
  source: string;
}

export type FieldErrors = Partial<Record<FormField | 'form', string>>;

export const FIELD_LABELS: Record<FormField, string> = {
  lever: t.entryForm.lever,
  territory: t.entryForm.territory,
  organisation: t.entryForm.organisation,
  status: t.entryForm.status,
  title: t.entryForm.title,
  description: t.entryForm.description,
  effectValue: t.entryForm.effectValue,
  effectUnit: t.entryForm.effectUnit,
  effectKtCO2e: t.entryForm.effectKtCO2e,
  yearStart: t.entryForm.yearStart,
  yearEnd: t.entryForm.yearEnd,
  source: t.entryForm.source,
};

const numberToText = (n: number | null): string => (n === null ? '' : String(n).replace('.', ','));

export function draftFromInput(input: EntryInput): EntryDraft {
  return {
    lever: input.lever,
    territory: input.territory,
    organisation: input.organisation,
    status: input.status,
    title: input.title,
    description: input.description,
    effectValue: numberToText(input.effectValue),
    effectUnit: input.effectUnit,
    effectKtCO2e: numberToText(input.effectKtCO2e),
    yearStart: input.yearStart === null ? '' : String(input.yearStart),
    yearEnd: input.yearEnd === null ? '' : String(input.yearEnd),
    source: input.source,
  };
}

export function emptyDraft(defaults: Partial<EntryInput> = {}): EntryDraft {
  return draftFromInput(emptyEntryInput(defaults));
}

/** The user-editable fields of an entry. */
export function inputOf(entry: DiagnosticEntry | EntryFields): EntryInput {
  return {
    lever: entry.lever,
    territory: entry.territory,
    organisation: entry.organisation,
    status: entry.status,
    title: entry.title,
    description: entry.description,
    effectValue: entry.effectValue,
    effectUnit: entry.effectUnit,
    effectKtCO2e: entry.effectKtCO2e,
    yearStart: entry.yearStart,
    yearEnd: entry.yearEnd,
    source: entry.source,
  };
}

/** "12,5", "12.5", "1 200" → 12.5 / 1200; "" → null; anything else → NaN. */
function parseDecimal(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : Number.NaN;
}

function parseYear(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  return /^\d{4}$/.test(s) ? Number(s) : Number.NaN;
}

type Issue = NonNullable<ReturnType<typeof DiagnosticEntrySchema.safeParse>['error']>['issues'][number];

function friendlyMessage(field: FormField, issue: Issue): string {
  const label = FIELD_LABELS[field];
  switch (field) {
    case 'yearStart':
    case 'yearEnd':
      if (issue.code === 'custom') return t.validation.yearOrder;
      if (issue.code === 'too_small' || issue.code === 'too_big') {
        return t.validation.yearRange(label, ENTRY_LIMITS.minYear, ENTRY_LIMITS.maxYear);
      }
      return t.validation.notAYear(label);
    case 'effectValue':
    case 'effectKtCO2e':
      if (issue.code === 'too_small' || issue.code === 'too_big') return t.validation.magnitude(label);
      return t.validation.notANumber(label);
    case 'lever':
    case 'territory':
      if (issue.code === 'too_small') return t.validation.required(label);
      break;
    default:
      if (issue.code === 'too_small') return t.validation.required(label);
      if (issue.code === 'too_big' && typeof issue.maximum === 'number') return t.validation.tooLong(label, issue.maximum);
  }
  return t.validation.invalid(label, issue.message);
}

function isFormField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

export interface DraftResult {
  input: EntryInput | null;
  errors: FieldErrors;
}

/**
 * Converts a draft into an entry input and checks it as the server would.
 * `author` signs the entry; `existing` is the stored entry when editing (its other fields take part in the checks).
 */
export function validateDraft(
  draft: EntryDraft,
  author: string,
  rules: DiagnosticRules,
  existing: DiagnosticEntry | null = null,
): DraftResult {
  const errors: FieldErrors = {};
  const effectValue = parseDecimal(draft.effectValue);
  const effectKtCO2e = parseDecimal(draft.effectKtCO2e);
  const yearStart = parseYear(draft.yearStart);
  const yearEnd = parseYear(draft.yearEnd);
  if (Number.isNaN(effectValue)) errors.effectValue = t.validation.notANumber(FIELD_LABELS.effectValue);
  if (Number.isNaN(effectKtCO2e)) errors.effectKtCO2e = t.validation.notANumber(FIELD_LABELS.effectKtCO2e);
  if (Number.isNaN(yearStart)) errors.yearStart = t.validation.notAYear(FIELD_LABELS.yearStart);
  if (Number.isNaN(yearEnd)) errors.yearEnd = t.validation.notAYear(FIELD_LABELS.yearEnd);

  const input: EntryInput = {
    lever: draft.lever,
    territory: draft.territory,
    organisation: draft.organisation.trim(),
    status: draft.status,
    title: draft.title.trim(),
    description: draft.description.trim(),
    effectValue: Number.isNaN(effectValue) ? null : effectValue,
    effectUnit: draft.effectUnit.trim(),
    effectKtCO2e: Number.isNaN(effectKtCO2e) ? null : effectKtCO2e,
    yearStart: Number.isNaN(yearStart) ? null : yearStart,
    yearEnd: Number.isNaN(yearEnd) ? null : yearEnd,
    source: draft.source.trim(),
  };

  // 1. Field rules of the domain schema, with messages written for the form.
  const now = Date.now();
  const candidate: EntryFields = {
    ...input,
    author: existing?.author ?? author,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const parsed = DiagnosticEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (isFormField(field)) errors[field] ??= friendlyMessage(field, issue);
      else errors.form ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };

  // 2. The server's rule for this entry (catalogue levers, territories of the region), on a scratch document.
  const scratch = new Y.Doc();
  try {
    const id = existing?.id ?? newEntryId();
    addEntry(scratch, input, candidate.author, candidate.createdAt, id);
    for (const issue of validateEntry(scratch, id, rules)) {
      const field = issue.field ?? '';
      if (field === 'lever') errors.lever ??= t.validation.unknownLever;
      else if (field === 'territory') errors.territory ??= t.validation.unknownTerritory;
      else if (isFormField(field)) errors[field] ??= t.validation.invalid(FIELD_LABELS[field], issue.message);
      else errors.form ??= issue.message;
    }
  } finally {
    scratch.destroy();
  }
  return Object.keys(errors).length > 0 ? { input: null, errors } : { input, errors };
}

/** The fields the user changed since the form opened (so that others' concurrent edits of other fields survive). */
export function changedFields(baseline: EntryInput, input: EntryInput): EntryPatch {
  const patch: Record<string, unknown> = {};
  for (const k of FORM_FIELDS) if (baseline[k] !== input[k]) patch[k] = input[k];
  return patch as EntryPatch;
}

export function makeRules(leverIds: ReadonlySet<string>, isTerritory: (ref: string) => boolean): DiagnosticRules {
  return { leverIds, isTerritory, maxEntries: DEFAULT_MAX_ENTRIES };
}
