/**
 * Lookups that turn what people type in a spreadsheet into catalogue lever ids and territory references.
 * Both are built from data the caller already has (a region catalogue, a region's territories), so this module
 * loads no data file itself.
 */
import type { RegionTerritories } from '../territories/types.ts';
import { foldText, withoutParentheses } from './normalise.ts';

/** The lever fields the aliases are built from; a catalogue `RegionLever` fits. */
export interface AliasLever {
  id: string;
  name: string;
  sourceId?: string;
  sgpe50Names?: readonly string[];
  objective?: { localName?: string | null } | null;
}

/**
 * Folded lever name → lever id, from the levers' ids, names, source ids, regional names and names in the SGPE list
 * of 50. A name shared by two levers is left out (ambiguous).
 */
export function buildLeverAliases(levers: readonly AliasLever[]): Map<string, string> {
  const out = new Map<string, string>();
  const ambiguous = new Set<string>();
  const add = (text: string | null | undefined, id: string): void => {
    if (!text) return;
    const key = foldText(text);
    if (key === '' || ambiguous.has(key)) return;
    const current = out.get(key);
    if (current !== undefined && current !== id) {
      out.delete(key);
      ambiguous.add(key);
    } else out.set(key, id);
  };
  for (const l of levers) {
    add(l.id, l.id);
    add(l.name, l.id);
    add(withoutParentheses(l.name), l.id);
    add(l.sourceId, l.id);
    add(l.objective?.localName, l.id);
    for (const n of l.sgpe50Names ?? []) add(n, l.id);
  }
  return out;
}

const KINDS = ['region', 'departement', 'epci', 'crte'] as const;
const NAME_PREFIXES = /^(?:departement|dept|dep|region|crte|epci|communaute de communes|communaute d agglomeration|communaute urbaine)(?: (?:du|de la|de l|des|de|d))? /;

/**
 * Territory text → reference, for one region: accepts references (`departement:69`, any case), département codes
 * (« 69 », « 1 » → 01, « 2a »), EPCI SIREN (9 digits), CRTE codes, and names of the region, its départements, EPCI
 * and CRTE (case, accents, punctuation ignored; « Rhône (69) », « 69 - Rhône », « Département du Rhône » work;
 * « région » alone means the region). Null when nothing matches. On a name shared by several territories the first
 * kind wins in the order département, EPCI, CRTE.
 */
export function buildTerritoryLookup(territories: RegionTerritories): (text: string) => string | null {
  const deps = new Set(territories.departements.map((d) => d.code));
  const epcis = new Set(territories.epcis.map((e) => e.siren));
  const crtes = new Set(territories.crtes.map((c) => c.code));
  const regionRef = `region:${territories.region.code}`;
  const names = new Map<string, string>();
  const addName = (name: string, ref: string): void => {
    for (const key of [foldText(name), foldText(withoutParentheses(name))]) if (key !== '' && !names.has(key)) names.set(key, ref);
  };
  addName(territories.region.name, regionRef);
  for (const word of ['region', 'toute la region', 'regional', 'echelle regionale']) addName(word, regionRef);
  for (const d of territories.departements) addName(d.name, `departement:${d.code}`);
  for (const e of territories.epcis) addName(e.name, `epci:${e.siren}`);
  for (const c of territories.crtes) addName(c.name, `crte:${c.code}`);

  const byCode = (code: string): string | null => {
    const c = code.trim().toUpperCase();
    if (/^\d{9}$/.test(c)) return epcis.has(c) ? `epci:${c}` : null;
    const dep = /^\d$/.test(c) ? `0${c}` : c;
    if (deps.has(dep)) return `departement:${dep}`;
    if (crtes.has(code.trim())) return `crte:${code.trim()}`;
    return null;
  };

  return (text: string): string | null => {
    const t = text.replace(/\uFEFF/g, '').trim();
    if (t === '') return null;
    const colon = t.indexOf(':');
    if (colon > 0) {
      const kind = foldText(t.slice(0, colon));
      const code = t.slice(colon + 1).trim();
      if ((KINDS as readonly string[]).includes(kind)) {
        if (kind === 'region') return code === territories.region.code ? regionRef : null;
        if (kind === 'crte') return crtes.has(code) ? `crte:${code}` : null;
        return byCode(code);
      }
    }
    const code = byCode(t);
    if (code) return code;
    const withCode = /^(\d{1,3}|2[ABab]|\d{9})\s*[-–—:]\s*(.+)$/.exec(t) ?? /^(.+?)\s*\((\d{1,3}|2[ABab]|\d{9})\)$/.exec(t);
    if (withCode) {
      const inner = /^\d|^2[ABab]$/.test(withCode[1] ?? '') ? (withCode[1] ?? '') : (withCode[2] ?? '');
      const ref = byCode(inner);
      if (ref) return ref;
    }
    const key = foldText(t);
    const direct = names.get(key) ?? names.get(foldText(withoutParentheses(t)));
    if (direct) return direct;
    const stripped = key.replace(NAME_PREFIXES, '');
    return stripped !== key ? (names.get(stripped) ?? null) : null;
  };
}
