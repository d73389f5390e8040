/**
 * The domain's coverage result and its accessible table (`computeCoverage` and `coverageTable` of `@agora/domain`)
 * put together for the page: each panorama, sector and lever with its figures and the table row that says them in
 * French words. Pure functions without framework imports (unit tested in tests/unit/panorama.test.ts).
 */
import type {
  CoverageEntry,
  CoverageResult,
  CoverageRowKind,
  CoverageTable,
  CoverageTableRow,
  LeverCoverage,
  PanoramaCoverage,
  SectorCoverage,
} from '@agora/domain';

export interface LeverRow<E extends CoverageEntry = CoverageEntry> {
  lever: LeverCoverage<E>;
  row: CoverageTableRow;
}

export interface SectorRows<E extends CoverageEntry = CoverageEntry> {
  sector: SectorCoverage<E>;
  row: CoverageTableRow;
  levers: LeverRow<E>[];
}

export interface PanoramaRows<E extends CoverageEntry = CoverageEntry> {
  panorama: PanoramaCoverage<E>;
  row: CoverageTableRow;
  sectors: SectorRows<E>[];
}

/**
 * The panoramas of `result`, in its order, each with its table row, its sectors and their levers. `table` must be
 * `coverageTable(result)`; a missing row is a programming error and throws.
 */
export function nestRows<E extends CoverageEntry>(result: CoverageResult<E>, table: CoverageTable): PanoramaRows<E>[] {
  const byKey = new Map(table.rows.map((r) => [`${r.kind}:${r.id}`, r]));
  const rowOf = (kind: CoverageRowKind, id: string): CoverageTableRow => {
    const row = byKey.get(`${kind}:${id}`);
    if (!row) throw new Error(`the coverage table has no ${kind} row ${id}`);
    return row;
  };
  return result.panoramas.map((p) => ({
    panorama: p,
    row: rowOf('panorama', p.panorama),
    sectors: p.sectors.map((s) => ({
      sector: s,
      // Sector rows are identified as `<panorama>/<sector>` (see the domain's coverageTable).
      row: rowOf('sector', `${p.panorama}/${s.sectorId}`),
      levers: s.levers.map((l) => ({ lever: l, row: rowOf('lever', l.leverId) })),
    })),
  }));
}
