import { Hono } from 'hono';
import { CreateWorkshopInputSchema, WorkshopIdSchema, type Workshop } from '@agora/domain';
import { getRegionCatalogue } from '@agora/domain/catalogue';
import type { Store } from '../../store/store.ts';
import { apiError, readBody } from '../errors.ts';
import { newWorkshopId } from '../ids.ts';

export function workshopRoutes(store: Store): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ workshops: await store.listWorkshops() }));

  app.post('/', async (c) => {
    const body = await readBody(c, CreateWorkshopInputSchema);
    if (!body.ok) return body.response;
    if (!getRegionCatalogue(body.data.regionCode)) {
      return apiError(c, 400, 'données invalides', [
        { path: 'regionCode', message: `aucun catalogue de leviers pour la région ${body.data.regionCode}` },
      ]);
    }
    const workshop: Workshop = {
      id: newWorkshopId(),
      name: body.data.name,
      regionCode: body.data.regionCode,
      date: body.data.date,
      stage: 'diagnostic',
      createdAt: new Date().toISOString(),
    };
    await store.createWorkshop(workshop);
    return c.json({ workshop }, 201);
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!WorkshopIdSchema.safeParse(id).success) return apiError(c, 404, 'atelier introuvable');
    const workshop = await store.getWorkshop(id);
    if (!workshop) return apiError(c, 404, 'atelier introuvable');
    return c.json({ workshop });
  });

  return app;
}
