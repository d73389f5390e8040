/**
 * Issue 3 — identity, roles and joining by link, end to end: an organiser signs in, creates a workshop and an
 * invitation link in the UI; a second browser joins by the link with a name and edits the diagnostic; the organiser
 * sees the entry and the person by name (presence, people page "en ligne"); then revokes the link, and the second
 * browser says so and stops reconnecting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTestsAvailable, launchBrowser, startApp, type AppProcess } from './harness.ts';
import {
  ADMIN,
  WAIT,
  addEntryInBrowser,
  api,
  createInvitationInBrowser,
  createWorkshopInBrowser,
  entryCard,
  firstPage,
  joinInBrowser,
  signInInBrowser,
  waitConnected,
} from './flows.ts';

const ORGANISER = {
  email: 'olivier.organisateur@example.fr',
  name: 'Olivier Organisateur',
  organisation: 'Conseil régional de Bretagne',
  category: 'conseil-regional',
  password: 'un mot de passe provisoire',
  isAdmin: false,
};

describe.skipIf(!browserTestsAvailable())('identity: sign-in, invitation link, presence, revocation', () => {
  let app: AppProcess;
  let organiserBrowser: BrowserContext;
  let participantBrowser: BrowserContext;
  let organiser: Page;
  let participant: Page;

  beforeAll(async () => {
    app = await startApp();
    // The administrator and the organiser's account are set up through the API; everything else goes through the UI.
    const setup = await api(app.url, 'POST', '/api/auth/setup', { ...ADMIN });
    expect(setup.status).toBe(201);
    const created = await api(app.url, 'POST', '/api/auth/accounts', ORGANISER, setup.cookie);
    expect(created.status).toBe(201);
    [organiserBrowser, participantBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    organiser = await firstPage(organiserBrowser);
    participant = await firstPage(participantBrowser);
  });

  afterAll(async () => {
    await Promise.allSettled([organiserBrowser?.close(), participantBrowser?.close()]);
    await app?.stop();
  });

  it('lets a person join by link, shows them to the organiser, and cuts them off when the link is revoked', async () => {
    // The organiser signs in and creates a workshop, seated as the Region's co-chair.
    await signInInBrowser(organiser, app.url, ORGANISER.email, ORGANISER.password);
    await expect(organiser.locator('[data-testid="account-name"]').textContent(WAIT)).resolves.toContain(ORGANISER.name);
    await organiser.selectOption('[data-testid="workshop-creator-role"]', 'copresident-region');
    const workshopId = await createWorkshopInBrowser(organiser, 'COP Bretagne — atelier énergie');
    // A co-chair sees the organiser's entries of the workshop's navigation.
    await expect(organiser.locator('[data-testid="workshop-nav"] a').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Diagnostic', 'Personnes', 'Invitations', 'Console', 'Projecteur']),
    );
    const link = await createInvitationInBrowser(organiser, 'Plénière énergie');

    // A second browser (no account) joins with a name and adds an entry.
    await joinInBrowser(participant, link, { name: 'Chloé Participante', organisation: 'CCI Bretagne', category: 'organisme-consulaire' });
    await expect(participant.locator('[data-testid="signed-as"]').textContent(WAIT)).resolves.toContain('Chloé Participante');
    await expect(participant.locator('[data-testid="workshop-nav-invitations"]').count()).resolves.toBe(0);
    await addEntryInBrowser(participant, 'Bornes de recharge rurales');

    // The organiser sees the entry, signed with her name, and her presence.
    await organiser.click('[data-testid="workshop-nav-diagnostic"]', WAIT);
    await organiser.waitForURL(`${app.url}/ateliers/${workshopId}`, WAIT);
    await waitConnected(organiser);
    const card = entryCard(organiser, 'Bornes de recharge rurales');
    await card.waitFor({ state: 'visible', ...WAIT });
    await expect(card.textContent()).resolves.toContain('Chloé Participante');
    await organiser.locator('[data-testid="presence-peer"]', { hasText: 'Chloé Participante' }).waitFor({ state: 'visible', ...WAIT });

    // …and on the people page, with her organisation, role and "en ligne"; the État co-chair seat is vacant.
    await organiser.click('[data-testid="workshop-nav-personnes"]', WAIT);
    await organiser.waitForURL(`${app.url}/ateliers/${workshopId}/personnes`, WAIT);
    const row = organiser.locator('[data-testid="person-row"]', { hasText: 'Chloé Participante' });
    await row.waitFor({ state: 'visible', ...WAIT });
    await organiser.locator('[data-testid="person-row"][data-online="true"]', { hasText: 'Chloé Participante' }).waitFor(WAIT);
    await expect(row.locator('[data-testid="person-online"]').textContent()).resolves.toContain('en ligne');
    await expect(row.textContent()).resolves.toContain('CCI Bretagne');
    await expect(organiser.locator('[data-testid="cochair-seat"][data-role="copresident-region"]').textContent()).resolves.toContain(
      ORGANISER.name,
    );
    await expect(organiser.locator('[data-testid="cochair-seat"][data-role="copresident-etat"]').textContent()).resolves.toContain(
      'Siège vacant',
    );

    // The organiser revokes the link (with confirmation).
    let socketsAfterRevocation = 0;
    participant.on('websocket', () => socketsAfterRevocation++);
    await organiser.click('[data-testid="workshop-nav-invitations"]', WAIT);
    const invitation = organiser.locator('[data-testid="invitation"]', { hasText: 'Plénière énergie' });
    await invitation.locator('[data-testid="invitation-revoke"]').click(WAIT);
    await invitation.locator('[data-testid="invitation-revoke-confirm"]').click(WAIT);
    await organiser.locator('[data-testid="invitation"][data-state="revoked"]', { hasText: 'Plénière énergie' }).waitFor(WAIT);

    // The participant's page explains it and stops: no reconnection, no more editing.
    const lost = participant.locator('[data-testid="access-lost"]');
    await lost.waitFor({ state: 'visible', ...WAIT });
    await expect(lost.getAttribute('data-code')).resolves.toBe('4410');
    await expect(lost.textContent()).resolves.toContain('Accès révoqué');
    await expect(lost.textContent()).resolves.toContain('invitation révoquée');
    await expect(participant.locator('[data-testid="connection-label"]').textContent()).resolves.toBe('Déconnecté');
    await expect(participant.locator('[data-testid="add-entry"]').isDisabled()).resolves.toBe(true);
    await participant.waitForTimeout(3_000);
    expect(socketsAfterRevocation).toBe(0);
    await expect(participant.locator('[data-testid="connection-status"]').getAttribute('data-connection')).resolves.toBe('offline');

    // The people page no longer lists her (revoking the link removed the people who joined by it).
    await organiser.click('[data-testid="workshop-nav-personnes"]', WAIT);
    await organiser.locator('[data-testid="person-row"]').first().waitFor(WAIT);
    await expect(organiser.locator('[data-testid="person-row"]', { hasText: 'Chloé Participante' }).count()).resolves.toBe(0);
  });
});
