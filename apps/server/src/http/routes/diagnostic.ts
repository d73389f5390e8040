import { Hono } from 'hono';
import {
  ENTRY_STATUS_LABELS,
  documentName,
  groupDocumentName,
  parseDocumentName,
  readEntries,
  type DiagnosticEntry,
} from '@agora/domain';
import { getLever } from '@agora/domain/catalogue';
import { territoryLabel } from '@agora/domain/territories';
import { CATALOGUE_SOURCE } from '@agora/domain/catalogue';
import { requireWorkshop, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError } from '../errors.ts';
import { EXPORT_FORMATS, renderExport, type ExportFormat, type ExportTable } from '../../exports/index.ts';

/** Reads and exports of a workshop's diagnostic documents (edits go through the WebSocket). */
export function diagnosticRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents } = deps;
  const app = new Hono<AppEnv>();

  /** `diagnostic` or `group-<id>` of this workshop, as a document name; null when invalid. */
  function docOf(workshopId: string, which: string | undefined): string | null {
    if (!which || which === 'diagnostic') return documentName(workshopId, 'diagnostic');
    const parsed = parseDocumentName(`${workshopId}:${which}`);
    return parsed?.part === 'group' ? groupDocumentName(workshopId, parsed.groupId) : null;
  }

  /** Who changed what and when, for one entry. */
  app.get('/:id/entries/:entryId/history', async (c) => {
    const r = await requireWorkshop(c, store, 'diagnostic.read');
    if (!r.ok) return r.response;
    const doc = docOf(r.access.workshop.id, c.req.query('document'));
    if (!doc) return apiError(c, 400, 'document inconnu');
    await deps.activity.flushHistory(); // changes of the last second, still being merged
    return c.json({ history: await store.entryHistory(doc, c.req.param('entryId')) });
  });

  app.get('/:id/diagnostic/export/:format', async (c) => {
    const r = await requireWorkshop(c, store, 'export');
    if (!r.ok) return r.response;
    const format = c.req.param('format');
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return apiError(c, 400, 'format inconnu : csv, xlsx, ods ou pdf');
    const doc = docOf(r.access.workshop.id, c.req.query('document'));
    if (!doc) return apiError(c, 400, 'document inconnu');
    const workshop = r.access.workshop;
    const entries = await documents.rooms.write(doc, workshop, (room) => readEntries(room.doc));
    const file = await renderExport(diagnosticTable(workshop.name, workshop.regionCode, entries), format as ExportFormat);
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="diagnostic-${workshop.id}.${format}"`);
    return c.body(typeof file.body === 'string' ? file.body : (file.body as Uint8Array<ArrayBuffer>));
  });

  return app;
}

export function diagnosticTable(workshopName: string, regionCode: string, entries: DiagnosticEntry[]): ExportTable {
  return {
    title: `Diagnostic — ${workshopName}`,
    notes: [
      `Export du ${new Date().toISOString()} (Agora COP) — ${entries.length} entrée(s)`,
      `Leviers et objectifs : ${CATALOGUE_SOURCE.caveat}`,
    ],
    columns: [
      { key: 'sector', label: 'Secteur' },
      { key: 'lever', label: 'Levier' },
      { key: 'territory', label: 'Territoire' },
      { key: 'organisation', label: 'Organisation' },
      { key: 'status', label: 'Statut' },
      { key: 'title', label: 'Action' },
      { key: 'description', label: 'Description' },
      { key: 'effectValue', label: 'Effet (valeur)' },
      { key: 'effectUnit', label: 'Effet (unité)' },
      { key: 'effectKtCO2e', label: 'Effet (ktCO2e)' },
      { key: 'yearStart', label: 'Début' },
      { key: 'yearEnd', label: 'Fin' },
      { key: 'source', label: 'Source' },
      { key: 'author', label: 'Auteur' },
    ],
    rows: entries.map((e) => {
      const lever = getLever(e.lever);
      return {
        sector: lever?.sector ?? '',
        lever: lever?.name ?? e.lever,
        territory: territoryLabel(regionCode, e.territory) ?? e.territory,
        organisation: e.organisation,
        status: ENTRY_STATUS_LABELS[e.status] ?? e.status,
        title: e.title,
        description: e.description,
        effectValue: e.effectValue,
        effectUnit: e.effectUnit,
        effectKtCO2e: e.effectKtCO2e,
        yearStart: e.yearStart,
        yearEnd: e.yearEnd,
        source: e.source,
        author: e.author,
      };
    }),
  };
}
