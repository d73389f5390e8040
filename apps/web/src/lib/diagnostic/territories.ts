/**
 * Territories of a region (from `GET /api/regions/:code/territories`), as labels, select options and filters.
 * A territory reference is `region:<code>`, `departement:<code>`, `epci:<siren>` or `crte:<code>`.
 */
import type { RegionTerritories } from '$lib/api';
import { t } from '$lib/i18n';

export interface TerritoryOption {
  ref: string;
  label: string;
}

export interface TerritoryGroup {
  label: string;
  options: TerritoryOption[];
}

export interface TerritoryIndex {
  groups: TerritoryGroup[];
  /** Whether a reference belongs to the region (the domain rule `isTerritory`). */
  has: (ref: string) => boolean;
  label: (ref: string) => string;
  /** Whether an entry on `entryRef` is shown by the territory filter `filterRef` (a CRTE includes its EPCI). */
  matches: (filterRef: string, entryRef: string) => boolean;
}

const byLabel = (a: TerritoryOption, b: TerritoryOption): number => a.label.localeCompare(b.label, 'fr');

export function indexTerritories(data: RegionTerritories | null): TerritoryIndex {
  const labels = new Map<string, string>();
  const crteMembers = new Map<string, Set<string>>();
  const groups: TerritoryGroup[] = [];
  if (data) {
    const region = { ref: `region:${data.region.code}`, label: t.territory.regionOption(data.region.name) };
    const departements = data.departements
      .map((d) => ({ ref: `departement:${d.code}`, label: t.territory.departementOption(d.name, d.code), code: d.code }))
      .sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true }));
    const epcis = data.epcis.map((e) => ({ ref: `epci:${e.siren}`, label: e.name })).sort(byLabel);
    const crtes = data.crtes.map((c) => ({ ref: `crte:${c.code}`, label: t.territory.crteOption(c.name) })).sort(byLabel);
    for (const c of data.crtes) crteMembers.set(`crte:${c.code}`, new Set(c.epciSirens.map((s) => `epci:${s}`)));
    groups.push({ label: t.territory.region, options: [region] });
    if (departements.length) groups.push({ label: t.territory.departements, options: departements.map(({ ref, label }) => ({ ref, label })) });
    if (epcis.length) groups.push({ label: t.territory.epcis, options: epcis });
    if (crtes.length) groups.push({ label: t.territory.crtes, options: crtes });
    for (const g of groups) for (const o of g.options) labels.set(o.ref, o.label);
  }
  return {
    groups,
    has: (ref) => labels.has(ref),
    label: (ref) => labels.get(ref) ?? t.territory.unknown(ref),
    matches: (filterRef, entryRef) => filterRef === entryRef || (crteMembers.get(filterRef)?.has(entryRef) ?? false),
  };
}
