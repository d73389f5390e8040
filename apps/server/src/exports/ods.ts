import { strToU8, zipSync } from 'fflate';
import type { ExportTable } from './table.ts';

/**
 * OpenDocument spreadsheet (ODF 1.2), the format of LibreOffice, expected by French administrations (RGI).
 * No maintained npm library writes ODS, so this writes the three files a minimal package needs.
 */
export function toOds(table: ExportTable): Uint8Array {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cell = (v: string | number | null, bold = false): string => {
    const style = bold ? ' table:style-name="bold"' : '';
    if (v === null || v === '') return '<table:table-cell/>';
    if (typeof v === 'number') return `<table:table-cell${style} office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`;
    return `<table:table-cell${style} office:value-type="string"><text:p>${esc(v)}</text:p></table:table-cell>`;
  };
  const row = (cells: string[]) => `<table:table-row>${cells.join('')}</table:table-row>`;
  const rows = [
    row([cell(table.title, true)]),
    ...table.notes.map((n) => row([cell(n)])),
    row([cell(null)]),
    row(table.columns.map((c) => cell(c.label, true))),
    ...table.rows.map((r) => row(table.columns.map((c) => cell(r[c.key] ?? null)))),
  ];
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles><style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="${esc(table.title.slice(0, 31))}"><table:table-column table:number-columns-repeated="${table.columns.length}"/>${rows.join('')}</table:table></office:spreadsheet></office:body>
</office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`;
  // The mimetype entry must come first and be stored uncompressed.
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
    'META-INF/manifest.xml': strToU8(manifest),
    'content.xml': strToU8(content),
  });
}
