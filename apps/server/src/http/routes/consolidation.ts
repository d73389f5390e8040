import { Hono } from 'hono';
import {
  ConsolidationApplyInputSchema,
  addEntry,
  applyConsolidation,
  documentName,
  groupDocumentName,
  planConsolidation,
  readEntries,
  toWritableEntry,
  updateEntry,
  type ConsolidationPlan,
  type GroupEntries,
  type Workshop,
} from '@agora/domain';
import type { Store } from '../../store/store.ts';
import type { RoomRegistry } from '../../realtime/rooms.ts';
import { requireWorkshop, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { audit } from '../audit.ts';
import { writeOnBehalf } from '../write-on-behalf.ts';
import { actorName } from '../../auth/access.ts';

/** The plan of a consolidation, from the documents as they are now (loading them as needed). */
export async function currentPlan(store: Store, rooms: RoomRegistry, workshop: Workshop): Promise<ConsolidationPlan> {
  const groups: GroupEntries[] = [];
  for (const g of await store.listGroups(workshop.id)) {
    const entries = await rooms.write(groupDocumentName(workshop.id, g.id), workshop, (room) => readEntries(room.doc));
    groups.push({ groupId: g.id, groupName: g.name, entries });
  }
  const plenary = await rooms.write(documentName(workshop.id, 'diagnostic'), workshop, (room) => readEntries(room.doc));
  return planConsolidation(plenary, groups);
}

/**
 * Consolidation of the breakout groups into the plenary diagnostic: a plan to review (additions and likely
 * duplicates side by side), then one action that writes everything with provenance. The plan is computed again
 * when applying (the groups may have typed meanwhile); decisions name duplicate clusters by their stable ids.
 * Group documents are left as they are: entries already brought in are recognised by their provenance and never
 * brought in twice.
 */
export function consolidationRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents } = deps;
  const app = new Hono<AppEnv>();

  app.post('/:id/consolidation/plan', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    return c.json(await currentPlan(store, documents.rooms, r.access.workshop));
  });

  app.post('/:id/consolidation/apply', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, ConsolidationApplyInputSchema);
    if (!body.ok) return body.response;
    const workshop = r.access.workshop;
    const plan = await currentPlan(store, documents.rooms, workshop);
    const outcome = applyConsolidation(plan, body.data.decisions);
    const viewer = c.get('viewer');
    const author = { memberId: r.access.member?.id ?? null, name: actorName(r.access, viewer) };
    // One transaction: everything is written, or (refused by the diagnostic's rules) nothing.
    const written = await writeOnBehalf(documents.rooms, documentName(workshop.id, 'diagnostic'), workshop, author, 'consolidation refusée', (doc) => {
      for (const u of outcome.update) updateEntry(doc, u.entryId, u.patch);
      for (const e of outcome.add) {
        const { input, author: entryAuthor } = toWritableEntry(e);
        addEntry(doc, input, entryAuthor);
      }
    });
    if (!written.ok) return apiError(c, written.status, written.message);

    await audit(store, r.access, viewer, 'consolidation.apply', {
      added: outcome.added,
      merged: outcome.merged,
      updated: outcome.update.length,
      alreadyConsolidated: plan.alreadyConsolidated.length,
    });
    return c.json({ added: outcome.added, merged: outcome.merged, updated: outcome.update.length, warnings: outcome.warnings });
  });

  return app;
}
