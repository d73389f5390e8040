/**
 * Who may do what in a workshop: the one table the server enforces and the UI reads to show or hide controls.
 */
export const WORKSHOP_ROLES = ['copresident-etat', 'copresident-region', 'animateur', 'participant', 'observateur'] as const;
export type WorkshopRole = (typeof WORKSHOP_ROLES)[number];

export const ROLE_LABELS: Record<WorkshopRole, string> = {
  'copresident-etat': 'Co-président·e État',
  'copresident-region': 'Co-président·e Région',
  animateur: 'Animateur·rice',
  participant: 'Participant·e',
  observateur: 'Observateur·rice',
};

/** The two co-chair seats every workshop has. */
export const COCHAIR_ROLES = ['copresident-etat', 'copresident-region'] as const satisfies readonly WorkshopRole[];

/** Roles an invitation link may grant (co-chairs and facilitators are named by an organiser, not by link). */
export const INVITABLE_ROLES = ['participant', 'observateur'] as const satisfies readonly WorkshopRole[];
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const ACTIONS = [
  'workshop.read',
  'workshop.update',
  'workshop.delete',
  'stage.change',
  'diagnostic.read',
  'diagnostic.edit',
  'presence.see',
  'people.read',
  'people.manage',
  'invitations.manage',
  'vote.moderate',
  'vote.cast',
  'groups.manage',
  'audit.read',
  'export',
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL: readonly Action[] = ACTIONS;
const READ: readonly Action[] = ['workshop.read', 'diagnostic.read', 'presence.see', 'people.read'];

/** The rights table: role × action. Anything not listed is refused. */
export const RIGHTS: Record<WorkshopRole, ReadonlySet<Action>> = {
  'copresident-etat': new Set(ALL),
  'copresident-region': new Set(ALL),
  animateur: new Set<Action>([
    ...READ,
    'workshop.update',
    'stage.change',
    'diagnostic.edit',
    'people.manage',
    'invitations.manage',
    'vote.moderate',
    'groups.manage',
    'audit.read',
    'export',
  ]),
  participant: new Set<Action>([...READ, 'diagnostic.edit', 'vote.cast', 'export']),
  observateur: new Set<Action>([...READ, 'export']),
};

/** Whether a member with `role` (null: not a member of this workshop) may do `action`. */
export function can(role: WorkshopRole | null | undefined, action: Action): boolean {
  return role != null && RIGHTS[role].has(action);
}

/**
 * Whether `actor` may give `target` the role `next` (or remove them when `next` is null).
 * Facilitators manage participants and observers; only a co-chair (or an administrator) seats or unseats
 * co-chairs and facilitators.
 */
export function canAssignRole(
  actor: WorkshopRole | null,
  targetCurrent: WorkshopRole | null,
  next: WorkshopRole | null,
  isAdmin = false,
): boolean {
  if (isAdmin) return true;
  if (!can(actor, 'people.manage')) return false;
  const isCochair = actor === 'copresident-etat' || actor === 'copresident-region';
  if (isCochair) return true;
  const lower = (r: WorkshopRole | null) => r === null || r === 'participant' || r === 'observateur';
  return lower(targetCurrent) && lower(next);
}
