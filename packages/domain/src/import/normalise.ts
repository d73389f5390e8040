/**
 * Text folding shared by the import, consolidation and coverage modules: comparisons that ignore case, accents,
 * punctuation and spacing (« État d’avancement » ≡ « etat d avancement »).
 */

/**
 * Lowercase, accents removed (NFD), ligatures expanded (œ → oe, æ → ae), superscript digits made plain
 * (m³ → m3), BOM removed, every run of characters other than letters, digits, `%` and `/` turned into one space,
 * trimmed.
 */
export function foldText(text: string): string {
  return text
    .replace(/\uFEFF/g, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/²/g, '2')
    .replace(/³/g, '3')
    .replace(/[^a-z0-9%/]+/g, ' ')
    .trim();
}

/** Removes the parenthesised parts of a label: « Gain GES (tCO2e) » → « Gain GES ». */
export function withoutParentheses(text: string): string {
  let out = text;
  let previous: string;
  do {
    previous = out;
    out = out.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ');
  } while (out !== previous);
  return out;
}

/**
 * Key under which two unit labels are considered the same unit: folded, parenthesised parts dropped, and every
 * space removed (« Mt.km/an » ≡ « Mtkm / an », « milliers de véhicules (en 2030) » ≡ « Milliers de véhicules »).
 */
export function unitKey(unit: string): string {
  return foldText(withoutParentheses(unit)).replace(/ /g, '');
}

/** Multipliers from a CO2-equivalent mass unit to ktCO2e. */
export const CO2E_MASS_UNITS = { t: 0.001, kt: 1, Mt: 1000 } as const;
export type Co2eMassUnit = keyof typeof CO2E_MASS_UNITS;

const CO2E_UNIT = /^(kt|kilotonnes?|mt|megatonnes?|millionsdetonnes|milliersdetonnes|t|tonnes?)(?:de)?(?:eq|equivalent)?co2(?:e|eq|equivalent)?$/;

/**
 * Which CO2-equivalent mass unit a label names: « tCO2e », « t CO2 éq. », « teqCO2 », « tonnes de CO2 » → `t`;
 * « ktCO2e », « kteqCO2 », « milliers de tonnes de CO2 » → `kt`; « MtCO2e » → `Mt`. Null for anything else.
 */
export function co2eMassUnit(unit: string): Co2eMassUnit | null {
  const m = CO2E_UNIT.exec(unitKey(unit));
  if (!m) return null;
  const prefix = m[1] ?? '';
  if (prefix === 'kt' || prefix.startsWith('kilo') || prefix === 'milliersdetonnes') return 'kt';
  if (prefix === 'mt' || prefix.startsWith('mega') || prefix === 'millionsdetonnes') return 'Mt';
  return 't';
}
