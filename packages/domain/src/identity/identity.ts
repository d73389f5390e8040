import * as z from 'zod';
import { ACTOR_CATEGORIES, COLLEGES } from '../actors/actors.ts';
import { INVITABLE_ROLES, WORKSHOP_ROLES } from '../rights/rights.ts';

export const EmailSchema = z.string().trim().toLowerCase().pipe(z.email('adresse e-mail invalide')).pipe(z.string().max(254));

/** At least 12 characters (ANSSI / CNIL guidance for passwords without other factors leans longer; 12 is our floor). */
export const PasswordSchema = z
  .string()
  .min(12, 'le mot de passe doit faire au moins 12 caractères')
  .max(256, 'le mot de passe doit faire au plus 256 caractères');

const personName = z.string().trim().min(1, 'nom requis').max(80, 'le nom doit faire au plus 80 caractères');

const organisation = z.string().trim().min(1, 'organisation requise').max(200);

export const SetupInputSchema = z.strictObject({
  email: EmailSchema,
  name: personName,
  password: PasswordSchema,
  organisation,
  category: z.enum(ACTOR_CATEGORIES, 'catégorie inconnue'),
});
export type SetupInput = z.infer<typeof SetupInputSchema>;

export const SignInInputSchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1, 'mot de passe requis').max(256),
});
export type SignInInput = z.infer<typeof SignInInputSchema>;

export const PasswordChangeInputSchema = z.strictObject({
  currentPassword: z.string().min(1, 'mot de passe actuel requis').max(256),
  newPassword: PasswordSchema,
});

/** An administrator creates an organiser account (they change the password after signing in). */
export const CreateAccountInputSchema = z.strictObject({
  email: EmailSchema,
  name: personName,
  password: PasswordSchema,
  organisation,
  category: z.enum(ACTOR_CATEGORIES, 'catégorie inconnue'),
  isAdmin: z.boolean().default(false),
});

/** What someone joining by link tells about themselves (no account, no e-mail). */
export const JoinInputSchema = z.strictObject({
  name: personName,
  organisation,
  category: z.enum(ACTOR_CATEGORIES, 'catégorie inconnue'),
});
export type JoinInput = z.infer<typeof JoinInputSchema>;

export const InvitationTokenSchema = z.string().regex(/^[a-z2-7]{26}$/, 'lien d’invitation invalide');

export const CreateInvitationInputSchema = z.strictObject({
  role: z.enum(INVITABLE_ROLES),
  label: z.string().trim().max(80).default(''),
  /** Breakout group the people joining are placed in (breakout groups issue). */
  groupId: z.string().max(40).nullable().default(null),
  /** Validity from now, in hours (default: 3 days; at most 60 days). */
  expiresInHours: z.int().min(1).max(24 * 60).default(72),
  maxUses: z.int().min(1).max(10_000).nullable().default(null),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInputSchema>;

export const ChangeRoleInputSchema = z.strictObject({ role: z.enum(WORKSHOP_ROLES) });

/** Seat an organiser account in a workshop (co-chairs, facilitators). */
export const SeatAccountInputSchema = z.strictObject({ email: EmailSchema, role: z.enum(WORKSHOP_ROLES) });

export const MemberSchema = z.object({
  id: z.string(),
  workshopId: z.string(),
  name: z.string(),
  organisation: z.string(),
  category: z.enum(ACTOR_CATEGORIES),
  college: z.enum(COLLEGES),
  role: z.enum(WORKSHOP_ROLES),
  /** Set for organiser accounts; null for people who joined by link. */
  userId: z.string().nullable(),
  invitationId: z.string().nullable(),
  groupId: z.string().nullable(),
  createdAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;

export interface Invitation {
  id: string;
  workshopId: string;
  token: string;
  role: (typeof INVITABLE_ROLES)[number];
  label: string;
  groupId: string | null;
  expiresAt: string;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export type InvitationState = 'valid' | 'expired' | 'exhausted' | 'revoked';

/** Whether an invitation can still be used, and if not, why. */
export function invitationState(inv: Pick<Invitation, 'expiresAt' | 'maxUses' | 'uses' | 'revokedAt'>, now = Date.now()): InvitationState {
  if (inv.revokedAt) return 'revoked';
  if (Date.parse(inv.expiresAt) <= now) return 'expired';
  if (inv.maxUses !== null && inv.uses >= inv.maxUses) return 'exhausted';
  return 'valid';
}

export const INVITATION_STATE_MESSAGES: Record<Exclude<InvitationState, 'valid'>, string> = {
  expired: 'Ce lien d’invitation a expiré.',
  exhausted: 'Ce lien d’invitation a atteint son nombre maximal d’utilisations.',
  revoked: 'Ce lien d’invitation a été révoqué.',
};

export interface Account {
  id: string;
  email: string;
  name: string;
  organisation: string;
  category: (typeof ACTOR_CATEGORIES)[number];
  isAdmin: boolean;
  createdAt: string;
}

/** One moderation action, as kept in a workshop's audit log. */
export interface AuditEntry {
  id: string;
  workshopId: string;
  /** Member id of who did it (null for an administrator outside the workshop). */
  actorId: string | null;
  actorName: string;
  action: string;
  details: Record<string, unknown>;
  at: string;
}
