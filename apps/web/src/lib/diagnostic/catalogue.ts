/**
 * The region's lever catalogue (from `GET /api/regions/:code/catalogue`): levers grouped by sector,
 * and entries grouped by sector then lever in catalogue order.
 */
import type { DiagnosticEntry } from '@agora/domain';
import type { CatalogueSector, RegionCatalogue, RegionLever } from '$lib/api';
import { t } from '$lib/i18n';

export interface LeverGroup {
  sector: CatalogueSector;
  levers: RegionLever[];
}

export interface CatalogueIndex {
  /** Levers by sector, in catalogue order (for `<optgroup>`s). */
  groups: LeverGroup[];
  leverIds: ReadonlySet<string>;
  lever: (id: string) => RegionLever | undefined;
  leverName: (id: string) => string;
}

export function indexCatalogue(catalogue: RegionCatalogue | null): CatalogueIndex {
  const levers = new Map<string, RegionLever>();
  const groups: LeverGroup[] = [];
  if (catalogue) {
    const bySector = new Map<string, RegionLever[]>();
    for (const l of catalogue.levers) {
      levers.set(l.id, l);
      const list = bySector.get(l.sector);
      if (list) list.push(l);
      else bySector.set(l.sector, [l]);
    }
    const seen = new Set<string>();
    for (const s of catalogue.sectors) {
      const list = bySector.get(s.id);
      seen.add(s.id);
      if (list?.length) groups.push({ sector: s, levers: list });
    }
    // Levers of a sector the sector list does not name (should not happen): still selectable.
    for (const [id, list] of bySector) if (!seen.has(id)) groups.push({ sector: { id, label: id }, levers: list });
  }
  return {
    groups,
    leverIds: new Set(levers.keys()),
    lever: (id) => levers.get(id),
    leverName: (id) => levers.get(id)?.name ?? t.diagnostic.unknownLever(id),
  };
}

export interface EntryLeverGroup {
  leverId: string;
  name: string;
  lever: RegionLever | undefined;
  entries: DiagnosticEntry[];
}

export interface EntrySectorGroup {
  id: string;
  label: string;
  levers: EntryLeverGroup[];
  count: number;
}

/** Entries grouped by sector then lever, both in catalogue order; unknown levers come last. */
export function groupEntries(entries: readonly DiagnosticEntry[], index: CatalogueIndex): EntrySectorGroup[] {
  const byLever = new Map<string, DiagnosticEntry[]>();
  for (const e of entries) {
    const list = byLever.get(e.lever);
    if (list) list.push(e);
    else byLever.set(e.lever, [e]);
  }
  const out: EntrySectorGroup[] = [];
  for (const g of index.groups) {
    const levers: EntryLeverGroup[] = [];
    for (const l of g.levers) {
      const list = byLever.get(l.id);
      if (!list) continue;
      byLever.delete(l.id);
      levers.push({ leverId: l.id, name: l.name, lever: l, entries: list });
    }
    if (levers.length) out.push({ id: g.sector.id, label: g.sector.label, levers, count: levers.reduce((n, l) => n + l.entries.length, 0) });
  }
  if (byLever.size) {
    const levers = [...byLever].map(([leverId, list]) => ({ leverId, name: index.leverName(leverId), lever: undefined, entries: list }));
    out.push({ id: 'autres', label: t.diagnostic.unknownSector, levers, count: levers.reduce((n, l) => n + l.entries.length, 0) });
  }
  return out;
}
