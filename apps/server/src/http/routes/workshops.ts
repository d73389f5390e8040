import { Hono } from 'hono';
import {
  COLLEGE_OF_CATEGORY,
  CreateWorkshopInputSchema,
  StageChangeInputSchema,
  documentName,
  writeStage,
  WORKSHOP_ROLES,
  type Member,
  type Workshop,
} from '@agora/domain';
import { getRegionCatalogue } from '@agora/domain/catalogue';
import * as z from 'zod';
import { rightsOf } from '../../auth/access.ts';
import { randomId } from '../../auth/tokens.ts';
import { requireWorkshop, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { newWorkshopId } from '../ids.ts';
import { audit } from '../audit.ts';

/** The creator sits in the workshop as a facilitator, or in one of the co-chair seats. */
const CreateWorkshopBodySchema = CreateWorkshopInputSchema.extend({
  creatorRole: z.enum(['animateur', 'copresident-etat', 'copresident-region'] satisfies (typeof WORKSHOP_ROLES)[number][]).default('animateur'),
});

export function workshopRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, documents } = deps;
  const app = new Hono<AppEnv>();

  /** The workshops the viewer belongs to (administrators see all). */
  app.get('/', async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) return apiError(c, 401, 'connexion requise');
    const workshops = viewer.account?.isAdmin
      ? await store.listWorkshops()
      : await store.listWorkshopsOf({ userId: viewer.account?.id ?? null, sessionId: viewer.session.id });
    return c.json({ workshops });
  });

  /** Organiser accounts create workshops. */
  app.post('/', async (c) => {
    const account = c.get('viewer')?.account;
    if (!account) return apiError(c, 401, 'connexion d’organisateur requise');
    const body = await readBody(c, CreateWorkshopBodySchema);
    if (!body.ok) return body.response;
    if (!getRegionCatalogue(body.data.regionCode)) {
      return apiError(c, 400, 'données invalides', [
        { path: 'regionCode', message: `aucun catalogue de leviers pour la région ${body.data.regionCode}` },
      ]);
    }
    const now = new Date().toISOString();
    const workshop: Workshop = {
      id: newWorkshopId(),
      name: body.data.name,
      regionCode: body.data.regionCode,
      date: body.data.date,
      stage: 'diagnostic',
      createdAt: now,
    };
    const member: Member = {
      id: randomId(),
      workshopId: workshop.id,
      name: account.name,
      organisation: account.organisation,
      category: account.category,
      college: COLLEGE_OF_CATEGORY[account.category],
      role: body.data.creatorRole,
      userId: account.id,
      invitationId: null,
      groupId: null,
      createdAt: now,
    };
    await store.createWorkshop(workshop);
    await store.createMember(member, null);
    return c.json({ workshop }, 201);
  });

  app.get('/:id', async (c) => {
    const r = await requireWorkshop(c, store, 'workshop.read');
    if (!r.ok) return r.response;
    return c.json({ workshop: r.access.workshop });
  });

  /** The viewer's own identity and rights in this workshop (the UI shows or hides controls from it). */
  app.get('/:id/me', async (c) => {
    const r = await requireWorkshop(c, store, 'workshop.read');
    if (!r.ok) return r.response;
    return c.json({ member: r.access.member, role: r.access.role, isAdmin: r.access.isAdmin, rights: rightsOf(r.access) });
  });

  /** Moves the workshop to another stage; every screen follows through the live document. */
  app.post('/:id/stage', async (c) => {
    const r = await requireWorkshop(c, store, 'stage.change');
    if (!r.ok) return r.response;
    const body = await readBody(c, StageChangeInputSchema);
    if (!body.ok) return body.response;
    const before = r.access.workshop;
    const workshop = { ...before, stage: body.data.stage };
    await store.setWorkshopStage(workshop.id, workshop.stage);
    await documents.rooms.write(documentName(workshop.id, 'live'), workshop, (room) => writeStage(room.doc, workshop.stage));
    await audit(store, r.access, c.get('viewer'), 'stage.change', { from: before.stage, to: workshop.stage });
    return c.json({ workshop });
  });

  /** The workshop's moderation log, newest first. */
  app.get('/:id/audit', async (c) => {
    const r = await requireWorkshop(c, store, 'audit.read');
    if (!r.ok) return r.response;
    return c.json({ entries: await store.listAudit(r.access.workshop.id) });
  });

  return app;
}
