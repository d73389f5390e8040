/**
 * Title similarity for spotting likely duplicate entries.
 *
 * Titles are normalised: lowercase, accents removed, punctuation removed, French stop words removed
 * (`TITLE_STOP_WORDS`), and a final plural `s`/`x` dropped from words longer than 3 letters (« bornes » ≡ « borne »,
 * « réseaux » ≡ « réseau »). Two titles are *similar* when either
 * - the Jaccard index of their word sets is ≥ `TITLE_JACCARD_THRESHOLD` (0.5: at least half of the distinct
 *   meaningful words are shared — « Déploiement de bornes de recharge électrique » vs « Bornes de recharge :
 *   déploiement » share 3 of 4), or
 * - the normalised Levenshtein similarity (1 − edit distance / length of the longer normalised title) is
 *   ≥ `TITLE_LEVENSHTEIN_THRESHOLD` (0.8: catches typos, which make words differ: « Rénovation thermque des
 *   gymnases » vs « Renovaton thermique des gymnases » share 1 word of 5 but are 0.93 alike).
 * « Plan vélo » vs « Plan climat » share 1 of 3 words (0.33) and are 0.45 alike: not similar.
 */
import { foldText } from '../import/normalise.ts';

/** Minimum Jaccard index of the normalised word sets for two titles to be similar. */
export const TITLE_JACCARD_THRESHOLD = 0.5;
/** Minimum normalised Levenshtein similarity of the normalised titles for two titles to be similar. */
export const TITLE_LEVENSHTEIN_THRESHOLD = 0.8;

/** Words ignored when comparing titles (after accent removal and lowercasing). */
export const TITLE_STOP_WORDS: ReadonlySet<string> = new Set([
  'le', 'la', 'les', 'l', 'de', 'des', 'du', 'd', 'et', 'en', 'pour', 'a', 'au', 'aux',
  'un', 'une', 'sur', 'dans', 'par', 'avec', 'ou',
]);

/** The meaningful words of a title, in order (see the module comment). */
export function titleTokens(title: string): string[] {
  return foldText(title)
    .split(/[\s/%]+/)
    .filter((w) => w !== '' && !TITLE_STOP_WORDS.has(w))
    .map((w) => (w.length > 3 && /[sx]$/.test(w) ? w.slice(0, -1) : w));
}

/** The normalised title: its meaningful words joined by one space. */
export function normaliseTitle(title: string): string {
  return titleTokens(title).join(' ');
}

/** Jaccard index of two word lists taken as sets; 0 when either is empty. */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  return jaccardOfSets(new Set(a), new Set(b));
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance between two strings (UTF-16 code units), or `max + 1` as soon as it is known to exceed
 * `max` (pass `Infinity`, the default, for the exact distance). With a finite `max` only the diagonal band of
 * width 2·max + 1 is computed.
 */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (a.length > b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (m - n > max) return max + 1;
  if (n === 0) return m;
  const k = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : m;
  const over = k + 1;
  if (rowA.length < m + 1) {
    rowA = new Int32Array(2 * (m + 1));
    rowB = new Int32Array(2 * (m + 1));
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= m; j++) prev[j] = j <= k ? j : over;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    curr[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = curr[lo - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = curr[j - 1]! + 1;
      let v = sub < del ? sub : del;
      if (ins < v) v = ins;
      if (v > over) v = over;
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) curr[hi + 1] = over;
    if (rowMin > k) return max + 1;
    const t = prev;
    prev = curr;
    curr = t;
  }
  const d = prev[m]!;
  return d > k ? max + 1 : d;
}

/** 1 − distance / length of the longer string (1 for two empty strings). */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(a, b) / longest;
}

export interface TitleSimilarity {
  jaccard: number;
  /** Normalised Levenshtein similarity; exact when `similar`, otherwise possibly an upper bound (the count stops early). */
  levenshtein: number;
  similar: boolean;
}

/** A title made ready for comparisons: its meaningful words, and its folded words for stop-word-only titles. */
export interface PreparedTitle {
  tokens: string[];
  folded: string[];
  /** Distinct `tokens`, and distinct `folded`. */
  tokenSet: ReadonlySet<string>;
  foldedSet: ReadonlySet<string>;
  /** `tokens` and `folded` joined by one space, with their character counts (for a quick distance bound). */
  tokenText: string;
  foldedText: string;
  tokenChars: Uint16Array;
  foldedChars: Uint16Array;
}

function charCounts(text: string): Uint16Array {
  const counts = new Uint16Array(128);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) counts[c]!++;
  }
  return counts;
}

/**
 * A lower bound of the edit distance from the characters alone (each edit changes the count of at most one
 * character up and one down); characters outside ASCII are left out, which keeps it a lower bound.
 */
function charCountBound(a: Uint16Array, b: Uint16Array): number {
  let more = 0;
  let fewer = 0;
  for (let c = 0; c < 128; c++) {
    const d = a[c]! - b[c]!;
    if (d > 0) more += d;
    else fewer -= d;
  }
  return more > fewer ? more : fewer;
}

export function prepareTitle(title: string): PreparedTitle {
  const tokens = titleTokens(title);
  const folded = foldText(title).split(' ').filter(Boolean);
  const tokenText = tokens.join(' ');
  const foldedText = folded.join(' ');
  return {
    tokens,
    folded,
    tokenSet: new Set(tokens),
    foldedSet: new Set(folded),
    tokenText,
    foldedText,
    tokenChars: charCounts(tokenText),
    foldedChars: charCounts(foldedText),
  };
}

function jaccardOfSets(sa: ReadonlySet<string>, sb: ReadonlySet<string>): number {
  if (sa.size === 0 || sb.size === 0) return 0;
  let inter = 0;
  for (const w of sa) if (sb.has(w)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/**
 * How alike two titles are (see the module comment). Titles made only of stop words are compared on their
 * folded text instead. Accepts prepared titles, to compare one title with many without normalising it each time.
 */
export function titleSimilarity(a: string | PreparedTitle, b: string | PreparedTitle): TitleSimilarity {
  const pa = typeof a === 'string' ? prepareTitle(a) : a;
  const pb = typeof b === 'string' ? prepareTitle(b) : b;
  const fallback = pa.tokens.length === 0 || pb.tokens.length === 0;
  const na = fallback ? pa.foldedText : pa.tokenText;
  const nb = fallback ? pb.foldedText : pb.tokenText;
  const j = fallback ? jaccardOfSets(pa.foldedSet, pb.foldedSet) : jaccardOfSets(pa.tokenSet, pb.tokenSet);
  const longest = Math.max(na.length, nb.length);
  let lev: number;
  if (longest === 0) lev = 0; // two titles with no letter or digit at all: nothing to compare
  else if (j >= TITLE_JACCARD_THRESHOLD) lev = 1 - levenshtein(na, nb) / longest;
  else {
    // Not similar by its words: the exact value only matters when it can reach the threshold, so stop counting
    // beyond that distance, and first try the cheap bound from the character counts.
    const max = Math.floor((1 - TITLE_LEVENSHTEIN_THRESHOLD) * longest + 1e-9);
    const bound = charCountBound(fallback ? pa.foldedChars : pa.tokenChars, fallback ? pb.foldedChars : pb.tokenChars);
    const d = bound > max ? bound : levenshtein(na, nb, max);
    lev = 1 - Math.min(d, longest) / longest;
  }
  return { jaccard: j, levenshtein: lev, similar: j >= TITLE_JACCARD_THRESHOLD || lev >= TITLE_LEVENSHTEIN_THRESHOLD };
}
