/**
 * The region catalogue of the API, as the domain's objective coverage (`computeCoverage`, `panorama` of
 * `@agora/domain`) takes it. Pure functions without framework imports (unit tested in tests/unit/panorama.test.ts).
 */
import type { CoverageLever } from '@agora/domain';

/** The domain's sector id. */
export type SectorId = CoverageLever['sector'];

/** A lever as the catalogue API types it: the domain's fields, with the sector id as a plain string. */
export type ApiLever = Omit<CoverageLever, 'sector'> & { sector: string };

/**
 * The catalogue's levers with their sector narrowed to the domain's ids. The server sends the domain's sector list
 * with the catalogue (`sectors`), so a sector id is known when it is in that list. A lever whose sector is not (a
 * server and a client of different versions) is left out: the entries on it then land in the coverage's
 * `unmatched` list, which the page shows, so they are not dropped silently.
 */
export function coverageLevers(catalogue: { levers: readonly ApiLever[]; sectors: readonly { id: string }[] }): CoverageLever[] {
  const known = new Set(catalogue.sectors.map((s) => s.id));
  const isKnown = (id: string): id is SectorId => known.has(id);
  return catalogue.levers.flatMap((l) => {
    const sector = l.sector;
    return isKnown(sector) ? [{ ...l, sector }] : [];
  });
}
