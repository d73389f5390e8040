/**
 * The ballot box: pure and idempotent. `castBallot` returns a new box and never mutates the one it is given.
 *
 * **Idempotence.** Every submission carries a `ballotId` chosen by the voter's device. Sending the same
 * `ballotId` again (lost connection, double tap, two windows) changes nothing and returns the very same
 * acknowledgement with `duplicate: true` — even after the vote closed, and even after the voter replaced that
 * ballot (a late retry of an old ballot must not undo a change). A `ballotId` already used by another voter is
 * refused. The first submission of a `ballotId` wins: a re-send is not compared with it.
 *
 * **One ballot per voter.** A second ballot (new `ballotId`) from a voter who already voted replaces the first
 * when the vote allows it (`settings.allowChange`, until the close), and is refused otherwise.
 *
 * **Public ballots** (`secret: false`) record who voted what: each choice holds the voter id and ballot id.
 *
 * **Secret ballots** keep no link between a voter and a choice that any reader of the box could follow:
 * - `voters` holds, per voter, only the ids of the ballots they cast — enough for idempotence and for « mon
 *   bulletin a-t-il été enregistré ? » (`receiptFor`);
 * - `receipts` holds, per ballot id, the acknowledgement (receipt code, time) — nothing about the choice;
 * - `choices` holds the choices with the voter's college (needed for the tally by college) but no voter id,
 *   no ballot id and no time, **sorted by content** so that their order says nothing of who voted when.
 * - Changing a secret ballot: the old choice must be found without storing who made it. With `allowChange`, the
 *   voter's device sends, with every ballot, a random `changeKey` (22–128 characters of `A–Z a–z 0–9 _ -`,
 *   i.e. 128 bits or more) that it keeps and never shows. The box stores only the tag
 *   SHA-256("agora-vote-change" ‖ vote id ‖ key) on the choice, never the key and nothing on the voter's side;
 *   a change must present the same key, whose tag designates the choice to replace. A reader of the box sees
 *   tags but cannot tell whose they are, nor forge the key from them. The key is a bearer secret: whoever
 *   holds it (and has voted) can replace that choice, and a voter who lost it (other device, cleared storage)
 *   cannot change their ballot any more.
 *
 * Limits, stated plainly: (1) this protects the box *at rest*; the server handling a submission sees the
 * voter, their choice and their key at that moment, and someone who copies the box after every single ballot
 * can diff the copies — no pure in-memory model prevents either; (2) a result broken down by college reveals
 * the choice of a college that has one voter (see `resultsFor` in `lifecycle.ts`); (3) an objection's free
 * text can identify its author.
 */
import { COLLEGES, type College } from '../actors/actors.ts';
import { canonicalBallotKey, validateBallot, type Ballot } from './ballot.ts';
import { acceptsBallots } from './lifecycle.ts';
import { BallotIdSchema, formatIssues, frenchErrors, VoterIdSchema, type Vote } from './schemas.ts';
import { sha256Hex } from './sha256.ts';
import type { TallyBallot } from './tally.ts';

export interface VoterRecord {
  voterId: string;
  /** Ballot ids this voter cast, oldest first; the last one is the counted one. */
  ballotIds: readonly string[];
}

/** What the voter's device gets back, and can show: « Bulletin enregistré — reçu 3FA9-1C0B-77DE ». */
export interface BallotAck {
  voteId: string;
  ballotId: string;
  /** Short code derived from the vote and ballot ids (not from the choice). */
  receipt: string;
  recordedAt: string;
  /** The ballot id this one replaced, if it was a change. */
  replaces: string | null;
}

export interface SecretChoice {
  college: College;
  ballot: Ballot;
  /** Tag of the voter-held change key (changeable secret votes only), else null. */
  changeTag: string | null;
}

export interface PublicChoice {
  voterId: string;
  ballotId: string;
  college: College;
  ballot: Ballot;
}

interface BoxBase {
  voteId: string;
  voters: readonly VoterRecord[];
  receipts: readonly BallotAck[];
}
export interface SecretBallotBox extends BoxBase {
  secret: true;
  choices: readonly SecretChoice[];
}
export interface PublicBallotBox extends BoxBase {
  secret: false;
  choices: readonly PublicChoice[];
}
export type BallotBox = SecretBallotBox | PublicBallotBox;

/** An empty box for a vote (secret or public as the vote's settings say). */
export function createBallotBox(vote: Vote): BallotBox {
  return vote.settings.secret
    ? { voteId: vote.id, secret: true, voters: [], receipts: [], choices: [] }
    : { voteId: vote.id, secret: false, voters: [], receipts: [], choices: [] };
}

export interface CastInput {
  ballotId: string;
  voterId: string;
  college: College;
  /** Untrusted: validated against the vote's settings. */
  ballot: unknown;
  /** Changeable secret votes only: the voter-held key (see above). Ignored otherwise. */
  changeKey?: string;
}

export interface CastOptions {
  /**
   * Who may vote, overriding `vote.eligibleVoterIds` when present (an explicit null lifts the vote's list).
   * No list anywhere: everyone the caller lets through (the server checks the `vote.cast` right).
   */
  eligibleVoterIds?: Iterable<string> | null;
}

export type CastErrorCode =
  | 'wrong-vote'
  | 'invalid-input'
  | 'ballot-id-conflict'
  | 'not-open'
  | 'closed'
  | 'not-eligible'
  | 'invalid-ballot'
  | 'already-voted'
  | 'change-key-required'
  | 'change-key-unknown'
  | 'change-key-conflict';

export type CastResult =
  | { ok: true; duplicate: boolean; box: BallotBox; ack: BallotAck }
  | { ok: false; code: CastErrorCode; message: string };

function fail(code: CastErrorCode, message: string): CastResult {
  return { ok: false, code, message };
}

const CHANGE_KEY = /^[A-Za-z0-9_-]{22,128}$/;

/** The short receipt code of a ballot: 12 hex digits of SHA-256(vote id, ballot id), e.g. `3FA9-1C0B-77DE`. */
export function receiptCode(voteId: string, ballotId: string): string {
  const hex = sha256Hex(`agora-vote-receipt\u0000${voteId}\u0000${ballotId}`).slice(0, 12).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** The tag stored on a changeable secret choice for a voter-held change key. */
export function changeTag(voteId: string, changeKey: string): string {
  return sha256Hex(`agora-vote-change\u0000${voteId}\u0000${changeKey}`);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Secret choices sorted by content only (college, ballot, tag): the order carries no casting order. */
function sortSecret(choices: readonly SecretChoice[]): SecretChoice[] {
  return choices
    .map((c) => ({ c, key: canonicalBallotKey(c.ballot) }))
    .sort(
      (x, y) =>
        COLLEGES.indexOf(x.c.college) - COLLEGES.indexOf(y.c.college) ||
        compareStrings(x.key, y.key) ||
        compareStrings(x.c.changeTag ?? '', y.c.changeTag ?? ''),
    )
    .map(({ c }) => c);
}

/**
 * Records a ballot. Checks, in order: the box belongs to the vote; the input is well-formed; a known
 * `ballotId` is a duplicate (acknowledged again, nothing changes); the vote accepts ballots at `now` (open,
 * timer not run out); the voter is eligible; the ballot is valid for the vote's method; a voter who already
 * voted may change only if the vote allows it.
 */
export function castBallot(box: BallotBox, input: CastInput, vote: Vote, now: Date, options: CastOptions = {}): CastResult {
  if (box.voteId !== vote.id || box.secret !== vote.settings.secret) {
    return fail('wrong-vote', 'Cette urne n’appartient pas à ce vote.');
  }
  const ballotId = BallotIdSchema.safeParse(input.ballotId, { error: frenchErrors });
  if (!ballotId.success) return fail('invalid-input', `Envoi invalide : ${formatIssues(ballotId.error)}`);
  const voterId = VoterIdSchema.safeParse(input.voterId, { error: frenchErrors });
  if (!voterId.success) return fail('invalid-input', `Envoi invalide : ${formatIssues(voterId.error)}`);
  if (!(COLLEGES as readonly string[]).includes(input.college)) return fail('invalid-input', 'Envoi invalide : collège inconnu.');

  // idempotence first: a retry of a recorded ballot is acknowledged again, whatever happened since
  const known = box.receipts.find((r) => r.ballotId === input.ballotId);
  if (known !== undefined) {
    const owner = box.voters.find((v) => v.ballotIds.includes(input.ballotId));
    if (owner?.voterId !== input.voterId) {
      return fail('ballot-id-conflict', 'Cet identifiant de bulletin est déjà utilisé par un autre votant.');
    }
    return { ok: true, duplicate: true, box, ack: known };
  }

  if (vote.status === 'draft') return fail('not-open', 'Le vote n’est pas encore ouvert.');
  if (!acceptsBallots(vote, now)) return fail('closed', 'Le vote est clos : votre bulletin n’a pas été pris en compte.');

  const eligible = options.eligibleVoterIds !== undefined ? options.eligibleVoterIds : vote.eligibleVoterIds;
  if (eligible !== null && !new Set(eligible).has(input.voterId)) {
    return fail('not-eligible', 'Vous ne figurez pas parmi les votants de ce vote.');
  }

  const valid = validateBallot(vote.settings, input.ballot);
  if (!valid.ok) return fail('invalid-ballot', valid.message);

  const voter = box.voters.find((v) => v.voterId === input.voterId);
  const previous = voter?.ballotIds[voter.ballotIds.length - 1] ?? null;
  if (voter !== undefined && !vote.settings.allowChange) {
    return fail('already-voted', 'Vous avez déjà voté ; ce vote ne permet pas de modifier son bulletin.');
  }

  const ack: BallotAck = {
    voteId: vote.id,
    ballotId: input.ballotId,
    receipt: receiptCode(vote.id, input.ballotId),
    recordedAt: now.toISOString(),
    replaces: previous,
  };
  const voters =
    voter === undefined
      ? [...box.voters, { voterId: input.voterId, ballotIds: [input.ballotId] }]
      : box.voters.map((v) => (v === voter ? { voterId: v.voterId, ballotIds: [...v.ballotIds, input.ballotId] } : v));
  const receipts = [...box.receipts, ack];

  if (!box.secret) {
    const choice: PublicChoice = { voterId: input.voterId, ballotId: input.ballotId, college: input.college, ballot: valid.ballot };
    const choices = voter === undefined ? [...box.choices, choice] : box.choices.map((c) => (c.voterId === input.voterId ? choice : c));
    return { ok: true, duplicate: false, box: { ...box, voters, receipts, choices }, ack };
  }

  let tag: string | null = null;
  let replaced = -1;
  if (vote.settings.allowChange) {
    if (input.changeKey === undefined || !CHANGE_KEY.test(input.changeKey)) {
      return fail(
        'change-key-required',
        'Code de modification manquant ou invalide : ce vote secret modifiable demande le code aléatoire conservé par votre appareil.',
      );
    }
    tag = changeTag(vote.id, input.changeKey);
    const index = box.choices.findIndex((c) => c.changeTag === tag);
    if (voter === undefined && index !== -1) {
      return fail('change-key-conflict', 'Ce code de modification est déjà utilisé : votre appareil doit en tirer un nouveau.');
    }
    if (voter !== undefined && index === -1) {
      return fail(
        'change-key-unknown',
        'Code de modification inconnu : impossible de retrouver votre bulletin précédent (il faut l’appareil qui a voté).',
      );
    }
    replaced = index;
  }
  const choice: SecretChoice = { college: input.college, ballot: valid.ballot, changeTag: tag };
  const kept = replaced === -1 ? box.choices : box.choices.filter((_, i) => i !== replaced);
  return { ok: true, duplicate: false, box: { ...box, voters, receipts, choices: sortSecret([...kept, choice]) }, ack };
}

/** Whether this voter has a ballot in the box. */
export function hasVoted(box: BallotBox, voterId: string): boolean {
  return box.voters.some((v) => v.voterId === voterId);
}

/** The acknowledgement of a ballot id, and whether that ballot is the one counted (not replaced since). */
export function receiptFor(box: BallotBox, ballotId: string): (BallotAck & { counted: boolean }) | null {
  const ack = box.receipts.find((r) => r.ballotId === ballotId);
  if (ack === undefined) return null;
  const voter = box.voters.find((v) => v.ballotIds.includes(ballotId));
  return { ...ack, counted: voter?.ballotIds[voter.ballotIds.length - 1] === ballotId };
}

/** Number of ballots counted (one per voter). */
export function ballotCount(box: BallotBox): number {
  return box.choices.length;
}

/** The counted ballots, as the tally takes them: content and college only. */
export function ballotsForTally(box: BallotBox): TallyBallot[] {
  return box.choices.map((c) => ({ college: c.college, ballot: c.ballot }));
}
