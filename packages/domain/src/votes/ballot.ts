/**
 * Ballots, one shape per method (discriminated by `method`), and their validation against a vote's settings.
 *
 * Decisions:
 * - majority judgment: a ballot must grade **every** option, and only the options of the vote. A missing
 *   grade is refused rather than read as « À rejeter »: the engine does not put words in a voter's mouth,
 *   and the interface can offer « À rejeter » explicitly. Every option then has the same number of grades,
 *   which the majority-value comparison needs.
 * - dot voting: a ballot spends **at least 1 and at most N** points (N = `pointsPerVoter`); keeping points
 *   back is allowed, an empty ballot is not (abstaining is not voting). Each option receives a whole number of
 *   points, at most `maxPointsPerOption` when set.
 * - consent: an objection needs a reason of 1–1000 characters (after trimming); a « pas d’objection » ballot
 *   carries no reason.
 *
 * `validateBallot` returns the ballot in canonical form (trimmed reason, options in the vote's order, no
 * zero-point entries): two ballots with the same content are then identical objects, whatever the client
 * sent, so a stored secret ballot does not fingerprint the device that cast it.
 */
import * as z from 'zod';
import {
  CONSENT_POSITIONS,
  MJ_GRADES,
  MJ_GRADE_LABELS,
  OBJECTION_REASON_MAX,
  OBJECTION_REASON_MIN,
  VOTE_METHOD_LABELS,
  VOTE_METHODS,
  YES_NO_CHOICES,
  type MjGrade,
  type VoteMethod,
} from './methods.ts';
import { frenchErrors, OptionIdSchema, type VoteSettings } from './schemas.ts';

export const YesNoBallotSchema = z.strictObject({
  method: z.literal('yes-no-abstain'),
  choice: z.enum(YES_NO_CHOICES, { error: 'choix invalide : « pour », « contre » ou « abstention » attendu' }),
});

export const ConsentBallotSchema = z.discriminatedUnion(
  'position',
  [
    z.strictObject(
      { method: z.literal('consent'), position: z.literal('no-objection') },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys' ? 'une absence d’objection ne porte pas de motif' : undefined,
      },
    ),
    z.strictObject({
      method: z.literal('consent'),
      position: z.literal('objection'),
      reason: z
        .string({ error: 'une objection doit être motivée' })
        .trim()
        .min(OBJECTION_REASON_MIN, 'une objection doit être motivée')
        .max(OBJECTION_REASON_MAX, `le motif de l’objection doit faire au plus ${OBJECTION_REASON_MAX} caractères`),
    }),
  ],
  { error: `position invalide : ${CONSENT_POSITIONS.map((p) => `« ${p} »`).join(' ou ')} attendu` },
);

export const MajorityJudgmentBallotSchema = z.strictObject({
  method: z.literal('majority-judgment'),
  grades: z.record(
    OptionIdSchema,
    z.enum(MJ_GRADES, {
      error: `mention invalide : ${MJ_GRADES.map((g) => `« ${MJ_GRADE_LABELS[g]} » (${g})`).join(', ')} attendue`,
    }),
    { error: 'mentions attendues : une par option' },
  ),
});

export const DotVotingBallotSchema = z.strictObject({
  method: z.literal('dot-voting'),
  points: z.record(
    OptionIdSchema,
    z
      .number({ error: 'nombre de points attendu' })
      .int('les points se donnent en nombres entiers')
      .min(0, 'nombre de points négatif'),
    { error: 'répartition des points attendue' },
  ),
});

export const BallotSchema = z.discriminatedUnion(
  'method',
  [YesNoBallotSchema, ConsentBallotSchema, MajorityJudgmentBallotSchema, DotVotingBallotSchema],
  { error: 'bulletin illisible : mode de scrutin inconnu' },
);
export type Ballot = z.output<typeof BallotSchema>;
export type YesNoBallot = z.output<typeof YesNoBallotSchema>;
export type ConsentBallot = z.output<typeof ConsentBallotSchema>;
export type MajorityJudgmentBallot = z.output<typeof MajorityJudgmentBallotSchema>;
export type DotVotingBallot = z.output<typeof DotVotingBallotSchema>;

/** The ballot type matching a settings type. */
export type BallotFor<S extends VoteSettings> = Extract<Ballot, { method: S['method'] }>;

export type BallotValidation = { ok: true; ballot: Ballot } | { ok: false; message: string };

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message: `Bulletin refusé : ${message}.` };
}

const list = (ids: readonly string[]): string => ids.map((id) => `« ${id} »`).join(', ');

function isMethod(value: unknown): value is VoteMethod {
  return typeof value === 'string' && (VOTE_METHODS as readonly string[]).includes(value);
}

function wrongMethod(expected: VoteMethod, got: VoteMethod): { ok: false; message: string } {
  return refuse(`ce vote se fait au mode « ${VOTE_METHOD_LABELS[expected]} », pas « ${VOTE_METHOD_LABELS[got]} »`);
}

/**
 * Checks a ballot (untrusted input) against the vote's settings. On success, returns it in canonical form.
 * Messages are French sentences meant for the voter.
 */
export function validateBallot(settings: VoteSettings, ballot: unknown): BallotValidation {
  const parsed = BallotSchema.safeParse(ballot, { error: frenchErrors });
  if (!parsed.success) {
    // a ballot of another method would fail on its own fields first; name the mismatch instead
    const method = typeof ballot === 'object' && ballot !== null && 'method' in ballot ? ballot.method : undefined;
    if (isMethod(method) && method !== settings.method) return wrongMethod(settings.method, method);
    const first = parsed.error.issues[0];
    return refuse(first ? first.message : 'bulletin illisible');
  }
  const b = parsed.data;
  if (b.method !== settings.method) return wrongMethod(settings.method, b.method);

  switch (b.method) {
    case 'yes-no-abstain':
      return { ok: true, ballot: { method: b.method, choice: b.choice } };
    case 'consent':
      return {
        ok: true,
        ballot: b.position === 'objection' ? { method: b.method, position: b.position, reason: b.reason } : { method: b.method, position: b.position },
      };
    case 'majority-judgment': {
      if (settings.method !== 'majority-judgment') return refuse('mode de scrutin incohérent');
      const known = new Set(settings.options.map((o) => o.id));
      const unknown = Object.keys(b.grades).filter((id) => !known.has(id));
      if (unknown.length > 0) return refuse(`option inconnue : ${list(unknown)}`);
      const missing = settings.options.filter((o) => !Object.hasOwn(b.grades, o.id));
      if (missing.length > 0) {
        return refuse(`chaque option doit recevoir une mention ; il manque ${missing.map((o) => `« ${o.label} »`).join(', ')}`);
      }
      const grades: Record<string, MjGrade> = {};
      for (const o of settings.options) {
        const g = b.grades[o.id];
        if (g !== undefined) grades[o.id] = g;
      }
      return { ok: true, ballot: { method: b.method, grades } };
    }
    case 'dot-voting': {
      if (settings.method !== 'dot-voting') return refuse('mode de scrutin incohérent');
      const known = new Set(settings.options.map((o) => o.id));
      const unknown = Object.keys(b.points).filter((id) => !known.has(id));
      if (unknown.length > 0) return refuse(`option inconnue : ${list(unknown)}`);
      let total = 0;
      const points: Record<string, number> = {};
      for (const o of settings.options) {
        const p = b.points[o.id] ?? 0;
        if (settings.maxPointsPerOption !== null && p > settings.maxPointsPerOption) {
          return refuse(`au plus ${settings.maxPointsPerOption} point(s) par option ; « ${o.label} » en reçoit ${p}`);
        }
        total += p;
        if (p > 0) points[o.id] = p;
      }
      if (total < 1) return refuse('donnez au moins 1 point');
      if (total > settings.pointsPerVoter) {
        return refuse(`vous disposez de ${settings.pointsPerVoter} point(s) et en avez réparti ${total}`);
      }
      return { ok: true, ballot: { method: b.method, points } };
    }
  }
}

/**
 * A string equal for equal ballots and different otherwise, used to sort secret ballots by content (so their
 * order says nothing about who cast them or when). Expects a ballot in canonical form.
 */
export function canonicalBallotKey(ballot: Ballot): string {
  switch (ballot.method) {
    case 'yes-no-abstain':
      return JSON.stringify([ballot.method, ballot.choice]);
    case 'consent':
      return JSON.stringify([ballot.method, ballot.position, ballot.position === 'objection' ? ballot.reason : '']);
    case 'majority-judgment':
      return JSON.stringify([ballot.method, Object.entries(ballot.grades).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
    case 'dot-voting':
      return JSON.stringify([ballot.method, Object.entries(ballot.points).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  }
}
