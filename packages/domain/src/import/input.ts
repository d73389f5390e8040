/** What the import screens send once a file is uploaded: the column mapping, default values and target document. */
import * as z from 'zod';
import { IMPORT_FIELDS } from './mapping.ts';

/** Largest file accepted for an import (rows: `DEFAULT_IMPORT_MAX_ROWS`). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** Upload ids handed out by the server (base32, 24 characters). */
export const ImportIdSchema = z.string().regex(/^[a-z2-7]{24}$/, 'identifiant d’import invalide');

/** Field → 0-based column (null or absent: no column). */
export const ImportMappingSchema = z.partialRecord(z.enum(IMPORT_FIELDS), z.int().min(0).max(499).nullable());

const defaultText = (max: number) => z.string().trim().max(max).optional();
export const ImportDefaultsSchema = z.strictObject({
  lever: defaultText(64),
  territory: defaultText(120),
  organisation: defaultText(200),
  status: defaultText(40),
});

/** `diagnostic` (the plenary) or `group-<id>` (a breakout group's part). */
export const DocumentRefSchema = z.union([z.literal('diagnostic'), z.string().regex(/^group-[a-z2-7]{10,16}$/, 'document inconnu')]);

export const ImportValidateInputSchema = z.strictObject({
  importId: ImportIdSchema,
  mapping: ImportMappingSchema,
  defaults: ImportDefaultsSchema.default({}),
});
export type ImportValidateInput = z.infer<typeof ImportValidateInputSchema>;

export const ImportCommitInputSchema = ImportValidateInputSchema.extend({ document: DocumentRefSchema.default('diagnostic') });
export type ImportCommitInput = z.infer<typeof ImportCommitInputSchema>;
