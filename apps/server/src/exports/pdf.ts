import PDFDocument from 'pdfkit';
import type { ExportTable } from './table.ts';

/** The standard PDF fonts only encode WinAnsi: map the few typographic signs we use outside it. */
function winAnsi(s: string): string {
  return s.replace(/\u2212/g, '-').replace(/\u2192/g, '->').replace(/\u202f|\u00a0/g, ' ').replace(/[^\x00-\xff\u2018\u2019\u201c\u201d\u2026\u0152\u0153\u20ac\u2013\u2014]/g, '?');
}

/** A printable A4 report of the table (title, notes, then rows), for minutes and the record. */
export function toPdf(table: ExportTable): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: table.title, Creator: 'Agora COP' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(table.title));
    doc.moveDown(0.5).font('Helvetica').fontSize(9);
    for (const n of table.notes) doc.text(winAnsi(n));
    doc.moveDown();
    const width = doc.page.width - 80;
    const colWidth = width / Math.max(1, table.columns.length);
    const drawRow = (cells: string[], bold: boolean): void => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const heights = cells.map((c) => doc.heightOfString(winAnsi(c), { width: colWidth - 6 }));
      const h = Math.max(...heights, 12) + 4;
      if (doc.y + h > doc.page.height - 40) doc.addPage();
      const y = doc.y;
      cells.forEach((c, i) => doc.text(winAnsi(c), 40 + i * colWidth + 3, y + 2, { width: colWidth - 6 }));
      doc.moveTo(40, y + h).lineTo(40 + width, y + h).lineWidth(0.3).strokeColor('#999999').stroke();
      doc.x = 40;
      doc.y = y + h;
    };
    drawRow(table.columns.map((c) => c.label), true);
    for (const r of table.rows) drawRow(table.columns.map((c) => String(r[c.key] ?? '')), false);
    doc.end();
  });
}
