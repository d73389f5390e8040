import type { PhysicalTranslation } from './types.ts';

/**
 * Physical order of magnitude in 2030 for an objective in ktCO2e, as the SGPE simulator computes it:
 * `max(0, startPoint2019 + ktCO2e × ratio)`. A negative ratio means the quantity must fall
 * (e.g. homes heated with fuel oil); the result never goes below 0.
 */
export function toPhysical(ktco2e: number, t: PhysicalTranslation): number {
  return Math.max(0, t.startPoint2019 + ktco2e * t.ratio);
}

/**
 * Inverse of {@link toPhysical}: the ktCO2e objective that gives this physical value,
 * `(physical − startPoint2019) / ratio`. Values clamped at 0 by `toPhysical` do not round-trip.
 * Throws when the ratio is 0 (no physical translation can be inverted).
 */
export function toKtCO2e(physical: number, t: PhysicalTranslation): number {
  if (t.ratio === 0 || !Number.isFinite(t.ratio)) {
    throw new RangeError(
      `Cannot convert "${t.unit}" back to ktCO2e: ` +
        `the physical ratio is ${String(t.ratio)} (must be a non-zero number).`,
    );
  }
  return (physical - t.startPoint2019) / t.ratio;
}
