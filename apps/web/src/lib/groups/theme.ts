/**
 * A breakout group's theme (sectors and/or levers of the catalogue): what it covers, and the catalogue restricted to it
 * (the lever list a group's entry form proposes by default).
 */
import type { Group } from '@agora/domain';
import type { RegionCatalogue } from '$lib/api';

/** Whether the group has a theme (otherwise it may work on any lever). */
export function hasTheme(group: Pick<Group, 'sectors' | 'leverIds'>): boolean {
  return group.sectors.length > 0 || group.leverIds.length > 0;
}

/** Ids of the levers of the theme: the levers named, plus every lever of the sectors named. Null: no theme. */
export function themeLeverIds(group: Pick<Group, 'sectors' | 'leverIds'>, catalogue: RegionCatalogue | null): Set<string> | null {
  if (!hasTheme(group)) return null;
  const ids = new Set(group.leverIds);
  const sectors = new Set(group.sectors);
  for (const l of catalogue?.levers ?? []) if (sectors.has(l.sector)) ids.add(l.id);
  return ids;
}

/** The catalogue with only the theme's levers (unchanged when the group has no theme). */
export function catalogueForTheme(catalogue: RegionCatalogue | null, ids: ReadonlySet<string> | null): RegionCatalogue | null {
  if (!catalogue || !ids) return catalogue;
  return { ...catalogue, levers: catalogue.levers.filter((l) => ids.has(l.id)) };
}

/** Human description of a theme: sector labels then lever names. */
export function themeLabels(group: Pick<Group, 'sectors' | 'leverIds'>, catalogue: RegionCatalogue | null): { sectors: string[]; levers: string[] } {
  const sectorLabel = new Map((catalogue?.sectors ?? []).map((s) => [s.id, s.label]));
  const leverName = new Map((catalogue?.levers ?? []).map((l) => [l.id, l.name]));
  return {
    sectors: group.sectors.map((s) => sectorLabel.get(s) ?? s),
    levers: group.leverIds.map((id) => leverName.get(id) ?? id),
  };
}
