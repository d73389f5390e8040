/** What a facilitator sends to apply a consolidation: a decision per likely-duplicate cluster. */
import * as z from 'zod';
import { EntryIdSchema } from '../diagnostic/entry.ts';

export const DuplicateDecisionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('keep-all') }),
  z.strictObject({ action: z.literal('merge'), keepEntryId: EntryIdSchema }),
]);

/** Cluster ids are `dup-<entry id>`; a cluster without a decision keeps all its entries. */
export const ConsolidationApplyInputSchema = z.strictObject({
  decisions: z
    .record(z.string().regex(/^dup-[A-Za-z0-9_-]{1,60}$/, 'identifiant de doublon invalide'), DuplicateDecisionSchema)
    .refine((d) => Object.keys(d).length <= 5000, 'trop de décisions')
    .default({}),
});
export type ConsolidationApplyInput = z.infer<typeof ConsolidationApplyInputSchema>;
