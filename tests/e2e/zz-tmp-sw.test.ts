import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startApp, type AppProcess } from './harness.ts';
import { WAIT, addEntryInBrowser, createWorkshopInBrowser, entryCard, firstPage, hydrated, setupAdminInBrowser } from './flows.ts';

describe('tmp sw', () => {
  let app: AppProcess; let b: BrowserContext; let p: Page;
  beforeAll(async () => { app = await startApp(); b = await launchBrowser(); p = await firstPage(b); p.on('dialog', d => void d.accept()); p.on('console', m => console.log('PAGE', m.text())); });
  afterAll(async () => { await b?.close(); await app?.stop(); });
  it('reload with the server down', async () => {
    await setupAdminInBrowser(p, app.url);
    const id = await createWorkshopInBrowser(p, 'COP test SW');
    await p.waitForSelector('[data-testid="connection-status"][data-offline-ready="true"]', WAIT);
    await b.setOffline(true);
    const st = await p.evaluate(async () => { try { const r = await fetch('/healthz'); return r.status; } catch (e) { return String(e); } });
    console.log('healthz while offline:', st);
    const st2 = await p.evaluate(async (id) => { try { const r = await fetch('/api/workshops/' + id); return r.status + ' ' + (await r.text()).slice(0, 60); } catch (e) { return String(e); } }, id);
    console.log('api while offline (via SW):', st2);
    await b.setOffline(false);
    await app.stop();
    await addEntryInBrowser(p, 'Serveur arrêté');
    console.log('label:', await p.locator('[data-testid="connection-label"]').textContent());
    await p.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(p);
    await entryCard(p, 'Serveur arrêté').waitFor({ state: 'visible', ...WAIT });
    console.log('label after reload:', await p.locator('[data-testid="connection-label"]').textContent());
    await p.screenshot({ path: '/tmp/shot-server-down.png', fullPage: false });
  });
});
