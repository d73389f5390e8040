/**
 * Builds `packages/domain/data/levers.json` (the project's lever catalogue) from the shared reference data:
 *   - sgpe-simulateur-territorial.json  (SGPE territorial simulator, regional 2030 objectives, data of 2024-07-24)
 *   - sgpe-leviers-50-2025-03.csv       (SGPE list of 50 levers, March 2025)
 *   - levers-catalogue-research.json    (research catalogue: sectors, indicators, units, short descriptions)
 *
 * Usage (from the repository root):
 *   pnpm --filter @agora/domain exec tsx scripts/build-catalogue.ts [shared-data-dir] [--check]
 * The shared data folder defaults to `<repo>/../shared/data`. With `--check`, nothing is written and the
 * script fails when data/levers.json is not what the inputs produce.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LeversFileSchema } from '../src/catalogue/schema.ts';
import type { SectorId } from '../src/catalogue/sectors.ts';
import type {
  CatalogueSource,
  Lever,
  LeverOrigin,
  LeversFile,
  PhysicalTranslation,
  RegionalObjective,
} from '../src/catalogue/types.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(packageDir, '../..');
const outFile = resolve(packageDir, 'data/levers.json');

// ---------------------------------------------------------------------------------------------------------------
// Inputs

const SimRowSchema = z.looseObject({
  id: z.string().min(1),
  leverName: z.string().min(1),
  regionName: z.string().min(1),
  sector: z.string().min(1),
  group: z.string().min(1),
  objCO2: z.number().nullable(),
  unitPhys: z.string().nullish(),
  startPoint2019: z.number(),
  ratioCO2toPhys: z.number(),
  relative: z.boolean(),
  noTranslation: z.boolean(),
  editionDisabled: z.boolean(),
  disabledComment: z.string().nullish(),
  regionEnabled: z.boolean(),
  regionHidden: z.boolean(),
  regionComment: z.string().nullish(),
});
type SimRow = z.infer<typeof SimRowSchema>;

const ResearchLeverSchema = z.looseObject({
  id: z.string().min(1),
  source_id: z.string().min(1),
  catalog: z.string().min(1),
  sector: z.string().min(1),
  sector_source: z.string().nullable(),
  chantier: z.string().nullable(),
  panorama: z.enum(['atténuation', 'biodiversité-ressources']),
  name_fr: z.string().min(1),
  description_fr: z.string().nullable(),
  indicator: z.looseObject({ name: z.string().nullable(), unit: z.string().nullable() }),
  national_2030_target: z.string().nullable(),
  aliases: z.array(z.string()),
  confidence: z.enum(['confirmed', 'partial']),
  regional: z.boolean().optional(),
  parent: z.string().optional(),
});
type ResearchLever = z.infer<typeof ResearchLeverSchema>;

const ResearchFileSchema = z.looseObject({ levers: z.array(ResearchLeverSchema) });

// ---------------------------------------------------------------------------------------------------------------
// Fixed mappings

/** Simulator region labels → INSEE region codes. */
const REGION_CODES: Readonly<Record<string, string>> = {
  'Auvergne-Rhône-Alpes': '84',
  'Bourgogne-Franche-Comté': '27',
  Bretagne: '53',
  'Centre-Val de Loire': '24',
  Corse: '94',
  'Grand Est': '44',
  'Hauts-de-France': '32',
  'Île-de-France': '11',
  Normandie: '28',
  'Nouvelle-Aquitaine': '75',
  Occitanie: '76',
  'Pays de la Loire': '52',
  PACA: '93',
  Guadeloupe: '01',
  Martinique: '02',
  Guyane: '03',
  'La Réunion': '04',
  Mayotte: '06',
};
const FICTITIOUS_REGION = 'Région exemple';
const OVERSEAS_REGION_CODES = new Set(['01', '02', '03', '04', '06']);

/** Research catalogue sector labels → SectorId. */
const SECTOR_MAP: Readonly<Record<string, SectorId>> = {
  'transports/mobilités': 'transports',
  'bâtiments résidentiels': 'batiments-residentiels',
  'bâtiments tertiaires': 'batiments-tertiaires',
  agriculture: 'agriculture',
  industrie: 'industrie',
  énergie: 'energie',
  déchets: 'dechets',
  'puits de carbone/UTCATF': 'puits-carbone',
  biodiversité: 'biodiversite',
  'ressources (eau, sols...)': 'ressources',
};

const CATALOG_ORIGIN: Readonly<Record<string, LeverOrigin>> = {
  'simulateur-territorial-SGPE-2024': 'simulateur',
  'simulateur-territorial-SGPE-2024 (outre-mer)': 'simulateur-outre-mer',
  'sgpe-50-leviers-2025': 'leviers-50',
  // 'barometre-planification-2026' (6 biodiversity/resource levers of the 2026 baromètre) is left out on purpose:
  // the catalogue keeps the levers of the SGPE lists the COP used (simulator + list of 50).
};

const SOURCE: CatalogueSource = {
  licence: 'Licence Ouverte 2.0',
  caveat:
    "Objectifs régionaux issus du Simulateur territorial du SGPE : données de travail qui n'engagent en rien l'État.",
  dataDate: '2024-07-24',
  sources: [
    {
      id: 'simulateur-territorial',
      name: 'SGPE / beta.gouv — Simulateur territorial (objectifs régionaux 2030 par levier)',
      path: 'MTES-MCT/planification-territoires:src/lib/assets/data.json@677f09e',
      url: 'https://github.com/MTES-MCT/planification-territoires/blob/677f09e/src/lib/assets/data.json',
      date: '2024-07-24',
      licence: 'Licence Ouverte 2.0',
    },
    {
      id: 'leviers-50',
      name: 'Liste SGPE des 50 leviers (mars 2025)',
      path: 'betagouv/schema-projet-collectivites-transition-ecologique:reference-data/50_leviers_SGPE_03_2025.csv@2a67fe3',
      url: 'https://github.com/betagouv/schema-projet-collectivites-transition-ecologique/blob/2a67fe3/reference-data/50_leviers_SGPE_03_2025.csv',
      date: '2025-03',
      licence: null,
    },
    {
      id: 'catalogue-recherche',
      name: "Catalogue de recherche Agora COP (secteurs, indicateurs, unités, descriptions reformulées), établi à partir des sources publiques qu'il cite",
      path: 'shared/data/levers-catalogue-research.json',
      url: null,
      date: null,
      licence: null,
    },
  ],
};

const GENERIC_ATTENUATION_UNIT = 'ktCO2e';
const GENERIC_ATTENUATION_INDICATOR = 'Émissions évitées en 2030 par rapport à 2019 (indicateur à préciser)';
const GENERIC_OTHER_UNIT = "nombre d'actions";
const GENERIC_OTHER_INDICATOR = 'Actions engagées (indicateur à préciser)';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function fail(message: string): never {
  throw new Error(`build-catalogue: ${message}`);
}

/** ASCII slug of a simulator id (`augm_vélotc` → `augm_velotc`). */
function asciiId(id: string): string {
  const slug = id
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(slug)) fail(`cannot make an ASCII id from "${id}"`);
  return slug;
}

/** Source text cleaned for display: markdown emphasis and line breaks removed. */
function cleanText(text: string | null | undefined): string | null {
  if (text == null) return null;
  const cleaned = text
    .replace(/\*+/g, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+\)/g, ')')
    .trim();
  return cleaned === '' ? null : cleaned;
}

/** Minimal CSV reader for the one-column list of 50 levers (header `levier`). */
function readLeverList(text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const [header, ...rows] = lines;
  if (header !== 'levier') fail(`unexpected header in the list of 50: ${String(header)}`);
  return rows.map((r) => (r.startsWith('"') && r.endsWith('"') ? r.slice(1, -1).replace(/""/g, '"') : r));
}

function norm(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** Objective row without its null optional fields (the schema defaults them to null). */
function compactObjective(o: RegionalObjective): Partial<RegionalObjective> {
  const { note, regionNote, localName, ...rest } = o;
  return {
    ...rest,
    ...(note === null ? {} : { note }),
    ...(regionNote === null ? {} : { regionNote }),
    ...(localName === null ? {} : { localName }),
  };
}

/** JSON with one lever / one objective per line: compact, yet readable in diffs. */
function serialise(file: LeversFile): string {
  const lines: string[] = ['{'];
  lines.push(`  "schemaVersion": ${JSON.stringify(file.schemaVersion)},`);
  lines.push(`  "source": ${JSON.stringify(file.source, null, 2).replace(/\n/g, '\n  ')},`);
  lines.push('  "levers": [');
  file.levers.forEach((l, i) => lines.push(`    ${JSON.stringify(l)}${i < file.levers.length - 1 ? ',' : ''}`));
  lines.push('  ],');
  lines.push('  "objectives": {');
  const regions = Object.entries(file.objectives);
  regions.forEach(([code, byLever], ri) => {
    lines.push(`    ${JSON.stringify(code)}: {`);
    const entries = Object.entries(byLever);
    entries.forEach(([id, o], i) =>
      lines.push(`      ${JSON.stringify(id)}: ${JSON.stringify(compactObjective(o))}${i < entries.length - 1 ? ',' : ''}`),
    );
    lines.push(`    }${ri < regions.length - 1 ? ',' : ''}`);
  });
  lines.push('  }');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Build

function buildLever(r: ResearchLever, list50: readonly string[]): Lever {
  const origin = CATALOG_ORIGIN[r.catalog] ?? fail(`unexpected catalog ${r.catalog}`);
  const sector = SECTOR_MAP[r.sector] ?? fail(`unknown sector "${r.sector}" for ${r.id}`);
  const panorama = r.panorama === 'atténuation' ? 'attenuation' : 'biodiversite-ressources';
  const sourceUnit = cleanText(r.indicator.unit);
  const sourceIndicator = cleanText(r.indicator.name);
  const unit = sourceUnit ?? (panorama === 'attenuation' ? GENERIC_ATTENUATION_UNIT : GENERIC_OTHER_UNIT);
  const indicator =
    sourceIndicator ?? (panorama === 'attenuation' ? GENERIC_ATTENUATION_INDICATOR : GENERIC_OTHER_INDICATOR);
  const names = new Set([r.name_fr, r.source_id, ...r.aliases].map(norm));
  return {
    id: asciiId(r.id),
    sourceId: r.source_id,
    name: r.name_fr,
    sector,
    sectorSource: cleanText(r.sector_source),
    chantier: cleanText(r.chantier),
    panorama,
    origin,
    description: cleanText(r.description_fr),
    indicator,
    unit,
    unitInferred: sourceUnit === null,
    regional: r.regional ?? true,
    confidence: r.confidence,
    sgpe50Names: list50.filter((n) => names.has(norm(n))),
    parent: r.parent === undefined ? null : asciiId(r.parent),
    nationalTarget2030: cleanText(r.national_2030_target),
  };
}

function buildObjective(row: SimRow, lever: Lever, usualName: string): RegionalObjective {
  const physicalUnit = cleanText(row.unitPhys);
  let physical: PhysicalTranslation | null = null;
  if (!row.noTranslation) {
    if (physicalUnit === null) fail(`${row.regionName}/${row.id}: physical translation without a unit`);
    if (row.ratioCO2toPhys === 0) fail(`${row.regionName}/${row.id}: physical translation with a zero ratio`);
    physical = {
      startPoint2019: row.startPoint2019,
      ratio: row.ratioCO2toPhys,
      unit: physicalUnit,
      relative: row.relative,
    };
  }
  return {
    objectiveKtCO2e: row.objCO2,
    physical,
    enabled: row.regionEnabled && !row.regionHidden,
    editionDisabled: row.editionDisabled,
    note: cleanText(row.disabledComment),
    regionNote: cleanText(row.regionComment),
    // The simulator names some levers differently in a few regions (e.g. Corse: « Fret »).
    localName: row.leverName === usualName || row.leverName === lever.name ? null : row.leverName,
  };
}

function build(sharedDir: string): LeversFile {
  const simRows = z
    .array(SimRowSchema)
    .parse(JSON.parse(readFileSync(resolve(sharedDir, 'sgpe-simulateur-territorial.json'), 'utf8')));
  const list50 = readLeverList(readFileSync(resolve(sharedDir, 'sgpe-leviers-50-2025-03.csv'), 'utf8'));
  const research = ResearchFileSchema.parse(
    JSON.parse(readFileSync(resolve(sharedDir, 'levers-catalogue-research.json'), 'utf8')),
  );

  if (simRows.length !== 474) console.warn(`warning: ${simRows.length} simulator rows (expected 474)`);
  if (list50.length !== 50) console.warn(`warning: ${list50.length} names in the list of 50 (expected 50)`);

  const kept = research.levers.filter((r) => r.catalog in CATALOG_ORIGIN);
  const levers = kept.map((r) => buildLever(r, list50));
  const byId = new Map(levers.map((l) => [l.id, l]));
  if (byId.size !== levers.length) fail('duplicate lever ids');

  // Simulator rows are matched to catalogue levers by (hexagone | outre-mer, source id).
  const simLeverKey = (overseas: boolean, sourceId: string) => `${overseas ? 'om' : 'hx'}:${sourceId}`;
  const simLevers = new Map<string, Lever>();
  for (const l of levers) {
    if (l.origin === 'simulateur' || l.origin === 'simulateur-outre-mer') {
      simLevers.set(simLeverKey(l.origin === 'simulateur-outre-mer', l.sourceId), l);
    }
  }

  // Usual simulator name of each (hexagone | outre-mer, id): the most frequent one.
  const nameCounts = new Map<string, Map<string, number>>();
  for (const row of simRows) {
    const code = REGION_CODES[row.regionName];
    if (code === undefined) continue;
    const key = simLeverKey(OVERSEAS_REGION_CODES.has(code), row.id);
    const counts = nameCounts.get(key) ?? new Map<string, number>();
    counts.set(row.leverName, (counts.get(row.leverName) ?? 0) + 1);
    nameCounts.set(key, counts);
  }
  const usualName = (key: string): string => {
    const counts = [...(nameCounts.get(key) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    return counts[0]?.[0] ?? '';
  };

  const objectives: Record<string, Record<string, RegionalObjective>> = {};
  for (const row of simRows) {
    if (row.regionName === FICTITIOUS_REGION) continue;
    const code = REGION_CODES[row.regionName] ?? fail(`unknown simulator region "${row.regionName}"`);
    const key = simLeverKey(OVERSEAS_REGION_CODES.has(code), row.id);
    const lever = simLevers.get(key) ?? fail(`no catalogue lever for simulator row ${row.regionName}/${row.id}`);
    const byLever = (objectives[code] ??= {});
    if (byLever[lever.id]) fail(`two simulator rows for ${row.regionName}/${row.id}`);
    byLever[lever.id] = buildObjective(row, lever, usualName(key));
  }
  const missingRegions = Object.entries(REGION_CODES).filter(([, code]) => !objectives[code]);
  if (missingRegions.length > 0) fail(`no simulator rows for ${missingRegions.map(([n]) => n).join(', ')}`);

  // Every simulator lever has at least one region; every name of the list of 50 is covered by some lever.
  for (const l of simLevers.values()) {
    if (!Object.values(objectives).some((o) => o[l.id])) fail(`simulator lever ${l.id} has no regional row`);
  }
  const uncovered = list50.filter((n) => !levers.some((l) => l.sgpe50Names.includes(n)));
  if (uncovered.length > 0) fail(`names of the list of 50 not covered: ${uncovered.join(' · ')}`);

  // Stable order: regions by code, levers of a region in catalogue order.
  const leverOrder = new Map(levers.map((l, i) => [l.id, i]));
  const sortedObjectives: Record<string, Record<string, RegionalObjective>> = {};
  for (const code of Object.keys(objectives).sort()) {
    const entries = Object.entries(objectives[code] ?? {}).sort(
      ([a], [b]) => (leverOrder.get(a) ?? 0) - (leverOrder.get(b) ?? 0),
    );
    sortedObjectives[code] = Object.fromEntries(entries);
  }

  return LeversFileSchema.parse({ schemaVersion: 1, source: SOURCE, levers, objectives: sortedObjectives });
}

function main(argv: readonly string[]): void {
  const check = argv.includes('--check');
  const dirArg = argv.find((a) => !a.startsWith('--'));
  const sharedDir = dirArg ? resolve(process.cwd(), dirArg) : resolve(repoDir, '../shared/data');
  const file = build(sharedDir);
  const text = serialise(file);
  // The serialised text must read back (through the schema) to the same data.
  if (JSON.stringify(LeversFileSchema.parse(JSON.parse(text))) !== JSON.stringify(file)) {
    fail('serialisation round-trip failed');
  }

  const counts = {
    levers: file.levers.length,
    attenuation: file.levers.filter((l) => l.panorama === 'attenuation').length,
    biodiversiteRessources: file.levers.filter((l) => l.panorama === 'biodiversite-ressources').length,
    regions: Object.keys(file.objectives).length,
    objectives: Object.values(file.objectives).reduce((n, o) => n + Object.keys(o).length, 0),
    bytes: Buffer.byteLength(text),
  };
  if (check) {
    let current = '';
    try {
      current = readFileSync(outFile, 'utf8');
    } catch {
      // missing file: reported below
    }
    if (current !== text) {
      console.error(`${outFile} is out of date: run scripts/build-catalogue.ts`);
      process.exit(1);
    }
    console.log(`${outFile} is up to date`, counts);
    return;
  }
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`, counts);
}

main(process.argv.slice(2));
