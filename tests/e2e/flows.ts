/**
 * Steps shared by the browser tests, driven through the UI like a person would (every wait has a timeout).
 * Pages are those of apps/web; `data-testid` attributes are the contract.
 */
import type { BrowserContext, Page } from 'playwright-core';

export const WAIT = { timeout: 15_000 } as const;

export const ADMIN = {
  email: 'admin@example.fr',
  name: 'Alice Administratrice',
  organisation: 'Préfecture de région Bretagne',
  category: 'services-etat',
  password: 'correct horse battery staple',
} as const;

/** The first tab of a persistent context (launchBrowser opens one), or a new one. */
export async function firstPage(context: BrowserContext): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 900 });
  return page;
}

/** Loads `url` and waits until Svelte has hydrated (clicks before that would be lost). */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', ...WAIT });
  await hydrated(page);
}

export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('main[data-hydrated="true"]', WAIT);
}

/** First-run setup of the administrator through /configuration (reached from the home page). Ends on the home page. */
export async function setupAdminInBrowser(page: Page, base: string): Promise<void> {
  await open(page, `${base}/`);
  await page.click('[data-testid="home-setup"]', WAIT);
  await page.waitForSelector('[data-testid="setup-form"]', WAIT);
  await page.fill('[data-testid="setup-email"]', ADMIN.email);
  await page.fill('[data-testid="setup-name"]', ADMIN.name);
  await page.fill('[data-testid="setup-organisation"]', ADMIN.organisation);
  await page.selectOption('[data-testid="setup-category"]', ADMIN.category);
  await page.fill('[data-testid="setup-password"]', ADMIN.password);
  await page.fill('[data-testid="setup-confirm"]', ADMIN.password);
  await page.click('[data-testid="setup-submit"]');
  await page.waitForSelector('[data-testid="create-workshop-form"]', WAIT);
}

/** Signs in through /connexion (reached from the header). Ends on the home page. */
export async function signInInBrowser(page: Page, base: string, email: string, password: string): Promise<void> {
  await open(page, `${base}/`);
  await page.click('[data-testid="sign-in-link"]', WAIT);
  await page.waitForSelector('[data-testid="signin-form"]', WAIT);
  await page.fill('[data-testid="signin-email"]', email);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="create-workshop-form"]', WAIT);
}

/** Creates a workshop from the home page's form; ends on the workshop page, connected. Returns its id. */
export async function createWorkshopInBrowser(page: Page, name: string, regionCode = '53'): Promise<string> {
  await page.fill('#workshop-name', name);
  await page.selectOption('#workshop-region', regionCode);
  await page.click('[data-testid="create-workshop"]');
  await page.waitForURL(/\/ateliers\/[a-z2-7]{12}$/, WAIT);
  await waitConnected(page);
  const id = /\/ateliers\/([a-z2-7]{12})$/.exec(page.url())?.[1];
  if (!id) throw new Error(`not a workshop page: ${page.url()}`);
  return id;
}

/** Waits until the live diagnostic is connected and synced. */
export async function waitConnected(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="connection-status"][data-connection="connected"]', WAIT);
}

/** Creates an invitation link on the workshop's Invitations page (through the workshop nav); returns the link. */
export async function createInvitationInBrowser(page: Page, label: string): Promise<string> {
  await page.click('[data-testid="workshop-nav-invitations"]', WAIT);
  await page.waitForSelector('[data-testid="invitation-form"]', WAIT);
  await page.fill('[data-testid="invitation-label"]', label);
  await page.click('[data-testid="invitation-submit"]');
  const card = page.locator('[data-testid="invitation"][data-state="valid"]', { hasText: label });
  await card.locator('[data-testid="invitation-qr"]').waitFor({ state: 'visible', ...WAIT });
  return card.locator('[data-testid="invitation-link-url"]').inputValue(WAIT);
}

export interface Joiner {
  name: string;
  organisation: string;
  category: string;
}

/** Opens an invitation link and joins; ends on the workshop page, connected. */
export async function joinInBrowser(page: Page, link: string, who: Joiner): Promise<void> {
  await open(page, link);
  await page.waitForSelector('[data-testid="join-form"]', WAIT);
  await page.fill('[data-testid="join-name"]', who.name);
  await page.fill('[data-testid="join-organisation"]', who.organisation);
  await page.selectOption('[data-testid="join-category"]', who.category);
  await page.click('[data-testid="join-submit"]');
  await page.waitForURL(/\/ateliers\/[a-z2-7]{12}$/, WAIT);
  await waitConnected(page);
}

/** Adds a diagnostic entry (first lever of the catalogue, default territory and status) and waits for its card. */
export async function addEntryInBrowser(page: Page, title: string): Promise<void> {
  await page.click('[data-testid="add-entry"]:not([disabled])', WAIT);
  await page.waitForSelector('[data-testid="entry-form"]', WAIT);
  await page.selectOption('[data-testid="entry-lever"]', { index: 1 });
  await page.fill('[data-testid="entry-title"]', title);
  await page.click('[data-testid="entry-save"]');
  await entryCard(page, title).waitFor({ state: 'visible', ...WAIT });
}

export function entryCard(page: Page, title: string) {
  return page.locator('[data-testid="entry-card"]', { has: page.locator('[data-testid="entry-card-title"]', { hasText: title }) });
}

/** A JSON call to the API outside the browser (test set-up); returns the body and the session cookie if one was set. */
export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; body: unknown; cookie: string | undefined }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('agora_session='));
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, cookie: setCookie?.split(';')[0] };
}
