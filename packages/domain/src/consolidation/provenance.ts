/**
 * Provenance of consolidated entries, stored in the entry's `provenance` field as JSON of `Provenance[]`
 * (see `EntryFieldsSchema`: at most `PROVENANCE_MAX_SOURCES` sources and `PROVENANCE_MAX_CHARS` characters).
 */
import { ProvenanceListSchema, type DiagnosticEntry, type Provenance } from '../diagnostic/entry.ts';

/** Limits of the `provenance` field of an entry (mirrors `EntryFieldsSchema`). */
export const PROVENANCE_MAX_SOURCES = 30;
export const PROVENANCE_MAX_CHARS = 4000;

/** The source "this group's entry", with every string cut to the schema's limits. */
export function groupSource(groupId: string, groupName: string, entry: Pick<DiagnosticEntry, 'id' | 'author'>): Provenance {
  return {
    kind: 'group',
    sourceId: groupId.slice(0, 64),
    sourceName: groupName.slice(0, 120),
    ref: entry.id.slice(0, 64),
    author: entry.author.slice(0, 100),
  };
}

const sourceKey = (p: Provenance): string => `${p.kind}\u0000${p.sourceId}\u0000${p.ref}`;

/** Sources without repeats (same kind, source and ref), first occurrence kept. */
export function uniqueSources(list: readonly Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = sourceKey(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function serialiseProvenance(list: readonly Provenance[]): string {
  return JSON.stringify(list);
}

function fits(list: readonly Provenance[]): boolean {
  return list.length <= PROVENANCE_MAX_SOURCES && serialiseProvenance(list).length <= PROVENANCE_MAX_CHARS && ProvenanceListSchema.safeParse(list).success;
}

/**
 * Makes a provenance list fit the field: repeats removed, then, while it is too long, the oldest sources that are
 * not in `required` are dropped (older sources an entry carried, e.g. the file row it was imported from).
 * Null when even the required sources alone do not fit.
 */
export function fitProvenance(list: readonly Provenance[], required: readonly Provenance[]): Provenance[] | null {
  const out = uniqueSources(list);
  const must = new Set(required.map(sourceKey));
  while (!fits(out)) {
    const i = out.findIndex((p) => !must.has(sourceKey(p)));
    if (i < 0) return null;
    out.splice(i, 1);
  }
  return out;
}
