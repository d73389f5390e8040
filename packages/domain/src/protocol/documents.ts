import { WorkshopIdSchema } from '../workshop/workshop.ts';

/**
 * Shared documents are named `<workshopId>:<part>` and served at `/ws/<name>`.
 * Parts: `diagnostic` (the plenary diagnostic, co-edited) and `live` (stage and votes, written by the server only).
 */
export const DOCUMENT_PARTS = ['diagnostic', 'live'] as const;
export type DocumentPart = (typeof DOCUMENT_PARTS)[number];

export interface DocumentName {
  workshopId: string;
  part: DocumentPart;
}

export function documentName(workshopId: string, part: DocumentPart): string {
  return `${workshopId}:${part}`;
}

export function parseDocumentName(name: string): DocumentName | null {
  if (name.length > 100) return null;
  const m = /^([^:]+):([a-z-]+)$/.exec(name);
  if (!m) return null;
  const [, workshopId = '', part = ''] = m;
  if (!WorkshopIdSchema.safeParse(workshopId).success) return null;
  if (!(DOCUMENT_PARTS as readonly string[]).includes(part)) return null;
  return { workshopId, part: part as DocumentPart };
}
