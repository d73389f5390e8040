import { Hono } from 'hono';
import {
  DEFAULT_IMPORT_MAX_ROWS,
  IMPORT_MAX_BYTES,
  ImportCommitInputSchema,
  ImportIdSchema,
  ImportValidateInputSchema,
  addEntry,
  buildLeverAliases,
  buildTerritoryLookup,
  documentName,
  groupDocumentName,
  previewImport,
  suggestMapping,
  type ImportContext,
  type ImportDefaults,
  type ImportMapping,
  type ImportPreview,
  type Workshop,
} from '@agora/domain';
import { getRegionCatalogue } from '@agora/domain/catalogue';
import { getRegionTerritories } from '@agora/domain/territories';
import { randomId } from '../../auth/tokens.ts';
import { actorName, canWriteDocument, type WorkshopAccess } from '../../auth/access.ts';
import { ImportFileError, readTable } from '../../imports/read-table.ts';
import type { ImportUpload } from '../../store/store.ts';
import { diagnosticRulesFor } from '../../realtime/rules.ts';
import { requireWorkshop, type AppContext, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { audit } from '../audit.ts';
import { writeOnBehalf } from '../write-on-behalf.ts';

/** An uploaded file waits this long for its mapping to be checked and confirmed. */
const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** Rows shown in the preview table. */
const SAMPLE_ROWS = 5;

/** The checks of an import for a workshop's region (the same rules as edits of the diagnostic). */
function importContext(workshop: Workshop, defaults: ImportDefaults, upload: ImportUpload, author: string): ImportContext {
  const catalogue = getRegionCatalogue(workshop.regionCode);
  const territories = getRegionTerritories(workshop.regionCode);
  return {
    rules: diagnosticRulesFor(workshop.regionCode),
    defaults,
    leverAliases: buildLeverAliases(catalogue?.levers ?? []),
    ...(territories ? { territoryLookup: buildTerritoryLookup(territories) } : {}),
    maxRows: DEFAULT_IMPORT_MAX_ROWS,
    provenance: { sourceId: upload.id, sourceName: upload.fileName.slice(0, 120), author: author.slice(0, 100) },
  };
}

/**
 * Import of existing actions (CSV or XLSX, e.g. an EPCI's PCAET action list) in three steps: upload (read, header
 * and a sample shown, a column mapping suggested), check (every row validated like an edit: valid rows kept,
 * invalid ones reported with their row number), then commit of the valid rows in one transaction. Nothing is
 * written before the commit; leaving (or `DELETE`) writes nothing. Uploads are kept in the store, so any
 * instance can answer the next step.
 */
export function importRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents } = deps;
  const app = new Hono<AppEnv>();

  /** The upload of this request's session in this workshop, or the error response. */
  async function uploadOf(c: AppContext, access: WorkshopAccess, importId: string): Promise<{ ok: true; upload: ImportUpload } | { ok: false; response: Response }> {
    const upload = await store.getImportUpload(importId);
    const sessionId = c.get('viewer')?.session.id;
    if (!upload || upload.workshopId !== access.workshop.id || upload.sessionId !== sessionId || upload.expiresAt <= Date.now()) {
      return { ok: false, response: apiError(c, 410, 'fichier expiré ou inconnu : chargez-le de nouveau') };
    }
    return { ok: true, upload };
  }

  function check(access: WorkshopAccess, c: AppContext, upload: ImportUpload, mapping: ImportMapping, defaults: ImportDefaults): ImportPreview {
    const units = suggestMapping(upload.rows[0] ?? []).units;
    return previewImport(upload.rows, mapping, { ...importContext(access.workshop, defaults, upload, actorName(access, c.get('viewer'))), units });
  }

  app.post('/:id/import/preview', async (c) => {
    const r = await requireWorkshop(c, store, 'diagnostic.edit');
    if (!r.ok) return r.response;
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      return apiError(c, 400, 'envoi illisible : joignez un fichier CSV ou XLSX (champ « file »)');
    }
    const file = form.file;
    if (!(file instanceof File)) return apiError(c, 400, 'aucun fichier reçu : joignez un fichier CSV ou XLSX (champ « file »)');
    if (file.size > IMPORT_MAX_BYTES) return apiError(c, 413, 'fichier trop volumineux (5 Mo au plus)');
    let rows: string[][];
    try {
      rows = await readTable(file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (err) {
      if (err instanceof ImportFileError) return apiError(c, 400, err.message);
      throw err;
    }
    const header = rows[0] ?? [];
    if (header.every((cell) => cell.trim() === '')) return apiError(c, 400, 'le fichier est vide : la première ligne doit donner les noms des colonnes');
    const total = rows.length - 1;
    if (total > DEFAULT_IMPORT_MAX_ROWS) {
      return apiError(c, 413, `fichier trop long : plus de ${DEFAULT_IMPORT_MAX_ROWS.toLocaleString('fr-FR')} lignes de données ; découpez-le en plusieurs fichiers`);
    }
    if (total === 0) return apiError(c, 400, 'le fichier ne contient que la ligne d’en-tête, aucune action à importer');
    await store.deleteExpiredImportUploads(Date.now());
    const upload: ImportUpload = {
      id: randomId(15),
      workshopId: r.access.workshop.id,
      sessionId: c.get('viewer')?.session.id ?? '',
      fileName: file.name.slice(0, 200) || 'fichier',
      rows,
      expiresAt: Date.now() + UPLOAD_TTL_MS,
    };
    await store.saveImportUpload(upload);
    const suggestion = suggestMapping(header);
    return c.json({
      importId: upload.id,
      fileName: upload.fileName,
      header,
      sample: rows.slice(1, 1 + SAMPLE_ROWS),
      total,
      mapping: suggestion.mapping,
      notes: suggestion.notes,
    });
  });

  app.post('/:id/import/validate', async (c) => {
    const r = await requireWorkshop(c, store, 'diagnostic.edit');
    if (!r.ok) return r.response;
    const body = await readBody(c, ImportValidateInputSchema);
    if (!body.ok) return body.response;
    const u = await uploadOf(c, r.access, body.data.importId);
    if (!u.ok) return u.response;
    const preview = check(r.access, c, u.upload, body.data.mapping, body.data.defaults);
    return c.json(preview);
  });

  app.post('/:id/import/commit', async (c) => {
    const r = await requireWorkshop(c, store, 'diagnostic.edit');
    if (!r.ok) return r.response;
    const body = await readBody(c, ImportCommitInputSchema);
    if (!body.ok) return body.response;
    const workshop = r.access.workshop;
    const target = body.data.document;
    const groupId = target === 'diagnostic' ? undefined : target.slice('group-'.length);
    const writable = await canWriteDocument(store, r.access, groupId ? { part: 'group', groupId } : { part: 'diagnostic' });
    if (writable === 'unknown-group') return apiError(c, 404, 'groupe introuvable');
    if (!writable) return apiError(c, 403, 'vous ne pouvez pas écrire dans ce document');
    const u = await uploadOf(c, r.access, body.data.importId);
    if (!u.ok) return u.response;
    const upload = u.upload;
    const preview = check(r.access, c, upload, body.data.mapping, body.data.defaults);
    if (preview.refused || preview.valid.length === 0) {
      return c.json({ error: 'aucune ligne valide : rien n’a été écrit', errors: preview.errors, total: preview.total }, 422);
    }
    // Claimed before writing (the delete succeeds for one request only), so that a double click, or the same
    // commit reaching two instances, cannot write the rows twice.
    if (!(await store.deleteImportUpload(upload.id))) return apiError(c, 410, 'import déjà fait ou annulé : rien de plus n’a été écrit');
    const name = groupId ? groupDocumentName(workshop.id, groupId) : documentName(workshop.id, 'diagnostic');
    const author = { memberId: r.access.member?.id ?? null, name: actorName(r.access, c.get('viewer')) };
    const written = await writeOnBehalf(documents.rooms, name, workshop, author, 'import refusé', (doc) => {
      for (const row of preview.valid) addEntry(doc, row.input, author.name);
    });
    if (!written.ok) {
      await store.saveImportUpload(upload); // nothing written: the file can be tried again
      return apiError(c, written.status, written.message);
    }
    await audit(store, r.access, c.get('viewer'), 'import.commit', { fileName: upload.fileName, document: target, written: preview.valid.length, errors: preview.errors.length });
    return c.json({ written: preview.valid.length, errors: preview.errors, total: preview.total });
  });

  /** Cancel: the uploaded file is forgotten; nothing was written. */
  app.delete('/:id/import/:importId', async (c) => {
    const r = await requireWorkshop(c, store, 'diagnostic.edit');
    if (!r.ok) return r.response;
    const id = ImportIdSchema.safeParse(c.req.param('importId'));
    if (!id.success) return apiError(c, 400, 'identifiant d’import invalide');
    const u = await uploadOf(c, r.access, id.data);
    if (u.ok) await store.deleteImportUpload(id.data);
    return c.json({ ok: true });
  });

  return app;
}
