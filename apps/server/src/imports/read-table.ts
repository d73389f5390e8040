import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { DEFAULT_IMPORT_MAX_ROWS, IMPORT_MAX_BYTES } from '@agora/domain';

export class ImportFileError extends Error {}

/**
 * Reads an uploaded CSV or XLSX file into rows of strings (the first row is the header).
 * CSV: UTF-8 (with or without BOM), `;`, `,` or tab separated (detected on the first line), RFC 4180 quoting.
 */
export async function readTable(fileName: string, bytes: Uint8Array): Promise<string[][]> {
  if (bytes.byteLength === 0) throw new ImportFileError('le fichier est vide');
  if (bytes.byteLength > IMPORT_MAX_BYTES) throw new ImportFileError('fichier trop volumineux (5 Mo au plus)');
  const lower = fileName.toLowerCase();
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (lower.endsWith('.xlsx') || (isZip && !lower.endsWith('.csv'))) return readXlsx(bytes);
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || !isZip) return readCsv(bytes);
  throw new ImportFileError('format non pris en charge : CSV ou XLSX attendu');
}

function readCsv(bytes: Uint8Array): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Spreadsheet software in French often saves CSV as Windows-1252.
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  try {
    const rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
    return rows;
  } catch (err) {
    throw new ImportFileError(`CSV illisible : ${(err as Error).message}`);
  }
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const { default: Excel } = await import('exceljs'); // loaded on first use (see exports/index.ts)
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportFileError(`classeur XLSX illisible : ${(err as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ImportFileError('le classeur ne contient aucune feuille');
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (rows.length > DEFAULT_IMPORT_MAX_ROWS + 1) return;
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value);
    });
    rows.push(Array.from(values, (v) => v ?? ''));
  });
  return rows;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v && v.result !== undefined) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('hyperlink' in v && typeof v.hyperlink === 'string') return v.hyperlink;
  }
  return '';
}
