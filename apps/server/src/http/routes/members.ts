import { Hono } from 'hono';
import {
  COLLEGE_OF_CATEGORY,
  ChangeRoleInputSchema,
  CloseCode,
  SeatAccountInputSchema,
  canAssignRole,
  type Member,
} from '@agora/domain';
import { randomId } from '../../auth/tokens.ts';
import { requireWorkshop, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { allowed } from '../../auth/access.ts';
import { audit } from '../audit.ts';

/** A workshop's people: list (with who is online), role changes, removal, seating organiser accounts. */
export function memberRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents, votes } = deps;
  const app = new Hono<AppEnv>();

  app.get('/:id/members', async (c) => {
    const r = await requireWorkshop(c, store, 'people.read');
    if (!r.ok) return r.response;
    const online = documents.onlineMemberIds(r.access.workshop.id);
    const manager = allowed(r.access, 'people.manage');
    // Account and invitation ids are for those who manage people.
    const members = (await store.listMembers(r.access.workshop.id)).map((m) => ({
      ...m,
      userId: manager ? m.userId : null,
      invitationId: manager ? m.invitationId : null,
      online: online.has(m.id),
    }));
    return c.json({ members });
  });

  app.post('/:id/members', async (c) => {
    const r = await requireWorkshop(c, store, 'people.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, SeatAccountInputSchema);
    if (!body.ok) return body.response;
    if (!canAssignRole(r.access.role, null, body.data.role, r.access.isAdmin)) {
      return apiError(c, 403, 'votre rôle ne permet pas d’attribuer ce rôle');
    }
    const account = await store.getAccountByEmail(body.data.email);
    if (!account) return apiError(c, 404, 'aucun compte d’organisateur pour cette adresse', [{ path: 'email', message: 'compte inconnu' }]);
    if (await store.findMemberByAccount(r.access.workshop.id, account.id)) {
      return apiError(c, 409, 'ce compte fait déjà partie de l’atelier');
    }
    const member: Member = {
      id: randomId(),
      workshopId: r.access.workshop.id,
      name: account.name,
      organisation: account.organisation,
      category: account.category,
      college: COLLEGE_OF_CATEGORY[account.category],
      role: body.data.role,
      userId: account.id,
      invitationId: null,
      groupId: null,
      createdAt: new Date().toISOString(),
    };
    await store.createMember(member, null);
    await votes.refreshWorkshop(r.access.workshop);
    await audit(store, r.access, c.get('viewer'), 'member.seat', { memberId: member.id, name: member.name, role: member.role });
    return c.json({ member }, 201);
  });

  app.patch('/:id/members/:memberId', async (c) => {
    const r = await requireWorkshop(c, store, 'people.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, ChangeRoleInputSchema);
    if (!body.ok) return body.response;
    const target = await store.getMember(c.req.param('memberId'));
    if (!target || target.workshopId !== r.access.workshop.id) return apiError(c, 404, 'personne introuvable');
    if (target.id === r.access.member?.id && !r.access.isAdmin) {
      return apiError(c, 400, 'vous ne pouvez pas changer votre propre rôle : demandez-le à un co-président ou à un administrateur');
    }
    if (!canAssignRole(r.access.role, target.role, body.data.role, r.access.isAdmin)) {
      return apiError(c, 403, 'votre rôle ne permet pas ce changement');
    }
    await store.setMemberRole(target.id, body.data.role);
    const updated = { ...target, role: body.data.role };
    documents.refreshMember(updated);
    await votes.refreshWorkshop(r.access.workshop);
    await audit(store, r.access, c.get('viewer'), 'member.role', { memberId: target.id, name: target.name, from: target.role, to: body.data.role });
    const { sessionId: _s, ...member } = updated;
    return c.json({ member });
  });

  app.delete('/:id/members/:memberId', async (c) => {
    const r = await requireWorkshop(c, store, 'people.manage');
    if (!r.ok) return r.response;
    const target = await store.getMember(c.req.param('memberId'));
    if (!target || target.workshopId !== r.access.workshop.id) return apiError(c, 404, 'personne introuvable');
    if (target.id === r.access.member?.id) return apiError(c, 400, 'vous ne pouvez pas vous retirer vous-même');
    if (!canAssignRole(r.access.role, target.role, null, r.access.isAdmin)) {
      return apiError(c, 403, 'votre rôle ne permet pas de retirer cette personne');
    }
    await store.removeMember(target.id);
    documents.closeMembers([target.id], CloseCode.REVOKED, 'vous avez été retiré·e de l’atelier');
    await votes.refreshWorkshop(r.access.workshop);
    await audit(store, r.access, c.get('viewer'), 'member.remove', { memberId: target.id, name: target.name, role: target.role });
    return c.json({ ok: true });
  });

  return app;
}
