/** Import of existing actions from a table (CSV or spreadsheet rows): column mapping, cell readers, preview. */
export * from './normalise.ts';
export * from './parse.ts';
export * from './mapping.ts';
export * from './lookups.ts';
export * from './preview.ts';
export * from './input.ts';
