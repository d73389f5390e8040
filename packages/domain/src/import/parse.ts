/**
 * Readers of the cells of an imported table (strings, as the server's CSV/XLSX reader gives them): French numbers,
 * years and statuses. Each returns `empty` for a blank cell, the value, or `invalid`.
 */
import type { EntryStatus } from '../diagnostic/entry.ts';
import { foldText } from './normalise.ts';

export type CellResult<T> = { kind: 'empty' } | { kind: 'invalid' } | ({ kind: 'ok' } & T);

const SPACES = /[ \u00a0\u2007\u202f]/g;
const NUMBER_HEAD = /^([+-]?)\s*((?:\d|[ \u00a0\u2007\u202f](?=\d)|[.,](?=\d))+)(?:[eE]([+-]?\d+))?\s*(.*)$/su;
/** What may follow a number as its unit: a letter or a unit symbol (not another number, not a dash). */
const UNIT_START = /^[\p{L}%‰€$£°µ²³]/u;

function groupsValid(body: string, thousands: string, decimal: string): boolean {
  const t = thousands === '.' ? '\\.' : thousands;
  const d = decimal === '.' ? '\\.' : decimal;
  return new RegExp(`^\\d{1,3}(?:${t}\\d{3})+(?:${d}\\d+)?$`).test(body);
}

/**
 * A number written the French way or as a spreadsheet gives it, optionally followed by a unit:
 * « 1 234,5 » (space, no-break or narrow no-break space as thousands separator), « 1.234,5 », « 1,234.5 »,
 * « 1234.5 », « ,5 », « 12,5 % » (unit `%`), « −3 », « 1e-7 », « 40 bornes » (unit `bornes`, which must start with a
 * letter or a unit sign; « 12-15 » or « 12 / 15 » are refused).
 * One comma is a decimal comma (« 1,234 » is 1.234); one dot is a decimal point; several of the same are thousands
 * separators; with both, the last one is the decimal separator.
 */
export function parseImportNumber(text: string): CellResult<{ value: number; unit: string }> {
  const t = text.replace(/\uFEFF/g, '').replace(/\u2212/g, '-').trim();
  if (t === '') return { kind: 'empty' };
  const m = NUMBER_HEAD.exec(t);
  if (!m) return { kind: 'invalid' };
  const [, sign = '', rawBody = '', exponent, rest = ''] = m;
  const unit = rest.trim();
  if (unit !== '' && !UNIT_START.test(unit)) return { kind: 'invalid' };
  let body = rawBody;
  if (/[ \u00a0\u2007\u202f]/.test(body)) {
    body = body.replace(SPACES, ' ');
    if (!/^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$/.test(body)) return { kind: 'invalid' };
    body = body.replace(/ /g, '').replace(',', '.');
  } else {
    const commas = (body.match(/,/g) ?? []).length;
    const dots = (body.match(/\./g) ?? []).length;
    if (commas > 0 && dots > 0) {
      const decimal = body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
      const thousands = decimal === ',' ? '.' : ',';
      if ((decimal === ',' ? commas : dots) !== 1 || !groupsValid(body, thousands, decimal)) return { kind: 'invalid' };
      body = body.split(thousands).join('').replace(decimal, '.');
    } else if (commas > 1 || dots > 1) {
      const sep = commas > 1 ? ',' : '.';
      if (!groupsValid(body, sep, sep === ',' ? '.' : ',')) return { kind: 'invalid' };
      body = body.split(sep).join('');
    } else {
      body = body.replace(',', '.');
    }
  }
  const value = Number(`${sign}${body}${exponent !== undefined ? `e${exponent}` : ''}`);
  if (!Number.isFinite(value)) return { kind: 'invalid' };
  return { kind: 'ok', value: value === 0 ? 0 : value, unit };
}

const MONTHS =
  'janvier|janv|jan|fevrier|fevr|fev|mars|mar|avril|avr|mai|juin|juillet|juil|aout|septembre|sept|sep|octobre|oct|novembre|nov|decembre|dec|' +
  'january|february|feb|march|april|apr|may|june|jun|july|jul|august|aug|september|october|november|december';

const YEAR_FORMATS: RegExp[] = [
  /^(\d{4})(?:[.,]0+)?$/, // 2024, 2024.0 (a spreadsheet number)
  /^(\d{4})-\d{1,2}(?:-\d{1,2})?(?:[T ][\d:.]+Z?)?$/, // 2024-03, 2024-03-01, 2024-03-01T00:00:00.000Z
  /^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})$/, // 01/03/2024
  /^\d{1,2}[/.-](\d{4})$/, // 03/2024
  /^(\d{4})[/.-]\d{1,2}(?:[/.-]\d{1,2})?$/, // 2024/03/01
];
const YEAR_WORDS = new RegExp(`^(?:(?:${MONTHS})|[ts][1-4]|(?:1er|2e|3e|4e|premier|deuxieme|troisieme|quatrieme) (?:trimestre|semestre)|debut|fin|mi)\\s*(\\d{4})$`);

/**
 * A year: « 2024 », « 2024.0 », a date (« 2024-03-01 », « 01/03/2024 », « 03/2024 »), « mars 2025 »,
 * « T1 2025 », « S2 2024 », « fin 2026 ». The range is checked by the entry schema (1990–2100).
 */
export function parseImportYear(text: string): CellResult<{ value: number }> {
  const t = text.replace(/\uFEFF/g, '').trim();
  if (t === '') return { kind: 'empty' };
  for (const re of YEAR_FORMATS) {
    const m = re.exec(t);
    if (m?.[1]) return { kind: 'ok', value: Number(m[1]) };
  }
  const m = YEAR_WORDS.exec(foldText(t));
  if (m?.[1]) return { kind: 'ok', value: Number(m[1]) };
  return { kind: 'invalid' };
}

/** Words (folded) read as each status; a cell may also start with one of them (« Réalisé en 2023 »). */
export const STATUS_SYNONYMS: Readonly<Record<EntryStatus, readonly string[]>> = {
  realise: [
    'realise', 'realisee', 'realises', 'realisees', 'termine', 'terminee', 'termines', 'terminees', 'acheve', 'achevee',
    'fait', 'faite', 'fini', 'finie', 'clos', 'close', 'cloture', 'cloturee', 'livre', 'livree', 'mis en oeuvre',
    'mise en oeuvre', 'mis en service', 'mise en service', 'en service', 'operationnel', 'operationnelle',
    'done', 'completed', 'complete', 'finished', 'implemented',
  ],
  'en-cours': [
    'en cours', 'encours', 'en cours de realisation', 'en cours de mise en oeuvre', 'en realisation', 'en travaux',
    'demarre', 'demarree', 'commence', 'commencee', 'engage', 'engagee', 'lance', 'lancee', 'en deploiement',
    'in progress', 'ongoing', 'started', 'underway', 'under way',
  ],
  prevu: [
    'prevu', 'prevue', 'prevus', 'prevues', 'a venir', 'projet', 'en projet', 'planifie', 'planifiee', 'programme',
    'programmee', 'envisage', 'envisagee', 'a l etude', 'en etude', 'a faire', 'a lancer', 'a engager', 'en preparation',
    'futur', 'future', 'planned', 'todo', 'to do', 'not started', 'non demarre', 'non demarree', 'pas demarre',
  ],
};

const STATUS_LOOKUP: ReadonlyMap<string, EntryStatus> = new Map(
  (Object.entries(STATUS_SYNONYMS) as [EntryStatus, readonly string[]][]).flatMap(([status, words]) => words.map((w) => [w, status] as const)),
);
const STATUS_PREFIXES = [...STATUS_LOOKUP.keys()].sort((a, b) => b.length - a.length);

/** A status from its id or a French/English synonym (case, accents and punctuation ignored). */
export function parseImportStatus(text: string): CellResult<{ value: EntryStatus }> {
  const t = foldText(text);
  if (t === '') return text.trim() === '' ? { kind: 'empty' } : { kind: 'invalid' };
  const exact = STATUS_LOOKUP.get(t);
  if (exact) return { kind: 'ok', value: exact };
  const prefix = STATUS_PREFIXES.find((w) => t.startsWith(`${w} `));
  const status = prefix === undefined ? undefined : STATUS_LOOKUP.get(prefix);
  return status ? { kind: 'ok', value: status } : { kind: 'invalid' };
}
