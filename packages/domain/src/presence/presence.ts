import * as z from 'zod';

/**
 * A participant's presence (the y-protocols awareness state): who they are and which entry they edit.
 * Kept small on purpose: it is fanned out to every participant of the document.
 */
export const PresenceStateSchema = z.strictObject({
  user: z.strictObject({
    name: z.string().trim().min(1).max(80),
    color: z.string().regex(/^#[0-9a-f]{6}$/i),
    /** Organisation shown next to the name. */
    organisation: z.string().max(120).optional(),
    /** Set by the server from the session (identity issue); clients cannot choose it. */
    id: z.string().max(64).optional(),
    role: z.string().max(40).optional(),
  }),
  /** Id of the entry being edited, or null. */
  editing: z.string().max(40).nullable(),
});
export type PresenceState = z.infer<typeof PresenceStateSchema>;

/** Largest JSON encoding of one presence state the server relays. */
export const MAX_PRESENCE_BYTES = 1024;

/** Colours for presence chips: dark enough for white text (contrast ≥ 4.5:1). */
export const PRESENCE_COLORS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'] as const;

export function colorFor(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return PRESENCE_COLORS[h % PRESENCE_COLORS.length] ?? PRESENCE_COLORS[0];
}
