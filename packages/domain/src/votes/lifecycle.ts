/**
 * The life of a vote, as pure functions over a `Vote` record:
 *
 *   draft ──openVote──▶ open ──closeVote──▶ closed ──publishResults──▶ published
 *     ▲ updateSettings / updateQuestion / setEligibleVoters (draft only)
 *
 * - Settings, question and electorate are frozen once the vote is open.
 * - A closed or published vote is never re-opened: `newRound` starts a fresh draft (round + 1) with the same
 *   question and settings, and its own, empty, ballot box.
 * - Time is never read: every function that needs it takes `now`. Timestamps are stored as ISO 8601 strings.
 * - Every transition returns `{ ok: true, vote }` or `{ ok: false, code, message }` (message in French), and
 *   never mutates its argument.
 *
 * Who sees what — `visibleResults(vote, audience)`:
 *
 * | status    | organiser                                   | participant              | projector                |
 * |-----------|---------------------------------------------|--------------------------|--------------------------|
 * | draft     | nothing                                     | nothing                  | nothing                  |
 * | open      | participation; provisional results if       | same as organiser        | same as organiser        |
 * |           | `liveResults` (never with a secret ballot)   |                          |                          |
 * | closed    | participation + results                     | participation            | participation            |
 * | published | participation + results                     | participation + results  | participation + results  |
 *
 * “Participation” is the number of ballots cast against the electorate — it tells nothing of the choices
 * and lets the room see that votes are arriving. “Organiser” means the co-chairs and facilitators
 * (`vote.moderate`); results reach participants and the projector once published, or live while open when
 * the vote was set up with `liveResults` (a public vote whose point is to watch the room's answers come in). In a secret vote the
 * per-college breakdown is withheld from everyone when a college has 1 or 2 ballots (`resultsFor`).
 */
import { MIN_SECRET_COLLEGE_BALLOTS, TIMER_MAX_SECONDS, TIMER_MIN_SECONDS } from './methods.ts';
import {
  formatIssues,
  frenchErrors,
  parseVoteSettings,
  QuestionSchema,
  VoteIdSchema,
  VoterIdSchema,
  type Vote,
} from './schemas.ts';
import type { Participation, TallyResult } from './tally.ts';

export type VoteErrorCode =
  | 'invalid-id'
  | 'invalid-question'
  | 'invalid-settings'
  | 'invalid-voters'
  | 'invalid-timer'
  | 'not-draft'
  | 'not-open'
  | 'not-closed'
  | 'already-open'
  | 'already-closed'
  | 'already-published'
  | 'cannot-reopen';

export interface VoteError {
  ok: false;
  code: VoteErrorCode;
  message: string;
}
export type VoteResult = { ok: true; vote: Vote } | VoteError;

function fail(code: VoteErrorCode, message: string): VoteError {
  return { ok: false, code, message };
}

const FROZEN = 'Les paramètres d’un vote ne peuvent plus changer une fois le vote ouvert.';

function frozen(vote: Vote): VoteError {
  return fail('not-draft', vote.status === 'draft' ? FROZEN : `${FROZEN} Pour revoter, lancez un nouveau tour.`);
}

function parseEligible(ids: readonly string[] | null): { ok: true; value: string[] | null } | VoteError {
  if (ids === null) return { ok: true, value: null };
  for (const id of ids) {
    const r = VoterIdSchema.safeParse(id, { error: frenchErrors });
    if (!r.success) return fail('invalid-voters', `Liste des votants invalide : ${formatIssues(r.error)}`);
  }
  if (new Set(ids).size !== ids.length) return fail('invalid-voters', 'Liste des votants invalide : un votant y figure deux fois.');
  return { ok: true, value: [...ids] };
}

export interface CreateVoteInput {
  id: string;
  question: string;
  settings: unknown;
  /** Who may vote; omitted or null: the caller decides (see `castBallot`). */
  eligibleVoterIds?: readonly string[] | null;
}

/** A new vote, in `draft`, first round. */
export function createVote(input: CreateVoteInput): VoteResult {
  const id = VoteIdSchema.safeParse(input.id, { error: frenchErrors });
  if (!id.success) return fail('invalid-id', `Identifiant de vote invalide : ${formatIssues(id.error)}`);
  const question = QuestionSchema.safeParse(input.question, { error: frenchErrors });
  if (!question.success) return fail('invalid-question', `Question invalide : ${formatIssues(question.error)}`);
  const settings = parseVoteSettings(input.settings);
  if (!settings.ok) return fail('invalid-settings', settings.message);
  const eligible = parseEligible(input.eligibleVoterIds ?? null);
  if (!eligible.ok) return eligible;
  return {
    ok: true,
    vote: {
      id: id.data,
      question: question.data,
      settings: settings.value,
      status: 'draft',
      round: 1,
      previousRoundId: null,
      eligibleVoterIds: eligible.value,
      opensAt: null,
      closesAt: null,
      closedAt: null,
      publishedAt: null,
    },
  };
}

/** Replaces the settings of a draft vote; refused once the vote is open. */
export function updateSettings(vote: Vote, settings: unknown): VoteResult {
  if (vote.status !== 'draft') return frozen(vote);
  const parsed = parseVoteSettings(settings);
  if (!parsed.ok) return fail('invalid-settings', parsed.message);
  return { ok: true, vote: { ...vote, settings: parsed.value } };
}

/** Rewords the question of a draft vote; refused once the vote is open. */
export function updateQuestion(vote: Vote, question: string): VoteResult {
  if (vote.status !== 'draft') return frozen(vote);
  const parsed = QuestionSchema.safeParse(question, { error: frenchErrors });
  if (!parsed.success) return fail('invalid-question', `Question invalide : ${formatIssues(parsed.error)}`);
  return { ok: true, vote: { ...vote, question: parsed.data } };
}

/** Sets who may vote (null: no list) on a draft vote; refused once the vote is open. */
export function setEligibleVoters(vote: Vote, voterIds: readonly string[] | null): VoteResult {
  if (vote.status !== 'draft') return frozen(vote);
  const eligible = parseEligible(voterIds);
  if (!eligible.ok) return eligible;
  return { ok: true, vote: { ...vote, eligibleVoterIds: eligible.value } };
}

/**
 * Opens a draft vote at `now`. With `timerSeconds` (10 s – 24 h), the vote closes itself at
 * `now + timerSeconds`: ballots are refused from that instant and `shouldAutoClose` turns true.
 */
export function openVote(vote: Vote, now: Date, timerSeconds?: number): VoteResult {
  switch (vote.status) {
    case 'open':
      return fail('already-open', 'Le vote est déjà ouvert.');
    case 'closed':
      return fail('cannot-reopen', 'Un vote clos ne peut pas être rouvert : lancez un nouveau tour.');
    case 'published':
      return fail('already-published', 'Les résultats de ce vote sont publiés ; il ne peut pas être rouvert : lancez un nouveau tour.');
    case 'draft':
      break;
  }
  if (
    timerSeconds !== undefined &&
    (!Number.isInteger(timerSeconds) || timerSeconds < TIMER_MIN_SECONDS || timerSeconds > TIMER_MAX_SECONDS)
  ) {
    return fail(
      'invalid-timer',
      `Minuteur invalide : une durée entière entre ${TIMER_MIN_SECONDS} secondes et ${TIMER_MAX_SECONDS / 3600} heures est attendue.`,
    );
  }
  return {
    ok: true,
    vote: {
      ...vote,
      status: 'open',
      opensAt: now.toISOString(),
      closesAt: timerSeconds === undefined ? null : new Date(now.getTime() + timerSeconds * 1000).toISOString(),
    },
  };
}

/** Whether an open vote's timer has run out at `now` (closing is then due: call `closeVote`). */
export function shouldAutoClose(vote: Vote, now: Date): boolean {
  return vote.status === 'open' && vote.closesAt !== null && now.getTime() >= Date.parse(vote.closesAt);
}

/** Whether ballots are accepted at `now`: the vote is open and its timer, if any, has not run out. */
export function acceptsBallots(vote: Vote, now: Date): boolean {
  return vote.status === 'open' && !shouldAutoClose(vote, now);
}

/**
 * Closes an open vote. When the timer ran out before `now` (a late auto-close), the recorded closing time is
 * the scheduled one: no ballot was accepted after it anyway.
 */
export function closeVote(vote: Vote, now: Date): VoteResult {
  switch (vote.status) {
    case 'draft':
      return fail('not-open', 'Le vote n’a pas été ouvert.');
    case 'closed':
      return fail('already-closed', 'Le vote est déjà clos.');
    case 'published':
      return fail('already-published', 'Le vote est clos et ses résultats sont déjà publiés.');
    case 'open':
      break;
  }
  const closedAt = vote.closesAt !== null && now.getTime() > Date.parse(vote.closesAt) ? vote.closesAt : now.toISOString();
  return { ok: true, vote: { ...vote, status: 'closed', closedAt } };
}

/** Publishes the results of a closed vote to participants and the projector. */
export function publishResults(vote: Vote, now: Date): VoteResult {
  switch (vote.status) {
    case 'draft':
    case 'open':
      return fail('not-closed', 'Les résultats ne peuvent être publiés qu’une fois le vote clos.');
    case 'published':
      return fail('already-published', 'Les résultats sont déjà publiés.');
    case 'closed':
      break;
  }
  return { ok: true, vote: { ...vote, status: 'published', publishedAt: now.toISOString() } };
}

/**
 * A new round of a closed or published vote: a fresh draft with the same question, settings and electorate,
 * `round + 1`, pointing back to the previous round. The previous vote is left as it is.
 */
export function newRound(vote: Vote, newId: string): VoteResult {
  if (vote.status === 'draft' || vote.status === 'open') {
    return fail('not-closed', 'Un nouveau tour ne peut être lancé qu’après la clôture du vote en cours.');
  }
  const id = VoteIdSchema.safeParse(newId, { error: frenchErrors });
  if (!id.success) return fail('invalid-id', `Identifiant de vote invalide : ${formatIssues(id.error)}`);
  if (id.data === vote.id) return fail('invalid-id', 'Le nouveau tour doit avoir son propre identifiant.');
  return {
    ok: true,
    vote: {
      id: id.data,
      question: vote.question,
      settings: vote.settings,
      status: 'draft',
      round: vote.round + 1,
      previousRoundId: vote.id,
      eligibleVoterIds: vote.eligibleVoterIds === null ? null : [...vote.eligibleVoterIds],
      opensAt: null,
      closesAt: null,
      closedAt: null,
      publishedAt: null,
    },
  };
}

// --- visibility -----------------------------------------------------------------------------------------

export const AUDIENCES = ['organiser', 'participant', 'projector'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * Whether results exist for anyone at all: from the close on, or while open when the vote was set up with
 * live results. Organisers included: before that, nobody — not even the co-chairs — sees how the vote is
 * going. Pass `{ liveResults: vote.settings.liveResults }`.
 */
export function resultsVisible(vote: Pick<Vote, 'status'>, options: { liveResults: boolean }): boolean {
  return vote.status === 'closed' || vote.status === 'published' || (vote.status === 'open' && options.liveResults);
}

export interface ResultsVisibility {
  /** Ballots cast against the electorate. */
  participation: boolean;
  /** The tally: counts, adoption, ranking. */
  results: boolean;
  /** The results shown may still change (open vote with live results). */
  provisional: boolean;
  /** Why the results are not shown, in French; null when they are. */
  message: string | null;
}

/** What `audience` may see of a vote's results right now (see the table at the top of this file). */
export function visibleResults(vote: Vote, audience: Audience): ResultsVisibility {
  switch (vote.status) {
    case 'draft':
      return { participation: false, results: false, provisional: false, message: 'Le vote n’est pas encore ouvert.' };
    case 'open': {
      // Live results are the point of the setting: the room (projector, participants) watches them move.
      const live = resultsVisible(vote, { liveResults: vote.settings.liveResults });
      return {
        participation: true,
        results: live,
        provisional: live,
        message: live ? null : 'Vote en cours : les résultats seront visibles après la clôture.',
      };
    }
    case 'closed': {
      const organiser = audience === 'organiser';
      return {
        participation: true,
        results: organiser,
        provisional: false,
        message: organiser ? null : 'Vote clos : résultats en attente de publication.',
      };
    }
    case 'published':
      return { participation: true, results: true, provisional: false, message: null };
  }
}

export type VisibleResults =
  | { kind: 'hidden'; message: string }
  | { kind: 'participation'; participation: Participation; message: string }
  | {
      kind: 'results';
      provisional: boolean;
      /** The tally; `byCollege` is emptied when withheld. */
      tally: TallyResult;
      /** True when the per-college breakdown was withheld to protect a secret ballot. */
      byCollegeWithheld: boolean;
      message: string | null;
    };

/**
 * Cuts a tally down to what `audience` may see (`visibleResults`). In a secret vote, the per-college
 * breakdown is removed for every audience when any college has between 1 and `MIN_SECRET_COLLEGE_BALLOTS - 1`
 * ballots — as a whole, since the overall result minus the other colleges would reveal the missing one.
 */
export function resultsFor(vote: Vote, audience: Audience, tally: TallyResult): VisibleResults {
  const v = visibleResults(vote, audience);
  if (!v.participation) return { kind: 'hidden', message: v.message ?? 'Résultats non disponibles.' };
  if (!v.results) return { kind: 'participation', participation: tally.participation, message: v.message ?? '' };
  const small = tally.byCollege.some((c) => c.participation.cast > 0 && c.participation.cast < MIN_SECRET_COLLEGE_BALLOTS);
  const withheld = vote.settings.secret && small;
  return {
    kind: 'results',
    provisional: v.provisional,
    tally: withheld ? { ...tally, byCollege: [] } : tally,
    byCollegeWithheld: withheld,
    message: withheld
      ? `Résultats par collège non affichés : un collège compte moins de ${MIN_SECRET_COLLEGE_BALLOTS} bulletins et le vote est secret.`
      : null,
  };
}
