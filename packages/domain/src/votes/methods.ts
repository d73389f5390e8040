/**
 * Voting methods of the débat stage and their vocabulary (identifiers in English, labels in French).
 *
 * The settings of each method are described by the zod schemas of `schemas.ts`; this file only holds the
 * constants both the schemas and the rest of the engine share.
 */

export const VOTE_METHODS = ['yes-no-abstain', 'consent', 'majority-judgment', 'dot-voting'] as const;
export type VoteMethod = (typeof VOTE_METHODS)[number];

export const VOTE_METHOD_LABELS: Record<VoteMethod, string> = {
  'yes-no-abstain': 'Pour / contre / abstention',
  consent: 'Consentement (objections motivées)',
  'majority-judgment': 'Jugement majoritaire',
  'dot-voting': 'Vote par points (gommettes)',
};

/** Life of a vote: settings editable in `draft` only; a closed vote is never re-opened (see `newRound`). */
export const VOTE_STATUSES = ['draft', 'open', 'closed', 'published'] as const;
export type VoteStatus = (typeof VOTE_STATUSES)[number];

export const VOTE_STATUS_LABELS: Record<VoteStatus, string> = {
  draft: 'En préparation',
  open: 'Ouvert',
  closed: 'Clos (résultats non publiés)',
  published: 'Résultats publiés',
};

// --- yes / no / abstain ---------------------------------------------------------------------------

export const YES_NO_CHOICES = ['pour', 'contre', 'abstention'] as const;
export type YesNoChoice = (typeof YES_NO_CHOICES)[number];

export const YES_NO_CHOICE_LABELS: Record<YesNoChoice, string> = {
  pour: 'Pour',
  contre: 'Contre',
  abstention: 'Abstention',
};

// --- consent ----------------------------------------------------------------------------------------

export const CONSENT_POSITIONS = ['no-objection', 'objection'] as const;
export type ConsentPosition = (typeof CONSENT_POSITIONS)[number];

export const CONSENT_POSITION_LABELS: Record<ConsentPosition, string> = {
  'no-objection': 'Pas d’objection',
  objection: 'Objection',
};

/** Length bounds of an objection's reason, counted after trimming. */
export const OBJECTION_REASON_MIN = 1;
export const OBJECTION_REASON_MAX = 1000;

// --- majority judgment ------------------------------------------------------------------------------

/**
 * The seven usual grades of majority judgment (Balinski & Laraki, MieuxVoter), **best first** — the order in
 * which ballots and merit profiles are displayed.
 */
export const MJ_GRADES = ['excellent', 'tres-bien', 'bien', 'assez-bien', 'passable', 'insuffisant', 'a-rejeter'] as const;
export type MjGrade = (typeof MJ_GRADES)[number];

export const MJ_GRADE_LABELS: Record<MjGrade, string> = {
  excellent: 'Excellent',
  'tres-bien': 'Très bien',
  bien: 'Bien',
  'assez-bien': 'Assez bien',
  passable: 'Passable',
  insuffisant: 'Insuffisant',
  'a-rejeter': 'À rejeter',
};

/** Numeric value of a grade for the median computations: 0 = « À rejeter » (worst) … 6 = « Excellent » (best). */
export function gradeValue(grade: MjGrade): number {
  return MJ_GRADES.length - 1 - MJ_GRADES.indexOf(grade);
}

/** Inverse of `gradeValue`. Throws on a value outside 0…6 (a programming error). */
export function gradeOfValue(value: number): MjGrade {
  const grade = MJ_GRADES[MJ_GRADES.length - 1 - value];
  if (grade === undefined || !Number.isInteger(value)) throw new RangeError(`valeur de mention hors bornes : ${value}`);
  return grade;
}

export const MJ_MIN_OPTIONS = 2;
export const MJ_MAX_OPTIONS = 20;

// --- dot voting -------------------------------------------------------------------------------------

export const DOT_MIN_OPTIONS = 2;
export const DOT_MAX_OPTIONS = 30;
export const DOT_MIN_POINTS = 1;
export const DOT_MAX_POINTS = 100;

// --- shared limits ----------------------------------------------------------------------------------

export const QUESTION_MIN = 3;
export const QUESTION_MAX = 500;
export const OPTION_LABEL_MAX = 200;

/** Timer bounds for `openVote(vote, now, timerSeconds)`: 10 seconds to 24 hours. */
export const TIMER_MIN_SECONDS = 10;
export const TIMER_MAX_SECONDS = 86_400;

/**
 * In a secret vote, the per-college breakdown is withheld from every audience as soon as one college has
 * between 1 and `MIN_SECRET_COLLEGE_BALLOTS - 1` ballots: with a single État voter (the préfet), the État
 * column would *be* their ballot. The breakdown is withheld as a whole, not college by college, because the
 * overall result minus the other colleges would give the hidden one back.
 */
export const MIN_SECRET_COLLEGE_BALLOTS = 3;
