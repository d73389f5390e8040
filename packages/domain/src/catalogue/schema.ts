import * as z from 'zod';
import { PANORAMA_IDS, SECTOR_IDS } from './sectors.ts';
import type {
  CatalogueSource,
  CatalogueSourceRef,
  Lever,
  LeversFile,
  PhysicalTranslation,
  RegionalObjective,
} from './types.ts';

/** Lever ids: ASCII slugs (lowercase letters, digits, `_` and `-`). */
export const LeverIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'identifiant de levier invalide');

/** INSEE region code (2 digits). */
const RegionCodeKey = z.string().regex(/^\d{2}$/, 'code de région invalide');

const nonEmpty = z.string().trim().min(1);

export const LeverSchema = z.strictObject({
  id: LeverIdSchema,
  sourceId: nonEmpty,
  name: nonEmpty,
  sector: z.enum(SECTOR_IDS),
  sectorSource: nonEmpty.nullable(),
  chantier: nonEmpty.nullable(),
  panorama: z.enum(PANORAMA_IDS),
  origin: z.enum(['simulateur', 'simulateur-outre-mer', 'leviers-50']),
  description: nonEmpty.nullable(),
  indicator: nonEmpty,
  unit: nonEmpty,
  unitInferred: z.boolean(),
  regional: z.boolean(),
  confidence: z.enum(['confirmed', 'partial']),
  sgpe50Names: z.array(nonEmpty),
  parent: LeverIdSchema.nullable(),
  nationalTarget2030: nonEmpty.nullable(),
});

export const PhysicalTranslationSchema = z.strictObject({
  startPoint2019: z.number().finite(),
  ratio: z.number().finite(),
  unit: nonEmpty,
  relative: z.boolean(),
});

export const RegionalObjectiveSchema = z.strictObject({
  objectiveKtCO2e: z.number().finite().nullable(),
  physical: PhysicalTranslationSchema.nullable(),
  enabled: z.boolean(),
  editionDisabled: z.boolean(),
  // Omitted in the data file when null.
  note: nonEmpty.nullable().default(null),
  regionNote: nonEmpty.nullable().default(null),
  localName: nonEmpty.nullable().default(null),
});

export const CatalogueSourceRefSchema = z.strictObject({
  id: nonEmpty,
  name: nonEmpty,
  path: nonEmpty,
  url: z.url().nullable(),
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/).nullable(),
  licence: nonEmpty.nullable(),
});

export const CatalogueSourceSchema = z.strictObject({
  licence: nonEmpty,
  caveat: nonEmpty,
  dataDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sources: z.array(CatalogueSourceRefSchema).min(1),
});

export const LeversFileSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    source: CatalogueSourceSchema,
    levers: z.array(LeverSchema).min(1),
    objectives: z.record(RegionCodeKey, z.record(LeverIdSchema, RegionalObjectiveSchema)),
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    for (const [i, lever] of file.levers.entries()) {
      if (ids.has(lever.id)) {
        ctx.addIssue({ code: 'custom', message: `levier en double : ${lever.id}`, path: ['levers', i, 'id'] });
      }
      ids.add(lever.id);
    }
    for (const [i, lever] of file.levers.entries()) {
      if (lever.parent !== null && !ids.has(lever.parent)) {
        const message = `levier parent inconnu : ${lever.parent}`;
        ctx.addIssue({ code: 'custom', message, path: ['levers', i, 'parent'] });
      }
    }
    for (const [region, byLever] of Object.entries(file.objectives)) {
      for (const leverId of Object.keys(byLever)) {
        if (!ids.has(leverId)) {
          const message = `objectif pour un levier inconnu : ${leverId}`;
          ctx.addIssue({ code: 'custom', message, path: ['objectives', region, leverId] });
        }
      }
    }
  });

// Compile-time check that the schemas and the hand-written types describe the same data.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typeChecks: [
  Same<z.infer<typeof LeverSchema>, Lever>,
  Same<z.infer<typeof PhysicalTranslationSchema>, PhysicalTranslation>,
  Same<z.infer<typeof RegionalObjectiveSchema>, RegionalObjective>,
  Same<z.infer<typeof CatalogueSourceRefSchema>, CatalogueSourceRef>,
  Same<z.infer<typeof CatalogueSourceSchema>, CatalogueSource>,
  Same<z.infer<typeof LeversFileSchema>, LeversFile>,
] = [true, true, true, true, true, true];
void typeChecks;
