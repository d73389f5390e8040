/**
 * Message catalogues. `t` is the active catalogue (French for now).
 *
 * To add a language: create `xx.ts` exporting `export const xx: Messages = { ... }` (TypeScript then checks that every
 * message exists with the right signature), register it in `catalogues`, and choose it in `t` (e.g. from a setting).
 */
import { fr } from './fr.ts';

export type Messages = typeof fr;
export type Locale = 'fr';

export const catalogues: Record<Locale, Messages> = { fr };

export const defaultLocale: Locale = 'fr';

/** The active message catalogue. */
export const t: Messages = catalogues[defaultLocale];
