import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, startTestServer } from './helpers.ts';

let s: RunningServer;
let cookie: string;
beforeAll(async () => {
  s = await startTestServer();
  cookie = await adminCookie(s);
});
afterAll(async () => {
  await s.close();
});

function post(path: string, body: unknown) {
  return fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const get = (path: string) => fetch(`${s.url}${path}`, { headers: { cookie } });

describe('REST API', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers /readyz and serves Prometheus metrics', async () => {
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await fetch(`${s.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    for (const name of ['agora_connections', 'agora_loaded_documents', 'agora_document_updates_in_total', 'agora_document_updates_refused_total', 'agora_ballot_latency_seconds', 'agora_redis_lag_seconds']) {
      expect(text, name).toContain(name);
    }
  });

  it('creates, lists and reads workshops', async () => {
    const res = await post('/api/workshops', { name: '  COP Bretagne  ', regionCode: '53', date: '2026-12-10' });
    expect(res.status).toBe(201);
    const { workshop } = (await res.json()) as { workshop: { id: string; name: string; stage: string } };
    expect(workshop.name).toBe('COP Bretagne');
    expect(workshop.stage).toBe('diagnostic');
    expect(workshop.id).toMatch(/^[a-z2-7]{12}$/);

    const list = (await (await get('/api/workshops')).json()) as { workshops: { id: string }[] };
    expect(list.workshops.map((w) => w.id)).toContain(workshop.id);

    const one = await get(`/api/workshops/${workshop.id}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { workshop: { id: string } }).workshop.id).toBe(workshop.id);
  });

  it('refuses bad workshop input with 400 and per-field issues, storing nothing', async () => {
    const before = ((await (await get('/api/workshops')).json()) as { workshops: unknown[] }).workshops.length;
    const cases: [unknown, string][] = [
      [{ name: 'ab', regionCode: '84', date: '2026-12-03' }, 'name'],
      [{ name: 'COP', regionCode: 'xx', date: '2026-12-03' }, 'regionCode'],
      [{ name: 'COP test', regionCode: '84', date: '2026-02-30' }, 'date'],
      [{ name: 'COP test', regionCode: '84', date: '2026-12-03', admin: true }, ''],
      [{ name: 'COP test', regionCode: '99', date: '2026-12-03' }, 'regionCode'],
      // NUL and other control characters (PostgreSQL refuses NUL in text): refused wherever they are.
      [{ name: 'COP\u0000test', regionCode: '84', date: '2026-12-03' }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await post('/api/workshops', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
      expect(err.error).toBeTruthy();
      expect(err.issues.some((i) => i.path === path), JSON.stringify(err)).toBe(true);
    }
    const bad = await post('/api/workshops', '{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/JSON/);
    const big = await post('/api/workshops', { name: 'x'.repeat(100_000), regionCode: '84', date: '2026-12-03' });
    expect(big.status).toBe(413);
    const after = ((await (await get('/api/workshops')).json()) as { workshops: unknown[] }).workshops.length;
    expect(after).toBe(before);
  });

  it('answers 404 for unknown workshops and routes', async () => {
    expect((await get('/api/workshops/aaaaaaaaaaaa')).status).toBe(404);
    expect((await get('/api/workshops/..%2F..')).status).toBe(404);
    const res = await fetch(`${s.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
  });

  it('serves regions, a region catalogue and its territories', async () => {
    const { regions } = (await (await fetch(`${s.url}/api/regions`)).json()) as {
      regions: { code: string; name: string; hasCatalogue: boolean }[];
    };
    expect(regions.find((r) => r.code === '84')).toMatchObject({ name: 'Auvergne-Rhône-Alpes', hasCatalogue: true });

    const cat = (await (await fetch(`${s.url}/api/regions/84/catalogue`)).json()) as {
      regionCode: string;
      levers: { id: string; panorama: string; unit: string }[];
      sectors: { id: string; label: string }[];
      source: { caveat: string };
    };
    expect(cat.regionCode).toBe('84');
    expect(cat.levers.some((l) => l.id === 'augm_voitelec')).toBe(true);
    expect(cat.levers.some((l) => l.panorama === 'biodiversite-ressources')).toBe(true);
    expect(cat.sectors.length).toBeGreaterThan(3);
    expect(cat.source.caveat).toMatch(/n.engagent en rien/);

    const terr = (await (await fetch(`${s.url}/api/regions/84/territories`)).json()) as {
      departements: { code: string }[];
      epcis: { siren: string }[];
    };
    expect(terr.departements).toHaveLength(12);
    expect(terr.epcis.some((e) => e.siren === '200046977')).toBe(true);

    expect((await fetch(`${s.url}/api/regions/xx/catalogue`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/regions/99/territories`)).status).toBe(404);
  });

  it('says how to build the web app when it is missing', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/pnpm build/);
  });
});
