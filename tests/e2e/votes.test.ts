/**
 * Votes of the débat, end to end: a co-chair moves the workshop to the débat stage (the projector and the participants'
 * steppers follow), prepares and opens a vote in the console; two participants vote in
 * their own browsers and see « Vote enregistré »; the projector shows the participation (2) live; after the console
 * closes the vote and publishes the results, the projector and the participants show the result (bars and table
 * with the right counts). A reload of a participant's page confirms their ballot from the server.
 *
 * Set-up (administrator, workshop, invitation, joins) goes through the API with `fetch`; the session cookies are then
 * put into each browser context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTestsAvailable, launchBrowser, startApp, type AppProcess } from './harness.ts';
import { ADMIN, WAIT, api, firstPage, hydrated } from './flows.ts';

const PARTICIPANTS = [
  { name: 'Paul Martin', organisation: 'CCI Bretagne', category: 'organisme-consulaire' },
  { name: 'Zoé Leroy', organisation: 'Eau et rivières de Bretagne', category: 'association-societe-civile' },
] as const;

const QUESTION = 'Adopter l’objectif régional : −40 % d’émissions du transport routier d’ici 2030 ?';

/** Puts a session cookie (`agora_session=…`) into a browser context for the app's origin. */
async function signInContext(context: BrowserContext, base: string, cookie: string): Promise<void> {
  const eq = cookie.indexOf('=');
  await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: base }]);
}

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', ...WAIT });
  await hydrated(page);
}

describe.skipIf(!browserTestsAvailable())('votes: console, ballots, projector', () => {
  let app: AppProcess;
  let workshopId: string;
  let adminCookie: string;
  const participantCookies: string[] = [];
  let organiserBrowser: BrowserContext;
  const participantBrowsers: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startApp();
    const setup = await api(app.url, 'POST', '/api/auth/setup', { ...ADMIN });
    expect(setup.status).toBe(201);
    adminCookie = setup.cookie ?? '';
    expect(adminCookie).toMatch(/^agora_session=/);
    const created = await api(
      app.url,
      'POST',
      '/api/workshops',
      { name: 'COP Bretagne — plénière mobilités', regionCode: '53', date: '2025-06-12', creatorRole: 'copresident-etat' },
      adminCookie,
    );
    expect(created.status).toBe(201);
    workshopId = (created.body as { workshop: { id: string } }).workshop.id;
    const invitation = await api(app.url, 'POST', `/api/workshops/${workshopId}/invitations`, { role: 'participant' }, adminCookie);
    expect(invitation.status).toBe(201);
    const token = (invitation.body as { invitation: { token: string } }).invitation.token;
    for (const who of PARTICIPANTS) {
      const joined = await api(app.url, 'POST', `/api/join/${token}`, who);
      expect(joined.status).toBe(201);
      participantCookies.push(joined.cookie ?? '');
    }

    const browsers = await Promise.all([launchBrowser(), launchBrowser(), launchBrowser()]);
    organiserBrowser = browsers[0]!;
    participantBrowsers.push(browsers[1]!, browsers[2]!);
    await signInContext(organiserBrowser, app.url, adminCookie);
    await Promise.all(participantBrowsers.map((b, i) => signInContext(b, app.url, participantCookies[i]!)));
  });

  afterAll(async () => {
    await Promise.allSettled([organiserBrowser?.close(), ...participantBrowsers.map((b) => b.close())]);
    await app?.stop();
  });

  it('runs a vote from the console to the projector', async () => {
    // The co-chair prepares a yes / no / abstain vote in the console and opens it.
    const consolePage = await firstPage(organiserBrowser);
    await openPage(consolePage, `${app.url}/ateliers/${workshopId}/console`);
    await consolePage.waitForSelector('[data-testid="vote-console"]', WAIT);
    // The débat stage starts: every screen follows the live document.
    await consolePage.click('[data-testid="stage-change-debat"]', WAIT);
    await consolePage.click('[data-testid="stage-change-debat-confirm"]', WAIT);
    await consolePage.waitForSelector('[data-testid="stage-control"][data-stage="debat"]', WAIT);
    await consolePage.click('[data-testid="console-create"]', WAIT);
    await consolePage.fill('[data-testid="vote-editor-question"]', QUESTION, WAIT);
    await consolePage.check('[data-testid="vote-editor-method-yes-no-abstain"]', WAIT);
    await consolePage.click('[data-testid="vote-editor-save"]', WAIT);
    const card = consolePage.locator('[data-testid="console-vote"]', { hasText: QUESTION });
    await card.waitFor({ state: 'visible', ...WAIT });
    await expect(card.getAttribute('data-status', WAIT)).resolves.toBe('draft');

    // The projector (same browser, another tab), opened from the console's link target.
    const projector = await organiserBrowser.newPage();
    await projector.setViewportSize({ width: 1600, height: 900 });
    await openPage(projector, `${app.url}/ateliers/${workshopId}/projecteur`);
    await projector.waitForSelector('[data-testid="projector-waiting"]', WAIT);
    await projector.waitForSelector('[data-testid="projector-stage"][data-stage="debat"]', WAIT);

    await card.locator('[data-testid="console-open"]').click(WAIT);
    await consolePage.waitForSelector('[data-testid="console-vote"][data-status="open"]', WAIT);
    await consolePage.waitForSelector('[data-testid="console-vote-frozen"]', WAIT);
    await projector.waitForSelector('[data-testid="projector"][data-status="open"]', WAIT);
    await expect(projector.locator('[data-testid="projector-question"]').textContent(WAIT)).resolves.toBe(QUESTION);
    await projector.waitForSelector('[data-testid="projector-participation"] [data-testid="participation"][data-cast="0"]', WAIT);

    // Two participants vote in their own browsers.
    const choices = ['pour', 'abstention'] as const;
    const voters: Page[] = [];
    for (const [i, browser] of participantBrowsers.entries()) {
      const page = await firstPage(browser);
      voters.push(page);
      await openPage(page, `${app.url}/ateliers/${workshopId}`);
      await page.waitForSelector('[data-testid="vote-panel"][data-status="open"] [data-testid="ballot-form"]', WAIT);
      await expect(page.locator('[data-testid="vote-question"]').textContent(WAIT)).resolves.toBe(QUESTION);
      await expect(page.locator('[data-testid="stepper"] [aria-current="step"]').textContent(WAIT)).resolves.toContain('Débat');
      await page.check(`[data-testid="ballot-yn-${choices[i]}"]`, WAIT);
      await page.click('[data-testid="ballot-submit"]', WAIT);
      const recorded = page.locator('[data-testid="ballot-recorded"]');
      await recorded.waitFor({ state: 'visible', ...WAIT });
      await expect(recorded.textContent(WAIT)).resolves.toContain('Vote enregistré');
      await expect(page.locator('[data-testid="ballot-receipt"]').textContent(WAIT)).resolves.toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    }

    // The projector follows the participation live: 2 ballots (of 3 voters: the co-chair may vote too).
    await projector.waitForSelector('[data-testid="projector-participation"] [data-testid="participation"][data-cast="2"]', WAIT);
    await expect(projector.locator('[data-testid="participation-count"]').textContent(WAIT)).resolves.toBe('2');
    await consolePage.waitForSelector('[data-testid="console-vote"] [data-testid="participation"][data-cast="2"]', WAIT);

    // A reload confirms the ballot from the server (stored ballot id, GET …/ballots/:ballotId).
    const first = voters[0]!;
    await first.reload({ waitUntil: 'domcontentloaded', ...WAIT });
    await hydrated(first);
    const confirmed = first.locator('[data-testid="ballot-recorded"]');
    await confirmed.waitFor({ state: 'visible', ...WAIT });
    await expect(confirmed.textContent(WAIT)).resolves.toContain('Votre vote a bien été enregistré');

    // The console closes the vote: the co-chairs see the results before publishing; the projector waits.
    await card.locator('[data-testid="console-close"]').click(WAIT);
    await card.locator('[data-testid="console-close-confirm"]').click(WAIT);
    await consolePage.waitForSelector('[data-testid="console-vote"][data-status="closed"]', WAIT);
    await consolePage.waitForSelector('[data-testid="organiser-results-view"]', WAIT);
    await projector.waitForSelector('[data-testid="projector-waiting-results"]', WAIT);
    expect(await projector.locator('[data-testid="projector-results"]').count()).toBe(0);

    // Publication: the projector shows the bars and the table with the right counts.
    await card.locator('[data-testid="console-publish"]').click(WAIT);
    await card.locator('[data-testid="console-publish-confirm"]').click(WAIT);
    await projector.waitForSelector('[data-testid="projector-results"]', WAIT);
    const results = projector.locator('[data-testid="projector-results"]');
    const expected = { pour: '1', contre: '0', abstention: '1' };
    for (const [key, count] of Object.entries(expected)) {
      await expect(results.locator(`[data-testid="bar"][data-key="${key}"]`).getAttribute('data-value', WAIT)).resolves.toBe(count);
      await expect(
        results.locator(`[data-testid="results-row"][data-key="${key}"] [data-testid="results-count"]`).textContent(WAIT),
      ).resolves.toBe(count);
    }
    await expect(results.locator('[data-testid="results-decision"]').getAttribute('data-adopted', WAIT)).resolves.toBe('true');

    // The participants see the published results too.
    for (const page of voters) {
      const panel = page.locator('[data-testid="vote-panel-results"]');
      await panel.waitFor({ state: 'visible', ...WAIT });
      await expect(
        panel.locator('[data-testid="results-row"][data-key="pour"] [data-testid="results-count"]').textContent(WAIT),
      ).resolves.toBe('1');
    }
  });
});
