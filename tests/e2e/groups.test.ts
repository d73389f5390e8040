/**
 * Breakout groups, end to end: a facilitator creates a group (theme: transports) and its invitation link; a
 * participant joins by that link, lands in the group and adds an entry in the group's workspace; the control room
 * shows the group live with one entry and the participant present; "Regarder" opens the group read-only without
 * disturbing it; consolidation brings the entry into the plenary diagnostic with its provenance; then an import
 * of a CSV file with one bad row writes the valid rows only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTestsAvailable, launchBrowser, startApp, type AppProcess } from './harness.ts';
import {
  WAIT,
  addEntryInBrowser,
  createWorkshopInBrowser,
  entryCard,
  firstPage,
  hydrated,
  joinInBrowser,
  open,
  setupAdminInBrowser,
  waitConnected,
} from './flows.ts';

const PARTICIPANT = { name: 'Gaëlle Groupe', organisation: 'Quimper Bretagne Occidentale', category: 'epci' };
const ENTRY = 'Lignes de car express Quimper–Brest';

describe.skipIf(!browserTestsAvailable())('breakout groups', () => {
  let app: AppProcess;
  let organiserBrowser: BrowserContext;
  let participantBrowser: BrowserContext;
  let organiser: Page;
  let participant: Page;
  let workshopId = '';

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

  it('runs a group from its creation to the control room', async () => {
    await setupAdminInBrowser(organiser, app.url);
    workshopId = await createWorkshopInBrowser(organiser, 'COP Bretagne — ateliers en groupes');

    // The facilitator creates the group "Mobilités" on the transports sector…
    await organiser.click('[data-testid="workshop-nav-groupes"]', WAIT);
    await organiser.waitForURL(`${app.url}/ateliers/${workshopId}/groupes`, WAIT);
    const form = organiser.locator('[data-testid="group-form"]').last();
    await form.locator('[data-testid="group-name"]').fill('Mobilités');
    await form.locator('[data-testid="group-sector"][value="transports"]').check();
    await form.locator('[data-testid="group-submit"]').click();
    const card = organiser.locator('[data-testid="group-card"]', { hasText: 'Mobilités' });
    await card.waitFor({ state: 'visible', ...WAIT });
    await expect(card.locator('[data-testid="group-theme"]').textContent()).resolves.toContain('Transports et mobilités');

    // …and its invitation link (with a QR code).
    await card.locator('[data-testid="group-invitation-create"]').click();
    await card.locator('[data-testid="group-invitation-qr"]').waitFor({ state: 'visible', ...WAIT });
    const link = await card.locator('[data-testid="group-invitation-link-url"]').inputValue(WAIT);
    expect(link).toMatch(new RegExp(`^${app.url}/rejoindre/[a-z2-7]{26}$`));

    // The participant joins by that link and lands in the group.
    await joinInBrowser(participant, link, PARTICIPANT);
    await participant.locator('[data-testid="my-group-banner"]', { hasText: 'Mobilités' }).waitFor({ state: 'visible', ...WAIT });
    await participant.click('[data-testid="my-group-link"]', WAIT);
    await participant.waitForURL(new RegExp(`/ateliers/${workshopId}/groupes/[a-z2-7]{10,16}$`), WAIT);
    await waitConnected(participant);
    await expect(participant.locator('[data-testid="group-workspace-theme"]').textContent()).resolves.toContain('Transports et mobilités');
    // The lever list is the theme's by default.
    await participant.click('[data-testid="add-entry"]', WAIT);
    const optgroups = await participant.locator('[data-testid="entry-lever"] optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label')));
    expect(optgroups).toEqual(['Transports et mobilités']);
    await participant.click('[data-testid="entry-cancel"]');
    await addEntryInBrowser(participant, ENTRY);
    // Undo / redo of one's own edit, announced.
    await participant.click('[data-testid="undo"]');
    await entryCard(participant, ENTRY).waitFor({ state: 'detached', ...WAIT });
    await participant.locator('[data-testid="diagnostic-live"]', { hasText: 'Annulé : ajout de l’entrée' }).waitFor(WAIT);
    await participant.keyboard.press('Control+Shift+Z');
    await entryCard(participant, ENTRY).waitFor({ state: 'visible', ...WAIT });
    await participant.locator('[data-testid="diagnostic-live"]', { hasText: 'Rétabli : ajout de l’entrée' }).waitFor(WAIT);

    // The plenary diagnostic does not have it (it is the group's document).
    await open(organiser, `${app.url}/ateliers/${workshopId}`);
    await waitConnected(organiser);
    await expect(entryCard(organiser, ENTRY).count()).resolves.toBe(0);

    // The control room shows the group live: 1 entry, the participant present.
    await organiser.click('[data-testid="workshop-nav-salle-de-controle"]', WAIT);
    const group = organiser.locator('[data-testid="control-group"]', { hasText: 'Mobilités' });
    await group.waitFor({ state: 'visible', ...WAIT });
    await group.locator('[data-testid="control-entries"][data-count="1"]').waitFor(WAIT);
    await group.locator('[data-testid="control-present"][data-count="1"]').waitFor(WAIT);
    await expect(group.locator('[data-testid="control-present"]').textContent()).resolves.toContain(PARTICIPANT.name);
    await expect(group.locator('[data-testid="control-status-en-cours"]').textContent()).resolves.toContain('1');
    await expect(group.locator('[data-testid="control-last-activity"]').textContent()).resolves.toMatch(/à l’instant|il y a/);
    // Same figures in the table view.
    await organiser.click('[data-testid="control-view-table"]');
    await expect(organiser.locator('[data-testid="control-row"]', { hasText: 'Mobilités' }).textContent()).resolves.toContain(PARTICIPANT.name);
    await organiser.click('[data-testid="control-view-cards"]');

    // "Regarder": the group read-only, without presence — the participant does not see the facilitator.
    await group.locator('[data-testid="control-look"]').click();
    await organiser.waitForURL(/\/groupes\/[a-z2-7]{10,16}\?regarder/, WAIT);
    await waitConnected(organiser);
    await organiser.locator('[data-testid="look-in-notice"]').waitFor({ state: 'visible', ...WAIT });
    await entryCard(organiser, ENTRY).waitFor({ state: 'visible', ...WAIT });
    await expect(organiser.locator('[data-testid="add-entry"]').count()).resolves.toBe(0);
    await expect(entryCard(organiser, ENTRY).locator('[data-testid="entry-edit"]').count()).resolves.toBe(0);
    await participant.waitForTimeout(1_500);
    await expect(participant.locator('[data-testid="presence-peer"]', { hasText: 'Alice Administratrice' }).count()).resolves.toBe(0);

    // The entry's history says who created it.
    await entryCard(organiser, ENTRY).locator('[data-testid="entry-history-toggle"]').click();
    await organiser.locator('[data-testid="entry-history-item"][data-kind="create"]').first().waitFor({ state: 'visible', ...WAIT });
    // Created, undone (deleted) and redone (created again): three changes, newest first.
    await expect(organiser.locator('[data-testid="entry-history-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).resolves.toEqual([
      'create',
      'delete',
      'create',
    ]);
    await expect(organiser.locator('[data-testid="entry-history"]').textContent()).resolves.toContain(`${PARTICIPANT.name} a créé l’entrée`);

    // Back in the control room, the facilitator looking in is not counted as present.
    await organiser.click('[data-testid="look-in-back"]', WAIT);
    const again = organiser.locator('[data-testid="control-group"]', { hasText: 'Mobilités' });
    await again.locator('[data-testid="control-present"][data-count="1"]').waitFor(WAIT);
  });

  it('consolidates the group entry into the plenary diagnostic with its provenance', async () => {
    expect(workshopId).not.toBe('');
    await organiser.click('[data-testid="workshop-nav-consolidation"]', WAIT);
    await organiser.waitForURL(`${app.url}/ateliers/${workshopId}/consolidation`, WAIT);
    await organiser.waitForSelector('[data-testid="consolidation-form"], [data-testid="consolidation-nothing"], [data-testid="consolidation-error"]', WAIT);
    await expect(organiser.locator('[data-testid="consolidation-error"]').count()).resolves.toBe(0);
    const addition = organiser.locator('[data-testid="consolidation-group"]', { hasText: 'Mobilités' });
    await addition.locator('[data-testid="consolidation-addition"]', { hasText: ENTRY }).waitFor({ state: 'visible', ...WAIT });
    await organiser.click('[data-testid="consolidation-apply"]');
    await organiser.locator('[data-testid="consolidation-result"]', { hasText: '1 entrée ajoutée' }).waitFor({ state: 'visible', ...WAIT });

    await organiser.click('[data-testid="consolidation-see-diagnostic"]', WAIT);
    await organiser.waitForURL(`${app.url}/ateliers/${workshopId}`, WAIT);
    await hydrated(organiser);
    await waitConnected(organiser);
    const consolidated = entryCard(organiser, ENTRY);
    await consolidated.waitFor({ state: 'visible', ...WAIT });
    await expect(consolidated.locator('[data-testid="entry-provenance"]').textContent(WAIT)).resolves.toContain(
      `issu du groupe Mobilités — ${PARTICIPANT.name}`,
    );
  });
  it('imports a CSV file: the valid row is written, the bad row reported with its number', async () => {
    expect(workshopId).not.toBe('');
    await organiser.goto(`${app.url}/ateliers/${workshopId}/import`);
    await hydrated(organiser);
    const csv = [
      'Intitulé;Levier;Territoire;Porteur;Statut',
      'Aires de covoiturage de Landerneau;Covoiturage;Finistère;Pays de Landerneau-Daoulas;Réalisé',
      'Navette interplanétaire;Téléportation;Finistère;Pays de Landerneau-Daoulas;En cours',
    ].join('\r\n');
    await organiser.setInputFiles('[data-testid="import-file"]', { name: 'pcaet.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await organiser.click('[data-testid="import-read"]');
    await organiser.locator('[data-testid="import-preview"]').waitFor({ state: 'visible', ...WAIT });
    await organiser.click('[data-testid="import-validate"]');
    await organiser.locator('[data-testid="import-valid-count"]', { hasText: '1 ligne valide sur 2' }).waitFor({ state: 'visible', ...WAIT });
    await expect(organiser.locator('[data-testid="import-error-row"]').count()).resolves.toBe(1);
    await expect(organiser.locator('[data-testid="import-errors"]').textContent()).resolves.toContain('3');
    await organiser.click('[data-testid="import-commit"]');
    await organiser.locator('[data-testid="import-done"]', { hasText: '1 entrée importée' }).waitFor({ state: 'visible', ...WAIT });
    await organiser.click('[data-testid="import-see"]', WAIT);
    await hydrated(organiser);
    await waitConnected(organiser);
    await entryCard(organiser, 'Aires de covoiturage de Landerneau').waitFor({ state: 'visible', ...WAIT });
    await expect(entryCard(organiser, 'Navette interplanétaire').count()).resolves.toBe(0);
  });
  it('shows the panorama with the imported action counted on its lever, as a chart and as a table', async () => {
    expect(workshopId).not.toBe('');
    await organiser.goto(`${app.url}/ateliers/${workshopId}/panorama`);
    await hydrated(organiser);
    await organiser.locator('[data-testid="treemap-attenuation"]').waitFor({ state: 'visible', ...WAIT });
    const row = organiser.locator('[data-testid="panorama-lever-row"][data-lever-id="augm_covoit"]');
    await row.waitFor({ state: 'visible', ...WAIT });
    await expect(row.locator('th[scope="row"]').textContent()).resolves.toContain('Covoiturage');
    await expect(row.textContent()).resolves.toMatch(/1 entrée/);
  });
});
