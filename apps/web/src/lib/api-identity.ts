/**
 * API client of identity: sign-in and first-run setup, the account, organiser accounts, a workshop's people
 * and invitation links, and joining by link. Failures are ApiErrors (see ./api.ts).
 */
import type {
  Account,
  ActorCategory,
  InvitableRole,
  InvitationState,
  Member,
  WorkshopRole,
} from '@agora/domain';
import { request } from './api.ts';

type Fetch = typeof fetch;

/** Who is signed in, as validated by the server's hook (`GET /api/auth/me`, `locals.viewer`). */
export interface Viewer {
  /** The organiser account, or null for people who joined by link (and for signed-out visitors). */
  account: Account | null;
  /** Whether the browser has a valid session (an account's, or a link session). */
  hasSession: boolean;
}

export const NO_VIEWER: Viewer = { account: null, hasSession: false };

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
const enc = encodeURIComponent;

// ---------- Auth ----------

export function getViewer(fetchFn: Fetch = fetch): Promise<Viewer> {
  return request<Viewer>(fetchFn, '/api/auth/me');
}

export async function setupNeeded(fetchFn: Fetch = fetch): Promise<boolean> {
  const body = await request<{ needed: boolean }>(fetchFn, '/api/auth/setup');
  return body.needed === true;
}

export interface SetupFields {
  email: string;
  name: string;
  organisation: string;
  category: ActorCategory;
  password: string;
}

export async function setup(input: SetupFields, fetchFn: Fetch = fetch): Promise<Account> {
  return (await request<{ account: Account }>(fetchFn, '/api/auth/setup', post(input))).account;
}

export async function signIn(email: string, password: string, fetchFn: Fetch = fetch): Promise<Account> {
  return (await request<{ account: Account }>(fetchFn, '/api/auth/signin', post({ email, password }))).account;
}

export async function signOut(fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, '/api/auth/signout', { method: 'POST' });
}

export async function signOutEverywhere(fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, '/api/auth/signout-all', { method: 'POST' });
}

export async function changePassword(currentPassword: string, newPassword: string, fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, '/api/auth/password', post({ currentPassword, newPassword }));
}

export async function listAccounts(fetchFn: Fetch = fetch): Promise<Account[]> {
  return (await request<{ accounts: Account[] }>(fetchFn, '/api/auth/accounts')).accounts;
}

export async function createAccount(input: SetupFields & { isAdmin: boolean }, fetchFn: Fetch = fetch): Promise<Account> {
  return (await request<{ account: Account }>(fetchFn, '/api/auth/accounts', post(input))).account;
}

// ---------- People ----------

export interface MemberRow extends Member {
  /** Has a live connection to one of the workshop's documents right now. */
  online: boolean;
}

export async function listMembers(workshopId: string, fetchFn: Fetch = fetch): Promise<MemberRow[]> {
  return (await request<{ members: MemberRow[] }>(fetchFn, `/api/workshops/${enc(workshopId)}/members`)).members;
}

export async function seatAccount(workshopId: string, email: string, role: WorkshopRole, fetchFn: Fetch = fetch): Promise<Member> {
  return (await request<{ member: Member }>(fetchFn, `/api/workshops/${enc(workshopId)}/members`, post({ email, role }))).member;
}

export async function changeRole(workshopId: string, memberId: string, role: WorkshopRole, fetchFn: Fetch = fetch): Promise<Member> {
  const path = `/api/workshops/${enc(workshopId)}/members/${enc(memberId)}`;
  return (await request<{ member: Member }>(fetchFn, path, { method: 'PATCH', body: JSON.stringify({ role }) })).member;
}

export async function removeMember(workshopId: string, memberId: string, fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, `/api/workshops/${enc(workshopId)}/members/${enc(memberId)}`, { method: 'DELETE' });
}

// ---------- Invitations ----------

export interface InvitationRow {
  id: string;
  token: string;
  role: InvitableRole;
  label: string;
  groupId: string | null;
  expiresAt: string;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  createdAt: string;
  state: InvitationState;
}

export interface NewInvitation {
  role: InvitableRole;
  label: string;
  expiresInHours: number;
  maxUses: number | null;
}

export async function listInvitations(workshopId: string, fetchFn: Fetch = fetch): Promise<InvitationRow[]> {
  return (await request<{ invitations: InvitationRow[] }>(fetchFn, `/api/workshops/${enc(workshopId)}/invitations`)).invitations;
}

export async function createInvitation(workshopId: string, input: NewInvitation, fetchFn: Fetch = fetch): Promise<InvitationRow> {
  const path = `/api/workshops/${enc(workshopId)}/invitations`;
  return (await request<{ invitation: InvitationRow }>(fetchFn, path, post(input))).invitation;
}

export async function revokeInvitation(workshopId: string, invitationId: string, fetchFn: Fetch = fetch): Promise<number> {
  const path = `/api/workshops/${enc(workshopId)}/invitations/${enc(invitationId)}`;
  const body = await request<{ membersRemoved?: number }>(fetchFn, path, { method: 'DELETE' });
  return typeof body.membersRemoved === 'number' ? body.membersRemoved : 0;
}

/** The address people open (or scan) to join. */
export function joinUrl(origin: string, token: string): string {
  return new URL(`/rejoindre/${enc(token)}`, origin).href;
}

// ---------- Joining by link ----------

export interface JoinInfo {
  workshop: { id: string; name: string; regionCode: string; date: string };
  role: InvitableRole;
  state: InvitationState;
  /** Why the link cannot be used (French), or null when it is valid. */
  message: string | null;
  /** This browser's membership when it already joined. */
  member: Member | null;
}

export function getJoinInfo(token: string, fetchFn: Fetch = fetch): Promise<JoinInfo> {
  return request<JoinInfo>(fetchFn, `/api/join/${enc(token)}`);
}

export interface JoinFields {
  name: string;
  organisation: string;
  category: ActorCategory;
}

export function join(token: string, input: JoinFields, fetchFn: Fetch = fetch): Promise<{ member: Member; workshopId: string }> {
  return request<{ member: Member; workshopId: string }>(fetchFn, `/api/join/${enc(token)}`, post(input));
}
