import { toCsv } from './csv.ts';
import { toOds } from './ods.ts';
import { CONTENT_TYPES, type ExportFormat, type ExportTable } from './table.ts';

export * from './table.ts';

/** Renders a table in one of the export formats, with its content type. */
export async function renderExport(table: ExportTable, format: ExportFormat): Promise<{ body: Uint8Array | string; contentType: string }> {
  const contentType = CONTENT_TYPES[format];
  switch (format) {
    case 'csv':
      return { body: toCsv(table), contentType };
    case 'xlsx':
      // exceljs and pdfkit (~7 MB of heap each) are loaded on the first export only: a larger resident heap makes
      // every garbage collection of the realtime server longer.
      return { body: await (await import('./xlsx.ts')).toXlsx(table), contentType };
    case 'ods':
      return { body: toOds(table), contentType };
    case 'pdf':
      return { body: await (await import('./pdf.ts')).toPdf(table), contentType };
  }
}
