import { Hono } from 'hono';
import { RegionCodeSchema } from '@agora/domain';
import { SECTORS, getRegionCatalogue } from '@agora/domain/catalogue';
import { getRegion, getRegionTerritories, listRegions } from '@agora/domain/territories';
import { apiError } from '../errors.ts';
import type { AppEnv } from '../context.ts';

export function regionRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', (c) =>
    c.json({
      regions: listRegions().map((r) => ({ code: r.code, name: r.name, hasCatalogue: getRegionCatalogue(r.code) !== null })),
    }),
  );

  app.get('/:code/catalogue', (c) => {
    const code = c.req.param('code');
    if (!RegionCodeSchema.safeParse(code).success || !getRegion(code)) return apiError(c, 404, 'région inconnue');
    const catalogue = getRegionCatalogue(code);
    if (!catalogue) return apiError(c, 404, 'aucun catalogue de leviers pour cette région');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ ...catalogue, sectors: SECTORS });
  });

  app.get('/:code/territories', (c) => {
    const code = c.req.param('code');
    const territories = RegionCodeSchema.safeParse(code).success ? getRegionTerritories(code) : null;
    if (!territories) return apiError(c, 404, 'région inconnue');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(territories);
  });

  return app;
}
