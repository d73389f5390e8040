/**
 * Builds `data/crte-example-84.json` (loaded at runtime by the territories module) from the illustrative
 * `data/crte-example-84.csv`, so that the runtime needs no file access.
 *   pnpm --filter @agora/domain exec tsx scripts/build-crte-example.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCrteCsv } from '../src/territories/crte.ts';
import { listEpcis } from '../src/territories/index.ts';

const REGION_CODE = '84';
const NOTE =
  'Exemple illustratif : périmètres CRTE indicatifs pour Auvergne-Rhône-Alpes, ' +
  "nommés d'après les territoires réels et formés de vrais EPCI ; ce n'est pas le fichier officiel de l'ANCT.";

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../data');
const csvFile = resolve(dataDir, 'crte-example-84.csv');
const jsonFile = resolve(dataDir, 'crte-example-84.json');

const { crtes, errors } = parseCrteCsv(readFileSync(csvFile, 'utf8'));
if (errors.length > 0) {
  for (const e of errors) console.error(`${csvFile}:${e.line}: ${e.message}`);
  process.exit(1);
}
const inRegion = new Set(listEpcis(REGION_CODE).map((e) => e.siren));
const outside = crtes.flatMap((c) => c.epciSirens.filter((s) => !inRegion.has(s)));
if (outside.length > 0) {
  console.error(`EPCI outside region ${REGION_CODE}: ${outside.join(', ')}`);
  process.exit(1);
}

const text = `${JSON.stringify({ regionCode: REGION_CODE, note: NOTE, crtes }, null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(jsonFile, 'utf8');
  } catch {
    // reported below
  }
  if (current !== text) {
    console.error(`${jsonFile} is out of date: run scripts/build-crte-example.ts`);
    process.exit(1);
  }
  console.log(`${jsonFile} is up to date`);
} else {
  writeFileSync(jsonFile, text);
  console.log(`wrote ${jsonFile}: ${crtes.length} CRTE, ${crtes.reduce((n, c) => n + c.epciSirens.length, 0)} EPCI`);
}
