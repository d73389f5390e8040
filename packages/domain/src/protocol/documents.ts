import * as z from 'zod';
import { WorkshopIdSchema } from '../workshop/workshop.ts';

/**
 * Shared documents are named `<workshopId>:<part>` and served at `/ws/<name>`. Parts:
 * - `diagnostic`: the plenary diagnostic, co-edited;
 * - `live`: stage, votes and breakout groups' activity, written by the server only;
 * - `group-<groupId>`: a breakout group's diagnostic (same layout and rules as the plenary one).
 */
export const DOCUMENT_PARTS = ['diagnostic', 'live', 'group'] as const;
export type DocumentPart = (typeof DOCUMENT_PARTS)[number];

export const GroupIdSchema = z.string().regex(/^[a-z2-7]{10,16}$/, 'identifiant de groupe invalide');

export type DocumentName =
  | { workshopId: string; part: 'diagnostic' | 'live'; groupId?: undefined }
  | { workshopId: string; part: 'group'; groupId: string };

export function documentName(workshopId: string, part: 'diagnostic' | 'live'): string {
  return `${workshopId}:${part}`;
}

export function groupDocumentName(workshopId: string, groupId: string): string {
  return `${workshopId}:group-${groupId}`;
}

export function parseDocumentName(name: string): DocumentName | null {
  if (name.length > 100) return null;
  const m = /^([^:]+):([a-z0-9-]+)$/.exec(name);
  if (!m) return null;
  const [, workshopId = '', part = ''] = m;
  if (!WorkshopIdSchema.safeParse(workshopId).success) return null;
  if (part === 'diagnostic' || part === 'live') return { workshopId, part };
  if (part.startsWith('group-') && GroupIdSchema.safeParse(part.slice('group-'.length)).success) {
    return { workshopId, part: 'group', groupId: part.slice('group-'.length) };
  }
  return null;
}
