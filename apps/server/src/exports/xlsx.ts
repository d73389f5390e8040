import ExcelJS from 'exceljs';
import type { ExportTable } from './table.ts';

export async function toXlsx(table: ExportTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Agora COP';
  const ws = wb.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  ws.addRow([table.title]).font = { bold: true, size: 14 };
  for (const n of table.notes) ws.addRow([n]).font = { italic: true };
  ws.addRow([]);
  const header = ws.addRow(table.columns.map((c) => c.label));
  header.font = { bold: true };
  for (const row of table.rows) ws.addRow(table.columns.map((c) => row[c.key] ?? null));
  table.columns.forEach((c, i) => {
    const width = Math.min(60, Math.max(c.label.length, ...table.rows.map((r) => String(r[c.key] ?? '').length)) + 2);
    ws.getColumn(i + 1).width = width;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
