import type { DiagnosticEntry, EntryStatus } from '@agora/domain';
import type { TerritoryIndex } from './territories.ts';

/** Current filters of the diagnostic; '' means "all". */
export interface EntryFilters {
  territory: string;
  status: EntryStatus | '';
  organisation: string;
}

export const noFilters = (): EntryFilters => ({ territory: '', status: '', organisation: '' });

export function isFiltering(f: EntryFilters): boolean {
  return f.territory !== '' || f.status !== '' || f.organisation !== '';
}

export function applyFilters(entries: readonly DiagnosticEntry[], f: EntryFilters, territories: TerritoryIndex): DiagnosticEntry[] {
  return entries.filter(
    (e) =>
      (f.territory === '' || territories.matches(f.territory, e.territory)) &&
      (f.status === '' || e.status === f.status) &&
      (f.organisation === '' || e.organisation.trim().toLocaleLowerCase('fr') === f.organisation.toLocaleLowerCase('fr')),
  );
}

/** Organisations present in the entries (case-insensitive, first spelling kept), sorted. */
export function organisationsOf(entries: readonly DiagnosticEntry[]): string[] {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const name = e.organisation.trim();
    const key = name.toLocaleLowerCase('fr');
    if (name && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b, 'fr'));
}
