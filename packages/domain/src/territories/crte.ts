/**
 * CRTE perimeters. No package ships them: the project imports a CSV (`crte_code,crte_name,epci_siren`, one row per
 * EPCI) and ships an illustrative example for Auvergne-Rhône-Alpes (data/crte-example-84.csv, loaded from its JSON
 * build data/crte-example-84.json).
 */
import * as z from 'zod';
import example84 from '../../data/crte-example-84.json' with { type: 'json' };
import { territoryIndexes } from './data.ts';
import type {
  Crte,
  CrteCsvError,
  CrteCsvResult,
  CrteRegistrationError,
  CrteRegistrationResult,
} from './types.ts';

export const CRTE_CSV_COLUMNS = ['crte_code', 'crte_name', 'epci_siren'] as const;

/** CRTE codes: letters, digits, `-`, `_`, `.`; at most 50 characters. */
const CRTE_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/;
const SIREN_RE = /^\d{9}$/;
const MAX_CRTE_NAME = 200;

export function isCrteCode(code: string): boolean {
  return CRTE_CODE_RE.test(code);
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/** Separator of the header line: the most frequent of `,`, `;` and tab outside quotes. */
function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let inQuotes = false;
  let seenContent = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    else if (ch.trim() !== '') seenContent = true;
  }
  let best = ',';
  for (const [sep, n] of counts) if (n > (counts.get(best) ?? 0)) best = sep;
  return best;
}

/**
 * RFC 4180 records: quoted fields (with `""` escapes and line breaks), CRLF, LF or CR line ends.
 * Lines starting with `#` are comments; blank records are dropped.
 */
function readRecords(text: string, sep: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let atRecordStart = true;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const isLineEnd = ch === '\r' || ch === '\n';
    if (atRecordStart && !isLineEnd) {
      atRecordStart = false;
      recordLine = line;
      if (ch === '#') {
        while (i + 1 < text.length && text[i + 1] !== '\r' && text[i + 1] !== '\n') i++;
        continue;
      }
    }
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
    } else if (ch === '"') {
      inQuotes = true;
    } else if (ch === sep) {
      fields.push(field);
      field = '';
    } else if (isLineEnd) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      atRecordStart = true;
    } else {
      field += ch;
    }
  }
  endRecord();
  return records;
}

/**
 * Parses a CRTE file: header `crte_code,crte_name,epci_siren` (any order, extra columns ignored), one row per
 * EPCI. Tolerates a BOM, `;` or tab separators, quoted fields, CRLF line ends, blank lines and `#` comment lines.
 * Rows with a malformed or unknown SIREN (or other problems) are skipped and reported in French with their line.
 */
export function parseCrteCsv(text: string): CrteCsvResult {
  const errors: CrteCsvError[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const leadingCommentsAndBlanks = /^(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))+/;
  const records = readRecords(body, detectSeparator(body.replace(leadingCommentsAndBlanks, '')));
  const [header, ...rows] = records;
  if (!header) {
    return {
      crtes: [],
      errors: [{ line: 1, message: `Fichier vide : en-tête attendu « ${CRTE_CSV_COLUMNS.join(',')} ».` }],
    };
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = Object.fromEntries(CRTE_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    (typeof CRTE_CSV_COLUMNS)[number],
    number
  >;
  const missing = CRTE_CSV_COLUMNS.filter((c) => col[c] < 0);
  if (missing.length > 0) {
    return {
      crtes: [],
      errors: [
        {
          line: header.line,
          message: `En-tête invalide : colonne(s) manquante(s) ${missing.join(', ')} (attendu « ${CRTE_CSV_COLUMNS.join(',')} »).`,
        },
      ],
    };
  }

  const { epcisBySiren } = territoryIndexes();
  const crtes = new Map<string, Crte>();
  const crteOfEpci = new Map<string, string>();
  for (const row of rows) {
    const get = (i: number) => (row.fields[i] ?? '').trim();
    const code = get(col.crte_code);
    const name = get(col.crte_name).replace(/\s+/g, ' ');
    const rawSiren = get(col.epci_siren);
    const siren = rawSiren.replace(/\s+/g, '');
    const problems: string[] = [];
    if (code === '') problems.push('code CRTE manquant');
    else if (!isCrteCode(code)) {
      problems.push(`code CRTE invalide « ${code} » (lettres, chiffres, « - », « _ » ou « . », 50 caractères au plus)`);
    }
    if (name === '') problems.push('nom du CRTE manquant');
    else if (name.length > MAX_CRTE_NAME) problems.push(`nom du CRTE trop long (${MAX_CRTE_NAME} caractères au plus)`);
    if (siren === '') problems.push('SIREN de l’EPCI manquant');
    else if (!SIREN_RE.test(siren)) problems.push(`SIREN d’EPCI invalide « ${rawSiren} » : 9 chiffres attendus`);
    else if (!epcisBySiren.has(siren)) {
      problems.push(`EPCI inconnu : le SIREN ${siren} n’est pas celui d’un EPCI à fiscalité propre du référentiel`);
    }
    if (problems.length > 0) {
      errors.push({ line: row.line, message: `${problems.join(' ; ')}.` });
      continue;
    }
    const existing = crtes.get(code);
    if (existing && existing.name !== name) {
      errors.push({
        line: row.line,
        message: `Nom différent pour le CRTE ${code} : « ${name} » (« ${existing.name} » retenu).`,
      });
    }
    const other = crteOfEpci.get(siren);
    if (other !== undefined) {
      errors.push({
        line: row.line,
        message:
          other === code
            ? `EPCI ${siren} listé deux fois pour le CRTE ${code}.`
            : `EPCI ${siren} déjà rattaché au CRTE ${other} : un EPCI ne peut appartenir qu’à un CRTE.`,
      });
      continue;
    }
    crteOfEpci.set(siren, code);
    if (existing) existing.epciSirens.push(siren);
    else crtes.set(code, { code, name, epciSirens: [siren] });
  }
  return { crtes: [...crtes.values()], errors };
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

/** The example shipped with the project (illustrative perimeters, not the official ANCT file). */
const ExampleFileSchema = z.object({
  regionCode: z.string().regex(/^\d{2}$/),
  note: z.string(),
  crtes: z.array(
    z.strictObject({
      code: z.string().regex(CRTE_CODE_RE),
      name: z.string().min(1),
      epciSirens: z.array(z.string().regex(SIREN_RE)).min(1),
    }),
  ),
});
const example = ExampleFileSchema.parse(example84);
export const CRTE_EXAMPLE_REGION_CODE: string = example.regionCode;
/** French note stating that the shipped CRTE are an illustrative example. */
export const CRTE_EXAMPLE_NOTE: string = example.note;
const exampleCrtes: readonly Crte[] = example.crtes;

const registry = new Map<string, Map<string, Crte>>();
const listeners = new Set<(regionCode: string) => void>();

function regionRegistry(regionCode: string): Map<string, Crte> {
  let map = registry.get(regionCode);
  if (!map) {
    map = new Map();
    if (regionCode === CRTE_EXAMPLE_REGION_CODE) {
      for (const c of exampleCrtes) map.set(c.code, { ...c, epciSirens: [...c.epciSirens] });
    }
    registry.set(regionCode, map);
  }
  return map;
}

/** Called with the region code whenever its CRTE change (used to drop cached region territories). */
export function onCrtesChanged(listener: (regionCode: string) => void): void {
  listeners.add(listener);
}

/** CRTE of a region (the shipped example for 84, plus imported ones), sorted by name. */
export function listCrtes(regionCode: string): Crte[] {
  return [...regionRegistry(regionCode).values()]
    .map((c) => ({ ...c, epciSirens: [...c.epciSirens] }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/**
 * Adds CRTE to a region (a CRTE with an existing code replaces it). Each CRTE must have a valid code and name,
 * at least one EPCI, only EPCI with member communes in the region, and no EPCI already in another CRTE of the
 * region; otherwise it is refused and reported. With `replace: true` the region's current CRTE (including the
 * shipped example) are dropped first, but only if no CRTE is refused.
 */
export function registerCrtes(
  regionCode: string,
  crtes: readonly Crte[],
  options: { replace?: boolean } = {},
): CrteRegistrationResult {
  const { regionsByCode, epcisByRegion } = territoryIndexes();
  if (!regionsByCode.has(regionCode)) {
    return { registered: [], errors: [{ crteCode: '', message: `Région inconnue : ${regionCode}.` }] };
  }
  const inRegion = new Set((epcisByRegion.get(regionCode) ?? []).map((e) => e.siren));
  const current = regionRegistry(regionCode);
  const next = new Map<string, Crte>(options.replace ? [] : current);
  const errors: CrteRegistrationError[] = [];
  const accepted: Crte[] = [];
  const seenCodes = new Set<string>();

  for (const crte of crtes) {
    const refuse = (message: string) => errors.push({ crteCode: crte.code, message });
    if (!isCrteCode(crte.code)) {
      refuse(`Code CRTE invalide « ${crte.code} ».`);
      continue;
    }
    if (seenCodes.has(crte.code)) {
      refuse(`CRTE ${crte.code} présent deux fois.`);
      continue;
    }
    seenCodes.add(crte.code);
    const name = crte.name.trim();
    if (name === '' || name.length > MAX_CRTE_NAME) {
      refuse(`Nom du CRTE ${crte.code} manquant ou trop long.`);
      continue;
    }
    const sirens = [...new Set(crte.epciSirens)];
    if (sirens.length === 0) {
      refuse(`Le CRTE ${crte.code} ne contient aucun EPCI.`);
      continue;
    }
    const outside = sirens.filter((s) => !inRegion.has(s));
    if (outside.length > 0) {
      refuse(`CRTE ${crte.code} : EPCI hors de la région ${regionCode} ou inconnu(s) : ${outside.join(', ')}.`);
      continue;
    }
    accepted.push({ code: crte.code, name, epciSirens: sirens });
  }

  // The accepted CRTE replace those with the same code; no EPCI may then be in two CRTE.
  for (const c of accepted) next.delete(c.code);
  const owner = new Map<string, string>();
  for (const c of next.values()) for (const s of c.epciSirens) owner.set(s, c.code);
  const registered: string[] = [];
  for (const c of accepted) {
    const taken = c.epciSirens.filter((s) => owner.has(s));
    if (taken.length > 0) {
      const others = [...new Set(taken.map((s) => owner.get(s)))].join(', ');
      const message = `CRTE ${c.code} : EPCI déjà rattaché(s) au CRTE ${others} (${taken.join(', ')}).`;
      errors.push({ crteCode: c.code, message });
      continue;
    }
    for (const s of c.epciSirens) owner.set(s, c.code);
    next.set(c.code, c);
    registered.push(c.code);
  }

  if (options.replace && errors.length > 0) return { registered: [], errors };
  if (registered.length > 0 || options.replace) {
    registry.set(regionCode, next);
    for (const listener of listeners) listener(regionCode);
  }
  return { registered, errors };
}

/** Drops the imported CRTE of a region (or of all regions), back to the shipped example. For tests and resets. */
export function resetCrtes(regionCode?: string): void {
  const codes = regionCode === undefined ? [...registry.keys()] : [regionCode];
  for (const code of codes) {
    registry.delete(code);
    for (const listener of listeners) listener(code);
  }
}
