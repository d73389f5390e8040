/**
 * Issue 2 — the live co-edited diagnostic, end to end in two browsers: the administrator is set up through
 * /configuration, creates a workshop and an invitation link; a second browser joins by that link; an entry added
 * in one browser appears in the other, and is still there after a reload.
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

describe.skipIf(!browserTestsAvailable())('diagnostic in two browsers', () => {
  let app: AppProcess;
  let organiserBrowser: BrowserContext;
  let participantBrowser: BrowserContext;
  let organiser: Page;
  let participant: Page;

  beforeAll(async () => {
    app = await startApp();
    [organiserBrowser, participantBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    organiser = await firstPage(organiserBrowser);
    participant = await firstPage(participantBrowser);
  });

  afterAll(async () => {
    await Promise.allSettled([organiserBrowser?.close(), participantBrowser?.close()]);
    await app?.stop();
  });

  it('shares entries live between two browsers and keeps them across a reload', async () => {
    // The administrator configures the tool and creates a workshop, in the browser.
    await setupAdminInBrowser(organiser, app.url);
    await expect(organiser.locator('[data-testid="account-name"]').textContent(WAIT)).resolves.toContain('Alice Administratrice');
    const workshopId = await createWorkshopInBrowser(organiser, 'COP Bretagne — diagnostic partagé');
    const workshopUrl = `${app.url}/ateliers/${workshopId}`;

    // The second browser joins through an invitation link.
    const link = await createInvitationInBrowser(organiser, 'Atelier diagnostic');
    expect(link).toMatch(new RegExp(`^${app.url}/rejoindre/[a-z2-7]{26}$`));
    await joinInBrowser(participant, link, { name: 'Bruno Participant', organisation: 'Rennes Métropole', category: 'epci' });
    expect(participant.url()).toBe(workshopUrl);

    await open(organiser, workshopUrl);
    await waitConnected(organiser);

    // An entry added by the organiser appears in the participant's browser…
    await addEntryInBrowser(organiser, 'Réseau express vélo');
    await entryCard(participant, 'Réseau express vélo').waitFor({ state: 'visible', ...WAIT });
    await expect(entryCard(participant, 'Réseau express vélo').textContent()).resolves.toContain('Alice Administratrice');

    // …and one added by the participant appears in the organiser's, signed with the participant's member name.
    await addEntryInBrowser(participant, 'Covoiturage domicile-travail');
    await entryCard(organiser, 'Covoiturage domicile-travail').waitFor({ state: 'visible', ...WAIT });
    await expect(entryCard(organiser, 'Covoiturage domicile-travail').textContent()).resolves.toContain('Bruno Participant');

    // After a reload the participant is still a member (same browser) and both entries are still there.
    await participant.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(participant);
    await waitConnected(participant);
    await entryCard(participant, 'Réseau express vélo').waitFor({ state: 'visible', ...WAIT });
    await entryCard(participant, 'Covoiturage domicile-travail').waitFor({ state: 'visible', ...WAIT });
    await expect(participant.locator('[data-testid="entry-card"]').count()).resolves.toBe(2);
    await expect(participant.locator('[data-testid="signed-as"]').textContent(WAIT)).resolves.toContain('Bruno Participant');
  });
});
