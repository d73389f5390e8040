/** Panorama and gap: coverage of a region's 2030 objectives by the diagnostic's entries. */
export * from './effect.ts';
export * from './coverage.ts';
export * from './panorama.ts';
export * from './table.ts';
