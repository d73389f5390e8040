import { Hono } from 'hono';
import {
  COLLEGE_OF_CATEGORY,
  CloseCode,
  CreateInvitationInputSchema,
  INVITATION_STATE_MESSAGES,
  InvitationTokenSchema,
  JoinInputSchema,
  invitationState,
  type Invitation,
  type Member,
} from '@agora/domain';
import { sessionCookie } from '../../auth/sessions.ts';
import { newInvitationToken, randomId } from '../../auth/tokens.ts';
import { clientAddress, isSecure, requireWorkshop, type AppContext, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { audit } from '../audit.ts';

function withState(inv: Invitation) {
  return { ...inv, state: invitationState(inv) };
}

/** Invitation links: managed by facilitators and co-chairs under /api/workshops/:id/invitations. */
export function invitationRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents } = deps;
  const app = new Hono<AppEnv>();

  app.get('/:id/invitations', async (c) => {
    const r = await requireWorkshop(c, store, 'invitations.manage');
    if (!r.ok) return r.response;
    return c.json({ invitations: (await store.listInvitations(r.access.workshop.id)).map(withState) });
  });

  app.post('/:id/invitations', async (c) => {
    const r = await requireWorkshop(c, store, 'invitations.manage');
    if (!r.ok) return r.response;
    const body = await readBody(c, CreateInvitationInputSchema);
    if (!body.ok) return body.response;
    if (body.data.groupId !== null) {
      const group = await store.getGroup(body.data.groupId);
      if (!group || group.workshopId !== r.access.workshop.id) {
        return apiError(c, 400, 'données invalides', [{ path: 'groupId', message: 'groupe inconnu dans cet atelier' }]);
      }
    }
    const now = Date.now();
    const invitation: Invitation = {
      id: randomId(),
      workshopId: r.access.workshop.id,
      token: newInvitationToken(),
      role: body.data.role,
      label: body.data.label,
      groupId: body.data.groupId,
      expiresAt: new Date(now + body.data.expiresInHours * 3_600_000).toISOString(),
      maxUses: body.data.maxUses,
      uses: 0,
      revokedAt: null,
      createdBy: r.access.member?.id ?? c.get('viewer')?.account?.id ?? 'admin',
      createdAt: new Date(now).toISOString(),
    };
    await store.createInvitation(invitation);
    await audit(store, r.access, c.get('viewer'), 'invitation.create', { invitationId: invitation.id, role: invitation.role, label: invitation.label });
    return c.json({ invitation: withState(invitation) }, 201);
  });

  /** Revokes a link: nobody can join with it any more, and the people who joined by it lose access at once. */
  app.delete('/:id/invitations/:invitationId', async (c) => {
    const r = await requireWorkshop(c, store, 'invitations.manage');
    if (!r.ok) return r.response;
    const inv = await store.getInvitation(c.req.param('invitationId'));
    if (!inv || inv.workshopId !== r.access.workshop.id) return apiError(c, 404, 'invitation introuvable');
    const removed = await store.revokeInvitation(inv.id, new Date().toISOString());
    documents.closeMembers(removed, CloseCode.REVOKED, 'invitation révoquée : votre accès à l’atelier est fermé');
    if (removed.length > 0) await deps.votes.refreshWorkshop(r.access.workshop);
    await audit(store, r.access, c.get('viewer'), 'invitation.revoke', { invitationId: inv.id, membersRemoved: removed.length });
    return c.json({ ok: true, membersRemoved: removed.length });
  });

  return app;
}

/** Joining by link, without an account: /api/join/:token. */
export function joinRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, sessions, security } = deps;
  const app = new Hono<AppEnv>();

  async function findValid(c: AppContext) {
    const wait = deps.limits.joinByAddress.hit(clientAddress(c, security));
    if (wait) {
      c.header('Retry-After', String(wait));
      return { ok: false as const, response: apiError(c, 429, `trop de tentatives : réessayez dans ${wait} s`) };
    }
    const token = c.req.param('token') ?? '';
    const inv = InvitationTokenSchema.safeParse(token).success ? await store.getInvitationByToken(token) : null;
    if (!inv) return { ok: false as const, response: apiError(c, 404, 'lien d’invitation inconnu') };
    const workshop = await store.getWorkshop(inv.workshopId);
    if (!workshop) return { ok: false as const, response: apiError(c, 404, 'lien d’invitation inconnu') };
    return { ok: true as const, inv, workshop };
  }

  /** What the join page shows before asking for a name: the workshop, the role, and whether the link still works. */
  app.get('/:token', async (c) => {
    const found = await findValid(c);
    if (!found.ok) return found.response;
    const { inv, workshop } = found;
    const state = invitationState(inv);
    const viewer = c.get('viewer');
    const existing = viewer
      ? viewer.account
        ? await store.findMemberByAccount(workshop.id, viewer.account.id)
        : await store.findMemberBySession(workshop.id, viewer.session.id)
      : null;
    return c.json({
      workshop: { id: workshop.id, name: workshop.name, regionCode: workshop.regionCode, date: workshop.date },
      role: inv.role,
      state,
      message: state === 'valid' ? null : INVITATION_STATE_MESSAGES[state],
      member: existing,
    });
  });

  app.post('/:token', async (c) => {
    const found = await findValid(c);
    if (!found.ok) return found.response;
    const { inv, workshop } = found;
    const viewer = c.get('viewer');
    // Coming back in the same browser: the identity is already there.
    const existing = viewer
      ? viewer.account
        ? await store.findMemberByAccount(workshop.id, viewer.account.id)
        : await store.findMemberBySession(workshop.id, viewer.session.id)
      : null;
    if (existing) return c.json({ member: existing, workshopId: workshop.id });

    const state = invitationState(inv);
    if (state !== 'valid') return apiError(c, 410, INVITATION_STATE_MESSAGES[state]);
    const body = await readBody(c, JoinInputSchema);
    if (!body.ok) return body.response;

    // An organiser account joins under its account; anyone else gets a link session (no account, no e-mail).
    let sessionId = viewer?.session.id ?? '';
    let linkSession = false;
    if (!viewer) {
      const created = await sessions.create(null);
      sessionId = created.session.id;
      linkSession = true;
      c.header('Set-Cookie', sessionCookie(created.token, created.session.expiresAt, isSecure(c, security)), { append: true });
    }
    const member: Member = {
      id: randomId(),
      workshopId: workshop.id,
      name: body.data.name,
      organisation: body.data.organisation,
      category: body.data.category,
      college: COLLEGE_OF_CATEGORY[body.data.category],
      role: inv.role,
      userId: viewer?.account?.id ?? null,
      invitationId: inv.id,
      groupId: inv.groupId,
      createdAt: new Date().toISOString(),
    };
    const result = await store.joinWithInvitation(inv.id, member, viewer?.account ? null : sessionId, Date.now());
    if (result !== 'valid') {
      // The link ran out meanwhile (last use taken, revoked, expired): the session made for this join is of no use.
      if (linkSession) {
        await sessions.invalidate(sessionId);
        c.header('Set-Cookie', undefined);
      }
      return apiError(c, 410, INVITATION_STATE_MESSAGES[result]);
    }
    await deps.votes.refreshWorkshop(workshop); // one more voter: participation figures follow
    return c.json({ member, workshopId: workshop.id }, 201);
  });

  return app;
}
