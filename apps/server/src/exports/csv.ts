import type { ExportTable } from './table.ts';

/**
 * CSV as French spreadsheet software opens it by default: `;` separator, UTF-8 with a byte-order mark,
 * CRLF line ends, RFC 4180 quoting. Cells starting with = + - @ are prefixed with ' (formula injection).
 */
export function toCsv(table: ExportTable): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v).replace('.', ',');
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [table.columns.map((c) => cell(c.label)).join(';')];
  for (const row of table.rows) lines.push(table.columns.map((c) => cell(row[c.key] ?? null)).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
