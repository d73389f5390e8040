import { ACTIONS, can, type Account, type Action, type Member, type Workshop, type WorkshopRole } from '@agora/domain';
import type { SessionRecord, Store } from '../store/store.ts';

/** Who is making a request: a valid session, and the organiser account behind it if any. */
export interface Viewer {
  session: SessionRecord;
  account: Account | null;
}

/** What a viewer may do in one workshop. */
export interface WorkshopAccess {
  workshop: Workshop;
  member: Member | null;
  role: WorkshopRole | null;
  isAdmin: boolean;
}

export function allowed(access: WorkshopAccess | null, action: Action): boolean {
  if (!access) return false;
  return access.isAdmin || can(access.role, action);
}

export function rightsOf(access: WorkshopAccess): Action[] {
  return ACTIONS.filter((a) => allowed(access, a));
}

/** Resolves a viewer's membership and role in a workshop; null when the workshop does not exist. */
export async function workshopAccess(store: Store, viewer: Viewer | null, workshopId: string): Promise<WorkshopAccess | null> {
  const workshop = await store.getWorkshop(workshopId);
  if (!workshop) return null;
  if (!viewer) return { workshop, member: null, role: null, isAdmin: false };
  const member = viewer.account
    ? await store.findMemberByAccount(workshopId, viewer.account.id)
    : await store.findMemberBySession(workshopId, viewer.session.id);
  return { workshop, member, role: member?.role ?? null, isAdmin: viewer.account?.isAdmin ?? false };
}

/** Resolves the viewer of a session token's session. */
export async function viewerOf(store: Store, session: SessionRecord): Promise<Viewer> {
  const account = session.userId ? await store.getAccount(session.userId) : null;
  return { session, account };
}

/**
 * The write rule for a workshop's documents, from what a person may do and the group they sit in: the live document
 * is the server's; the plenary diagnostic is written by whoever may edit; a breakout group's document by its
 * members, with facilitators and co-chairs able to step in. Used at the upgrade and when a role changes live.
 */
export function mayWriteDocument(
  may: (action: Action) => boolean,
  memberGroupId: string | null | undefined,
  document: { part: 'diagnostic' | 'live' | 'group'; groupId?: string | undefined },
): boolean {
  if (document.part === 'live') return false;
  const canEdit = may('diagnostic.edit');
  if (document.part !== 'group') return canEdit;
  return may('groups.manage') || (canEdit && memberGroupId === document.groupId);
}

/** `mayWriteDocument` for an access, after checking that a group document's group is one of the workshop's. */
export async function canWriteDocument(
  store: Store,
  access: WorkshopAccess,
  document: { part: 'diagnostic' | 'live' | 'group'; groupId?: string | undefined },
): Promise<boolean | 'unknown-group'> {
  if (document.part === 'group') {
    const group = document.groupId ? await store.getGroup(document.groupId) : null;
    if (!group || group.workshopId !== access.workshop.id) return 'unknown-group';
  }
  return mayWriteDocument((a) => allowed(access, a), access.member?.groupId, document);
}

/** The name someone acts under in a workshop (history, audit, presence): their member name, else their account's. */
export function actorName(access: WorkshopAccess, viewer: Viewer | null): string {
  return access.member?.name ?? viewer?.account?.name ?? 'Administrateur';
}
