/**
 * Counting: `tally(settings, ballots, { eligibleCount, colleges })` gives the result overall and per college.
 *
 * - Participation = ballots cast / eligible voters. Every ballot counts as cast: abstentions, objections,
 *   majority-judgment ballots full of « À rejeter ».
 * - Quorum: see `QuorumSchema`. A share quorum is rounded up (and is at least 1 ballot).
 * - Adoption (yes / no / abstain and consent only) = quorum reached **and** the method's rule met.
 *   Consent needs at least one ballot: nobody objecting in an empty room is not consent.
 * - Rankings (majority judgment, dot voting) use standard competition ranks (1, 1, 3): options with the same
 *   result share a rank. Options are listed by rank, then in the vote's own order — the output is
 *   deterministic and does not depend on the order of the ballots.
 * - Per college: the same counts restricted to the ballots of each college, for the four `COLLEGES` in their
 *   fixed order (colleges without ballots included). The quorum and the adoption are decided overall only;
 *   per college the yes / no tally says whether the majority rule would be met within that college.
 *
 * The tally trusts nothing: each ballot is checked against the settings and an invalid one throws (it can only
 * come from a programming error, the ballot box validates every ballot).
 */
import { COLLEGES, type College } from '../actors/actors.ts';
import { validateBallot, type Ballot } from './ballot.ts';
import { majorityGradeIndex, majorityJudgmentRanks } from './majority-judgment.ts';
import { gradeOfValue, gradeValue, MJ_GRADES, type MjGrade, type YesNoChoice } from './methods.ts';
import type {
  ConsentSettings,
  DotVotingSettings,
  Majority,
  MajorityJudgmentSettings,
  Quorum,
  VoteSettings,
  YesNoSettings,
} from './schemas.ts';

/** A ballot as the tally sees it: its content and the college of whoever cast it, nothing else. */
export interface TallyBallot {
  college: College;
  ballot: Ballot;
}

export interface TallyContext {
  /** Number of voters allowed to vote (the denominator of participation, the base of a share quorum). */
  eligibleCount: number;
  /** Eligible voters per college, for per-college participation; a missing college gives a null rate. */
  colleges?: Partial<Record<College, number>>;
}

export interface Participation {
  cast: number;
  eligible: number | null;
  /** cast / eligible, null when eligible is unknown or 0. */
  rate: number | null;
}

export interface QuorumOutcome {
  rule: Quorum;
  /** Ballots needed (0 when there is no quorum). */
  required: number;
  reached: boolean;
}

export type YesNoCounts = Record<YesNoChoice, number>;

export interface YesNoCollegeResult {
  college: College;
  participation: Participation;
  counts: YesNoCounts;
  /** pour + contre. */
  expressed: number;
  majorityReached: boolean;
}

export interface YesNoTally {
  method: 'yes-no-abstain';
  participation: Participation;
  quorum: QuorumOutcome;
  counts: YesNoCounts;
  expressed: number;
  majority: { rule: Majority; reached: boolean };
  adopted: boolean;
  byCollege: YesNoCollegeResult[];
}

export interface ConsentCounts {
  'no-objection': number;
  objection: number;
}

export interface ConsentCollegeResult {
  college: College;
  participation: Participation;
  counts: ConsentCounts;
}

export interface ConsentTally {
  method: 'consent';
  participation: Participation;
  quorum: QuorumOutcome;
  counts: ConsentCounts;
  /** Reasons of the objections, sorted (never in casting order). Not broken down by college. */
  objections: string[];
  adopted: boolean;
  byCollege: ConsentCollegeResult[];
}

export type MeritProfile = Record<MjGrade, number>;

export interface MajorityJudgmentOptionResult {
  optionId: string;
  label: string;
  /** Count per grade, best grade first (`MJ_GRADES` order). */
  profile: MeritProfile;
  /** Lower median grade; null without ballots. */
  majorityGrade: MjGrade | null;
  rank: number;
}

export interface MajorityJudgmentCollegeResult {
  college: College;
  participation: Participation;
  options: MajorityJudgmentOptionResult[];
}

export interface MajorityJudgmentTally {
  method: 'majority-judgment';
  participation: Participation;
  quorum: QuorumOutcome;
  /** By rank, then in the vote's option order. */
  options: MajorityJudgmentOptionResult[];
  byCollege: MajorityJudgmentCollegeResult[];
}

export interface DotVotingOptionResult {
  optionId: string;
  label: string;
  points: number;
  /** Ballots giving this option at least one point. */
  voters: number;
  rank: number;
}

export interface DotVotingCollegeResult {
  college: College;
  participation: Participation;
  totalPoints: number;
  options: DotVotingOptionResult[];
}

export interface DotVotingTally {
  method: 'dot-voting';
  participation: Participation;
  quorum: QuorumOutcome;
  totalPoints: number;
  /** By rank (most points first), then in the vote's option order. */
  options: DotVotingOptionResult[];
  byCollege: DotVotingCollegeResult[];
}

export type TallyResult = YesNoTally | ConsentTally | MajorityJudgmentTally | DotVotingTally;

/** The result type matching a settings type. */
export type TallyFor<S extends VoteSettings> = Extract<TallyResult, { method: S['method'] }>;

// --- shared rules ---------------------------------------------------------------------------------------

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} : entier positif ou nul attendu (reçu ${value})`);
}

export function participationOf(cast: number, eligible: number | null): Participation {
  return { cast, eligible, rate: eligible === null || eligible === 0 ? null : cast / eligible };
}

/**
 * Ballots needed to reach a quorum. A share is rounded up — 50 % of 41 → 21 — after removing the binary
 * floating-point noise (0.3 × 10 is 3.0000000000000004 in floating point, and must need 3 ballots, not 4).
 */
export function quorumRequired(rule: Quorum, eligibleCount: number): number {
  switch (rule.kind) {
    case 'none':
      return 0;
    case 'count':
      return rule.value;
    case 'share':
      return Math.max(1, Math.ceil(Math.round(rule.value * eligibleCount * 1e9) / 1e9));
  }
}

export function quorumOutcome(rule: Quorum, cast: number, eligibleCount: number): QuorumOutcome {
  const required = quorumRequired(rule, eligibleCount);
  return { rule, required, reached: cast >= required };
}

/** Whether a yes / no / abstain count meets a majority rule (see `MajoritySchema`). Ties always fail. */
export function majorityReached(rule: Majority, counts: YesNoCounts): boolean {
  const { pour, contre, abstention } = counts;
  switch (rule.kind) {
    case 'simple':
      return pour > contre;
    case 'absolute':
      return 2 * pour > pour + contre + abstention;
    case 'qualified': {
      const expressed = pour + contre;
      return expressed > 0 && pour > contre && pour * rule.denominator >= rule.numerator * expressed;
    }
  }
}

function byCollege(ballots: readonly TallyBallot[]): Map<College, TallyBallot[]> {
  const map = new Map<College, TallyBallot[]>(COLLEGES.map((c) => [c, []]));
  for (const b of ballots) {
    const list = map.get(b.college);
    if (list === undefined) throw new RangeError(`collège inconnu : ${String(b.college)}`);
    list.push(b);
  }
  return map;
}

function collegeParticipation(college: College, cast: number, ctx: TallyContext): Participation {
  const eligible = ctx.colleges?.[college];
  if (eligible !== undefined) checkCount(eligible, `votants éligibles du collège ${college}`);
  return participationOf(cast, eligible ?? null);
}

/** Competition ranks (1, 1, 3) from scores where higher is better, in input order. */
function ranksByScore(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((t) => t > s).length);
}

function byRankThenOrder<T extends { rank: number }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.rank - b.item.rank || a.index - b.index)
    .map(({ item }) => item);
}

// --- per method -----------------------------------------------------------------------------------------

function countYesNo(ballots: readonly TallyBallot[]): YesNoCounts {
  const counts: YesNoCounts = { pour: 0, contre: 0, abstention: 0 };
  for (const { ballot } of ballots) if (ballot.method === 'yes-no-abstain') counts[ballot.choice] += 1;
  return counts;
}

function tallyYesNo(settings: YesNoSettings, ballots: readonly TallyBallot[], ctx: TallyContext): YesNoTally {
  const counts = countYesNo(ballots);
  const quorum = quorumOutcome(settings.quorum, ballots.length, ctx.eligibleCount);
  const reached = majorityReached(settings.majority, counts);
  return {
    method: 'yes-no-abstain',
    participation: participationOf(ballots.length, ctx.eligibleCount),
    quorum,
    counts,
    expressed: counts.pour + counts.contre,
    majority: { rule: settings.majority, reached },
    adopted: quorum.reached && reached,
    byCollege: [...byCollege(ballots)].map(([college, list]) => {
      const c = countYesNo(list);
      return {
        college,
        participation: collegeParticipation(college, list.length, ctx),
        counts: c,
        expressed: c.pour + c.contre,
        majorityReached: majorityReached(settings.majority, c),
      };
    }),
  };
}

function countConsent(ballots: readonly TallyBallot[]): ConsentCounts {
  const counts: ConsentCounts = { 'no-objection': 0, objection: 0 };
  for (const { ballot } of ballots) if (ballot.method === 'consent') counts[ballot.position] += 1;
  return counts;
}

function tallyConsent(settings: ConsentSettings, ballots: readonly TallyBallot[], ctx: TallyContext): ConsentTally {
  const counts = countConsent(ballots);
  const quorum = quorumOutcome(settings.quorum, ballots.length, ctx.eligibleCount);
  const objections: string[] = [];
  for (const { ballot } of ballots) if (ballot.method === 'consent' && ballot.position === 'objection') objections.push(ballot.reason);
  objections.sort((a, b) => a.localeCompare(b, 'fr') || (a < b ? -1 : a > b ? 1 : 0));
  return {
    method: 'consent',
    participation: participationOf(ballots.length, ctx.eligibleCount),
    quorum,
    counts,
    objections,
    adopted: quorum.reached && ballots.length > 0 && counts.objection === 0,
    byCollege: [...byCollege(ballots)].map(([college, list]) => ({
      college,
      participation: collegeParticipation(college, list.length, ctx),
      counts: countConsent(list),
    })),
  };
}

function mjOptions(settings: MajorityJudgmentSettings, ballots: readonly TallyBallot[]): MajorityJudgmentOptionResult[] {
  // profiles worst first, as the majority-judgment arithmetic expects
  const profiles = settings.options.map((option) => {
    const profile = new Array<number>(MJ_GRADES.length).fill(0);
    for (const { ballot } of ballots) {
      if (ballot.method !== 'majority-judgment') continue;
      const grade = ballot.grades[option.id];
      if (grade !== undefined) profile[gradeValue(grade)] = (profile[gradeValue(grade)] ?? 0) + 1;
    }
    return profile;
  });
  const ranks = majorityJudgmentRanks(profiles);
  return byRankThenOrder(
    settings.options.map((option, i) => {
      const counts = profiles[i] ?? [];
      const median = majorityGradeIndex(counts);
      const profile = Object.fromEntries(MJ_GRADES.map((g) => [g, counts[gradeValue(g)] ?? 0])) as MeritProfile;
      return {
        optionId: option.id,
        label: option.label,
        profile,
        majorityGrade: median === null ? null : gradeOfValue(median),
        rank: ranks[i] ?? 1,
      };
    }),
  );
}

function tallyMajorityJudgment(
  settings: MajorityJudgmentSettings,
  ballots: readonly TallyBallot[],
  ctx: TallyContext,
): MajorityJudgmentTally {
  return {
    method: 'majority-judgment',
    participation: participationOf(ballots.length, ctx.eligibleCount),
    quorum: quorumOutcome(settings.quorum, ballots.length, ctx.eligibleCount),
    options: mjOptions(settings, ballots),
    byCollege: [...byCollege(ballots)].map(([college, list]) => ({
      college,
      participation: collegeParticipation(college, list.length, ctx),
      options: mjOptions(settings, list),
    })),
  };
}

function dotOptions(settings: DotVotingSettings, ballots: readonly TallyBallot[]): { totalPoints: number; options: DotVotingOptionResult[] } {
  const points = settings.options.map(() => 0);
  const voters = settings.options.map(() => 0);
  for (const { ballot } of ballots) {
    if (ballot.method !== 'dot-voting') continue;
    settings.options.forEach((option, i) => {
      const p = ballot.points[option.id] ?? 0;
      points[i] = (points[i] ?? 0) + p;
      if (p > 0) voters[i] = (voters[i] ?? 0) + 1;
    });
  }
  const ranks = ranksByScore(points);
  return {
    totalPoints: points.reduce((a, b) => a + b, 0),
    options: byRankThenOrder(
      settings.options.map((option, i) => ({
        optionId: option.id,
        label: option.label,
        points: points[i] ?? 0,
        voters: voters[i] ?? 0,
        rank: ranks[i] ?? 1,
      })),
    ),
  };
}

function tallyDot(settings: DotVotingSettings, ballots: readonly TallyBallot[], ctx: TallyContext): DotVotingTally {
  return {
    method: 'dot-voting',
    participation: participationOf(ballots.length, ctx.eligibleCount),
    quorum: quorumOutcome(settings.quorum, ballots.length, ctx.eligibleCount),
    ...dotOptions(settings, ballots),
    byCollege: [...byCollege(ballots)].map(([college, list]) => ({
      college,
      participation: collegeParticipation(college, list.length, ctx),
      ...dotOptions(settings, list),
    })),
  };
}

/**
 * Counts the ballots of a vote, overall and per college. Pure and deterministic: the result does not depend
 * on the order of `ballots`. Throws a RangeError on an invalid context or ballot (programming errors).
 */
export function tally<S extends VoteSettings>(settings: S, ballots: readonly TallyBallot[], context: TallyContext): TallyFor<S>;
export function tally(settings: VoteSettings, ballots: readonly TallyBallot[], context: TallyContext): TallyResult {
  checkCount(context.eligibleCount, 'nombre de votants éligibles');
  for (const b of ballots) {
    if (!(COLLEGES as readonly string[]).includes(b.college)) throw new RangeError(`collège inconnu : ${String(b.college)}`);
    const v = validateBallot(settings, b.ballot);
    if (!v.ok) throw new RangeError(`dépouillement impossible : ${v.message}`);
  }
  switch (settings.method) {
    case 'yes-no-abstain':
      return tallyYesNo(settings, ballots, context);
    case 'consent':
      return tallyConsent(settings, ballots, context);
    case 'majority-judgment':
      return tallyMajorityJudgment(settings, ballots, context);
    case 'dot-voting':
      return tallyDot(settings, ballots, context);
  }
}
