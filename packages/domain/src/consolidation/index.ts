/** Consolidation of breakout groups into the plenary diagnostic: plan (additions, likely duplicates), then apply. */
export * from './similarity.ts';
export * from './provenance.ts';
export * from './plan.ts';
export * from './apply.ts';
export * from './input.ts';
