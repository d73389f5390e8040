/**
 * The effect of one diagnostic entry in ktCO2e, as the coverage counts it.
 *
 * Rule, in order:
 * 1. `effectKtCO2e` when the entry states one (a finite number): taken as is.
 * 2. Otherwise, `effectValue` stated in a CO2-equivalent mass unit (« tCO2e », « ktCO2e », « MtCO2e »…,
 *    see `co2eMassUnit`): converted to ktCO2e (t ÷ 1000, Mt × 1000).
 * 3. Otherwise, `effectValue` stated in the lever's physical unit — the unit of the SGPE "ordre de grandeur"
 *    (`objective.physical.unit`) or the lever's indicator unit (`lever.unit`), compared with `unitKey`
 *    (case, accents, spaces, punctuation and parenthesised parts ignored) — converted with the simulator's
 *    ratio. The value is read as an **increment**: the change of the physical quantity the action brings, in the
 *    direction the lever asks for (more electric cars, fewer fuel-oil boilers). Its sign is ignored, because a
 *    reduction is typed as « 2 » as often as « −2 »; so
 *
 *        ktCO2e = |value| / |ratio|
 *
 *    which is `toKtCO2e(startPoint2019 + sign(ratio) × |value|, physical)`: the 2019 start point cancels out, an
 *    increment does not depend on where the quantity started (`relative` levers included). Not converted when the
 *    lever has no physical translation or its ratio is 0.
 * 4. Otherwise the entry has no effect in ktCO2e (`basis: 'none'`): it is counted, not measured.
 */
import { toKtCO2e } from '../catalogue/physical.ts';
import type { Panorama, PhysicalTranslation, SectorId } from '../catalogue/types.ts';
import type { DiagnosticEntry } from '../diagnostic/entry.ts';
import { CO2E_MASS_UNITS, co2eMassUnit, unitKey } from '../import/normalise.ts';

/** The lever fields the coverage needs; a catalogue `RegionLever` fits. */
export interface CoverageLever {
  id: string;
  name: string;
  sector: SectorId;
  panorama: Panorama;
  /** Unit of the lever's indicator (biodiversity levers: %, ha, m3…). */
  unit: string;
  objective: {
    /** ktCO2e avoided in 2030 vs 2019; null when the lever has no ktCO2e objective. */
    objectiveKtCO2e: number | null;
    physical: PhysicalTranslation | null;
    /** Greyed lever (SGPE): shown, not editable. */
    editionDisabled?: boolean;
  } | null;
}

/** The entry fields the coverage needs; a `DiagnosticEntry` fits. */
export type CoverageEntry = Pick<DiagnosticEntry, 'id' | 'lever' | 'status' | 'effectKtCO2e' | 'effectValue' | 'effectUnit'>;

/** Where an entry's ktCO2e come from (see the rule above). */
export type EffectBasis = 'ktCO2e' | 'co2e-unit' | 'physical' | 'none';

export interface EntryEffect {
  /** Effect in ktCO2e, or null when the entry gives none that can be read. */
  ktCO2e: number | null;
  basis: EffectBasis;
  /** `effectValue` when it is stated in the lever's indicator unit (`lever.unit`), else null. */
  leverUnitValue: number | null;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Effect of an entry on its lever, in ktCO2e (see the module comment for the rule). */
export function entryEffect(entry: CoverageEntry, lever: CoverageLever): EntryEffect {
  const value = finite(entry.effectValue) ? entry.effectValue : null;
  const key = unitKey(entry.effectUnit ?? '');
  const leverUnitValue = value !== null && key !== '' && key === unitKey(lever.unit) ? value : null;
  if (finite(entry.effectKtCO2e)) return { ktCO2e: entry.effectKtCO2e, basis: 'ktCO2e', leverUnitValue };
  if (value === null || key === '') return { ktCO2e: null, basis: 'none', leverUnitValue };
  const mass = co2eMassUnit(entry.effectUnit);
  if (mass !== null) return { ktCO2e: value * CO2E_MASS_UNITS[mass], basis: 'co2e-unit', leverUnitValue };
  const physical = lever.objective?.physical ?? null;
  if (physical && finite(physical.ratio) && physical.ratio !== 0 && (key === unitKey(physical.unit) || key === unitKey(lever.unit))) {
    return { ktCO2e: physicalIncrementToKtCO2e(value, physical), basis: 'physical', leverUnitValue };
  }
  return { ktCO2e: null, basis: 'none', leverUnitValue };
}

/**
 * ktCO2e of a physical increment (see rule 3): `|increment| / |ratio|`, through the catalogue's `toKtCO2e` with the
 * start point taken as 0 (it cancels out; subtracting a large start point would only add rounding noise).
 * Throws (like `toKtCO2e`) when the ratio is 0.
 */
export function physicalIncrementToKtCO2e(increment: number, physical: PhysicalTranslation): number {
  const step = Math.sign(physical.ratio) * Math.abs(increment);
  return toKtCO2e(step, { ...physical, startPoint2019: 0 });
}
