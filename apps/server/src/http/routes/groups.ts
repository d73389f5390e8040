import { Hono } from 'hono';
import {
  AssignGroupInputSchema,
  CreateGroupInputSchema,
  UpdateGroupInputSchema,
  documentName,
  groupDocumentName,
  planConsolidation,
  readEntries,
  type Group,
} from '@agora/domain';
import { randomId } from '../../auth/tokens.ts';
import type { WorkshopActivity } from '../../groups/activity.ts';
import { requireWorkshop, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { audit } from '../audit.ts';

/** Breakout groups: created and staffed by facilitators; each has its own diagnostic document. */
export function groupRoutes(deps: RouteDeps & { activity: WorkshopActivity }): Hono<AppEnv> {
  const { store, documents, activity } = deps;
  const app = new Hono<AppEnv>();

  app.get('/:id/groups', async (c) => {
    const r = await requireWorkshop(c, store, 'workshop.read');
    if (!r.ok) return r.response;
    return c.json({ groups: await store.listGroups(r.access.workshop.id) });
  });

  app.post('/:id/groups', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, CreateGroupInputSchema);
    if (!body.ok) return body.response;
    const group: Group = { id: randomId(10), workshopId: r.access.workshop.id, ...body.data, createdAt: new Date().toISOString() };
    await store.createGroup(group);
    await activity.publishGroup(group, null);
    await audit(store, r.access, c.get('viewer'), 'group.create', { groupId: group.id, name: group.name });
    return c.json({ group }, 201);
  });

  app.patch('/:id/groups/:groupId', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, UpdateGroupInputSchema);
    if (!body.ok) return body.response;
    const group = await store.getGroup(c.req.param('groupId'));
    if (!group || group.workshopId !== r.access.workshop.id) return apiError(c, 404, 'groupe introuvable');
    const next: Group = {
      ...group,
      ...(body.data.name !== undefined ? { name: body.data.name } : {}),
      ...(body.data.sectors !== undefined ? { sectors: body.data.sectors } : {}),
      ...(body.data.leverIds !== undefined ? { leverIds: body.data.leverIds } : {}),
    };
    await store.updateGroup(next);
    await activity.publishGroup(next, null);
    return c.json({ group: next });
  });

  /**
   * A group whose document holds entries not yet consolidated is kept: nothing typed is lost. Its invitation links
   * are revoked with it.
   */
  app.delete('/:id/groups/:groupId', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    const group = await store.getGroup(c.req.param('groupId'));
    if (!group || group.workshopId !== r.access.workshop.id) return apiError(c, 404, 'groupe introuvable');
    const workshop = r.access.workshop;
    const entries = await documents.rooms.write(groupDocumentName(workshop.id, group.id), workshop, (room) => readEntries(room.doc));
    const plenary = await documents.rooms.write(documentName(workshop.id, 'diagnostic'), workshop, (room) => readEntries(room.doc));
    const plan = planConsolidation(plenary, [{ groupId: group.id, groupName: group.name, entries }]);
    const waiting = plan.groupEntryCount;
    if (waiting > 0) return apiError(c, 409, `le groupe a ${waiting} entrée(s) pas encore consolidée(s) : consolidez-les dans le diagnostic avant de le supprimer`);
    await store.deleteGroup(group.id);
    await activity.removeGroup(group.workshopId, group.id);
    await audit(store, r.access, c.get('viewer'), 'group.delete', { groupId: group.id, name: group.name });
    return c.json({ ok: true });
  });

  /** Puts people in a group (or takes them out); their open documents follow at once. */
  app.post('/:id/groups-assign', async (c) => {
    const r = await requireWorkshop(c, store, 'groups.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, AssignGroupInputSchema);
    if (!body.ok) return body.response;
    if (body.data.groupId !== null) {
      const group = await store.getGroup(body.data.groupId);
      if (!group || group.workshopId !== r.access.workshop.id) return apiError(c, 404, 'groupe introuvable');
    }
    await store.setMembersGroup(r.access.workshop.id, body.data.memberIds, body.data.groupId);
    for (const id of body.data.memberIds) {
      const m = await store.getMember(id);
      if (m) documents.refreshMember(m);
    }
    await audit(store, r.access, c.get('viewer'), 'group.assign', { groupId: body.data.groupId, members: body.data.memberIds.length });
    return c.json({ ok: true });
  });

  return app;
}
