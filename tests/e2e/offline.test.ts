/**
 * Offline first — nothing typed is lost on a bad wifi: a participant goes offline, adds two entries (the page says
 * they are pending and kept on this device), reloads the page while still offline (the service worker serves the
 * page, IndexedDB the entries, localStorage the pending count), then comes back online: the entries reach the server
 * and a second browser exactly once each, and the pending count returns to 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTestsAvailable, launchBrowser, startApp, type AppProcess } from './harness.ts';
import {
  WAIT,
  addEntryInBrowser,
  createInvitationInBrowser,
  createWorkshopInBrowser,
  entryCard,
  firstPage,
  hydrated,
  joinInBrowser,
  open,
  setupAdminInBrowser,
  waitConnected,
} from './flows.ts';

const TITLES = ['Pédibus des écoles de Vannes', 'Atelier vélo solidaire de Lorient'] as const;

function label(page: Page) {
  return page.locator('[data-testid="connection-label"]');
}

describe.skipIf(!browserTestsAvailable())('offline first', () => {
  let app: AppProcess;
  let organiserBrowser: BrowserContext;
  let participantBrowser: BrowserContext;
  let organiser: Page;
  let participant: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    [organiserBrowser, participantBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    organiser = await firstPage(organiserBrowser);
    participant = await firstPage(participantBrowser);
    // "Leave the page?" while offline with pending changes: accept (the changes are kept on the device anyway).
    participant.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
  });

  afterAll(async () => {
    await Promise.allSettled([organiserBrowser?.close(), participantBrowser?.close()]);
    await app?.stop();
  });

  it('keeps entries added offline across a reload and sends them exactly once when back online', async () => {
    await setupAdminInBrowser(organiser, app.url);
    const workshopId = await createWorkshopInBrowser(organiser, 'COP Bretagne — wifi capricieux');
    const workshopUrl = `${app.url}/ateliers/${workshopId}`;
    const link = await createInvitationInBrowser(organiser, 'Atelier hors ligne');
    await joinInBrowser(participant, link, { name: 'Dora Déconnectée', organisation: 'Lorient Agglomération', category: 'epci' });
    await open(organiser, workshopUrl);
    await waitConnected(organiser);

    // The page can be opened again without a network (service worker ready, page and data kept).
    await participant.waitForSelector('[data-testid="connection-status"][data-offline-ready="true"]', WAIT);
    await expect(label(participant).textContent()).resolves.toBe('Connecté — tout est enregistré sur le serveur');

    // The wifi drops: two entries are added offline.
    await participantBrowser.setOffline(true);
    await participant.waitForSelector('[data-testid="connection-status"][data-connection="offline"]', WAIT);
    for (const title of TITLES) await addEntryInBrowser(participant, title);
    await participant.waitForSelector('[data-testid="connection-status"][data-pending="2"]', WAIT);
    await expect(label(participant).textContent()).resolves.toContain('Hors ligne — 2 modifications en attente');
    await expect(label(participant).textContent()).resolves.toContain('conservées sur cet appareil');

    // Nothing reached the organiser.
    await organiser.waitForTimeout(500);
    for (const title of TITLES) await expect(entryCard(organiser, title).count()).resolves.toBe(0);

    // A reload while still offline: the page opens, the entries and the pending count are still there.
    await participant.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(participant);
    expect(dialogs).toContain('beforeunload');
    for (const title of TITLES) await entryCard(participant, title).waitFor({ state: 'visible', ...WAIT });
    await participant.waitForSelector('[data-testid="connection-status"][data-connection="offline"][data-pending="2"]', WAIT);
    await expect(label(participant).textContent()).resolves.toContain('Hors ligne — 2 modifications en attente');

    // Back online: the entries reach the server and the other browser, once each; the counter returns to 0.
    await participantBrowser.setOffline(false);
    await waitConnected(participant);
    await participant.waitForSelector('[data-testid="connection-status"][data-pending="0"]', WAIT);
    await expect(label(participant).textContent()).resolves.toBe('Connecté — tout est enregistré sur le serveur');
    for (const title of TITLES) {
      await entryCard(organiser, title).waitFor({ state: 'visible', ...WAIT });
      await expect(entryCard(organiser, title).textContent()).resolves.toContain('Dora Déconnectée');
    }
    await organiser.waitForTimeout(1_000);
    for (const title of TITLES) {
      await expect(entryCard(organiser, title).count()).resolves.toBe(1);
      await expect(entryCard(participant, title).count()).resolves.toBe(1);
    }
    await expect(organiser.locator('[data-testid="entry-card"]').count()).resolves.toBe(2);

    // The server kept them once each: a fresh load of the organiser's page shows the same.
    await organiser.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(organiser);
    await waitConnected(organiser);
    for (const title of TITLES) await entryCard(organiser, title).waitFor({ state: 'visible', ...WAIT });
    await expect(organiser.locator('[data-testid="entry-card"]').count()).resolves.toBe(2);
  });

  it('forgets a refused edit on this device too (the local copy is cleared)', async () => {
    // The server refuses the next connection's edits (4422), as it does for an edit that breaks a domain rule.
    let refuse = false;
    await participant.routeWebSocket(/\/ws\/[a-z2-7]{12}:diagnostic$/, (ws) => {
      if (refuse) {
        refuse = false;
        void ws.close({ code: 4422, reason: 'modification refusée (test)' });
        return;
      }
      ws.connectToServer();
    });
    await participant.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(participant);
    await waitConnected(participant);

    await participantBrowser.setOffline(true);
    await participant.waitForSelector('[data-testid="connection-status"][data-connection="offline"]', WAIT);
    await addEntryInBrowser(participant, 'Entrée refusée par le serveur');
    await participant.waitForSelector('[data-testid="connection-status"][data-pending="1"]', WAIT);

    refuse = true;
    await participantBrowser.setOffline(false);
    await participant.locator('[data-testid="session-alert"]', { hasText: 'refusée' }).waitFor({ state: 'visible', ...WAIT });
    await waitConnected(participant);
    await participant.waitForSelector('[data-testid="connection-status"][data-pending="0"]', WAIT);
    await expect(entryCard(participant, 'Entrée refusée par le serveur').count()).resolves.toBe(0);
    for (const title of TITLES) await expect(entryCard(participant, title).count()).resolves.toBe(1);

    // It does not come back from IndexedDB at the next load.
    await participant.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(participant);
    await waitConnected(participant);
    for (const title of TITLES) await entryCard(participant, title).waitFor({ state: 'visible', ...WAIT });
    await expect(entryCard(participant, 'Entrée refusée par le serveur').count()).resolves.toBe(0);
    await expect(entryCard(organiser, 'Entrée refusée par le serveur').count()).resolves.toBe(0);
    await participant.unrouteAll({ behavior: 'ignoreErrors' });
  });
});
