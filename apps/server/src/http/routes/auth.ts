import { Hono } from 'hono';
import {
  CloseCode,
  CreateAccountInputSchema,
  PasswordChangeInputSchema,
  SetupInputSchema,
  SignInInputSchema,
  type Account,
} from '@agora/domain';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../auth/passwords.ts';
import { clearSessionCookie, sessionCookie } from '../../auth/sessions.ts';
import { randomId } from '../../auth/tokens.ts';
import { clientAddress, isSecure, type AppContext, type AppEnv } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';

function tooMany(c: AppContext, seconds: number) {
  c.header('Retry-After', String(seconds));
  return apiError(c, 429, `trop de tentatives : réessayez dans ${seconds} s`);
}

/** Sign-in, first-run setup, sign-out, password change, and (for administrators) organiser accounts. */
export function authRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store, sessions, documents, security } = deps;
  const app = new Hono<AppEnv>();

  async function startSession(c: AppContext, account: Account): Promise<void> {
    const { token, session } = await sessions.create(account.id);
    c.header('Set-Cookie', sessionCookie(token, session.expiresAt, isSecure(c, security)), { append: true });
  }

  app.get('/me', (c) => {
    const viewer = c.get('viewer');
    return c.json({ account: viewer?.account ?? null, hasSession: viewer !== null });
  });

  app.get('/setup', async (c) => c.json({ needed: (await store.countAccounts()) === 0 }));

  /** First run: creates the first administrator. Refused once any account exists. */
  app.post('/setup', async (c) => {
    const body = await readBody(c, SetupInputSchema);
    if (!body.ok) return body.response;
    if ((await store.countAccounts()) > 0) return apiError(c, 409, 'la configuration initiale est déjà faite');
    const { password, ...fields } = body.data;
    const account: Account = { id: randomId(), ...fields, isAdmin: true, createdAt: new Date().toISOString() };
    // Atomic: of two setups sent at once, only one creates the administrator.
    if (!(await store.createFirstAccount(account, await hashPassword(password)))) {
      return apiError(c, 409, 'la configuration initiale est déjà faite');
    }
    await startSession(c, account);
    return c.json({ account }, 201);
  });

  app.post('/signin', async (c) => {
    const wait = deps.limits.signInByAddress.hit(clientAddress(c, security));
    if (wait) return tooMany(c, wait);
    const body = await readBody(c, SignInInputSchema);
    if (!body.ok) return body.response;
    const waitEmail = deps.limits.signInByEmail.hit(body.data.email);
    if (waitEmail) return tooMany(c, waitEmail);
    const found = await store.getAccountByEmail(body.data.email);
    const ok = found ? await verifyPassword(found.passwordHash, body.data.password) : await verifyAgainstDummy(body.data.password);
    if (!found || !ok) return apiError(c, 401, 'adresse e-mail ou mot de passe incorrect');
    deps.limits.signInByEmail.reset(body.data.email);
    const { passwordHash: _hash, ...account } = found;
    await startSession(c, account);
    return c.json({ account });
  });

  app.post('/signout', async (c) => {
    const viewer = c.get('viewer');
    if (viewer) {
      await sessions.invalidate(viewer.session.id);
      documents.closeSessions([viewer.session.id], CloseCode.REVOKED, 'session fermée');
    }
    c.header('Set-Cookie', clearSessionCookie(isSecure(c, security)), { append: true });
    return c.json({ ok: true });
  });

  /** Signs the account out on every device and closes all its live connections. */
  app.post('/signout-all', async (c) => {
    const account = c.get('viewer')?.account;
    if (!account) return apiError(c, 401, 'connexion requise');
    const ids = await sessions.invalidateAccount(account.id);
    documents.closeSessions(ids, CloseCode.REVOKED, 'session révoquée : déconnexion de tous les appareils');
    c.header('Set-Cookie', clearSessionCookie(isSecure(c, security)), { append: true });
    return c.json({ ok: true, sessionsClosed: ids.length });
  });

  /** Changes the password; every other session of the account is signed out. */
  app.post('/password', async (c) => {
    const viewer = c.get('viewer');
    if (!viewer?.account) return apiError(c, 401, 'connexion requise');
    const body = await readBody(c, PasswordChangeInputSchema);
    if (!body.ok) return body.response;
    const hash = await store.getPasswordHash(viewer.account.id);
    if (!hash || !(await verifyPassword(hash, body.data.currentPassword))) {
      return apiError(c, 400, 'mot de passe actuel incorrect', [{ path: 'currentPassword', message: 'mot de passe actuel incorrect' }]);
    }
    await store.setPasswordHash(viewer.account.id, await hashPassword(body.data.newPassword));
    // Every session ends, this one too (its sockets included); this browser gets a new session below.
    const ids = await sessions.invalidateAccount(viewer.account.id);
    documents.closeSessions(ids, CloseCode.REVOKED, 'mot de passe changé : reconnectez-vous');
    await startSession(c, viewer.account);
    return c.json({ ok: true });
  });

  app.get('/accounts', async (c) => {
    if (!c.get('viewer')?.account?.isAdmin) return apiError(c, 403, 'réservé aux administrateurs');
    return c.json({ accounts: await store.listAccounts() });
  });

  app.post('/accounts', async (c) => {
    if (!c.get('viewer')?.account?.isAdmin) return apiError(c, 403, 'réservé aux administrateurs');
    const body = await readBody(c, CreateAccountInputSchema);
    if (!body.ok) return body.response;
    if (await store.getAccountByEmail(body.data.email)) {
      return apiError(c, 409, 'un compte existe déjà pour cette adresse', [{ path: 'email', message: 'adresse déjà utilisée' }]);
    }
    const { password, ...fields } = body.data;
    const account: Account = { id: randomId(), ...fields, createdAt: new Date().toISOString() };
    try {
      await store.createAccount(account, await hashPassword(password));
    } catch (err) {
      // Two creations of the same e-mail at once: the store's unique index decides.
      if (await store.getAccountByEmail(body.data.email)) {
        return apiError(c, 409, 'un compte existe déjà pour cette adresse', [{ path: 'email', message: 'adresse déjà utilisée' }]);
      }
      throw err;
    }
    return c.json({ account }, 201);
  });

  return app;
}
