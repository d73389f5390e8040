import {
  ballotCount,
  resultsFor,
  tally,
  type Audience,
  type Member,
  type VisibleResults,
  type Vote,
} from '@agora/domain';
import type { VoteRecord } from '../store/store.ts';

/** Who may vote in a workshop right now (for participation figures): members whose role has `vote.cast`. */
export interface Electorate {
  count: number;
  byCollege: Partial<Record<Member['college'], number>>;
  names: Map<string, string>;
}

/** The tally of a vote as `audience` may see it. */
export function visibleTally(record: VoteRecord, audience: Audience, electorate: Electorate): VisibleResults {
  const result = tally(record.vote.settings, ballotsOf(record), { eligibleCount: electorate.count, colleges: electorate.byCollege });
  return resultsFor(record.vote, audience, result);
}

function ballotsOf(record: VoteRecord) {
  return record.box.choices.map((c) => ({ college: c.college, ballot: c.ballot }));
}

/** Public ballots, once published: who voted what (never for secret votes). */
export function publicBallots(record: VoteRecord, electorate: Electorate): { name: string; college: string; ballot: unknown }[] | null {
  if (record.box.secret || record.vote.status !== 'published') return null;
  return record.box.choices.map((c) => ({ name: electorate.names.get(c.voterId) ?? 'participant retiré', college: c.college, ballot: c.ballot }));
}

/** What every screen may know of a vote: written into the workshop's live document. */
export interface PublicVoteState {
  id: string;
  question: string;
  description: string;
  method: Vote['settings']['method'];
  options: { id: string; label: string }[];
  settings: Vote['settings'];
  status: Vote['status'];
  round: number;
  previousRoundId: string | null;
  opensAt: string | null;
  closesAt: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  ballotCount: number;
  eligibleCount: number;
  /** Results as participants and the projector may see them (hidden, participation only, or results). */
  results: VisibleResults;
  ballots: { name: string; college: string; ballot: unknown }[] | null;
}

export function publicState(record: VoteRecord, electorate: Electorate): PublicVoteState {
  const v = record.vote;
  return {
    id: v.id,
    question: v.question,
    description: record.description,
    method: v.settings.method,
    options: 'options' in v.settings ? v.settings.options : [],
    settings: v.settings,
    status: v.status,
    round: v.round,
    previousRoundId: v.previousRoundId,
    opensAt: v.opensAt,
    closesAt: v.closesAt,
    closedAt: v.closedAt,
    publishedAt: v.publishedAt,
    ballotCount: ballotCount(record.box),
    eligibleCount: electorate.count,
    results: visibleTally(record, 'participant', electorate),
    ballots: publicBallots(record, electorate),
  };
}
