/** A table to export: the common shape of every download (vote results, diagnostic). */
export interface ExportTable {
  title: string;
  /** Lines printed under the title (date, source, caveats). */
  notes: string[];
  columns: { key: string; label: string }[];
  rows: Record<string, string | number | null>[];
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ods', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  pdf: 'application/pdf',
};
