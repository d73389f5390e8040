/**
 * REST client of the votes (débat stage): console commands, ballots and their receipts, organiser results, exports,
 * stage changes and the moderation log. Failures are ApiErrors (see $lib/api).
 */
import type { BallotAck, Stage, VisibleResults, Workshop } from '@agora/domain';
import { request } from '$lib/api';
import { parsePublicVote, type AuditEntry, type PublicVoteState } from './types.ts';

type Fetch = typeof fetch;

const enc = encodeURIComponent;
const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const base = (workshopId: string): string => `/api/workshops/${enc(workshopId)}`;
const voteBase = (workshopId: string, voteId: string): string => `${base(workshopId)}/votes/${enc(voteId)}`;

export async function listVotes(workshopId: string, fetchFn: Fetch = fetch): Promise<PublicVoteState[]> {
  const body = await request<{ votes: unknown[] }>(fetchFn, `${base(workshopId)}/votes`);
  return (Array.isArray(body.votes) ? body.votes : []).flatMap((v) => {
    const parsed = parsePublicVote(v);
    return parsed ? [parsed] : [];
  });
}

export interface VoteDraft {
  question: string;
  description: string;
  /** Settings as the organiser wrote them (the server applies the defaults and validates). */
  settings: Record<string, unknown>;
}

/** The server's answer to a vote command: the stored vote record (id, status, round…). */
export interface VoteCommandReply {
  vote: { id: string; question: string; status: string; round: number };
  description: string;
}

export function createVote(workshopId: string, draft: VoteDraft, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, `${base(workshopId)}/votes`, post(draft));
}

export function editVote(workshopId: string, voteId: string, draft: Partial<VoteDraft>, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, voteBase(workshopId, voteId), { method: 'PATCH', body: JSON.stringify(draft) });
}

export function openVote(workshopId: string, voteId: string, timerSeconds?: number, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, `${voteBase(workshopId, voteId)}/open`, post(timerSeconds === undefined ? {} : { timerSeconds }));
}

export function closeVote(workshopId: string, voteId: string, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, `${voteBase(workshopId, voteId)}/close`, post());
}

export function publishVote(workshopId: string, voteId: string, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, `${voteBase(workshopId, voteId)}/publish`, post());
}

export function newRound(workshopId: string, voteId: string, fetchFn: Fetch = fetch): Promise<VoteCommandReply> {
  return request<VoteCommandReply>(fetchFn, `${voteBase(workshopId, voteId)}/rounds`, post());
}

/** What every screen shows (null: nothing). */
export async function showVote(workshopId: string, voteId: string | null, fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, `${base(workshopId)}/votes-current`, post({ voteId }));
}

/** Results as organisers may see them (provisional with live results, full after the close). */
export async function organiserResults(workshopId: string, voteId: string, fetchFn: Fetch = fetch): Promise<VisibleResults> {
  return (await request<{ results: VisibleResults }>(fetchFn, `${voteBase(workshopId, voteId)}/results`)).results;
}

export interface CastReply {
  ack: BallotAck;
  duplicate: boolean;
  message: string;
}

export function castBallot(
  workshopId: string,
  voteId: string,
  input: { ballotId: string; ballot: unknown; changeKey?: string },
  fetchFn: Fetch = fetch,
): Promise<CastReply> {
  return request<CastReply>(fetchFn, `${voteBase(workshopId, voteId)}/ballots`, post(input));
}

export type BallotCheck = { recorded: false } | { recorded: true; counted: boolean; ack: BallotAck };

/** Was this ballot (of mine) recorded? */
export function checkBallot(workshopId: string, voteId: string, ballotId: string, fetchFn: Fetch = fetch): Promise<BallotCheck> {
  return request<BallotCheck>(fetchFn, `${voteBase(workshopId, voteId)}/ballots/${enc(ballotId)}`);
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ods', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportHref(workshopId: string, voteId: string, format: ExportFormat): string {
  return `${voteBase(workshopId, voteId)}/export/${format}`;
}

export async function changeStage(workshopId: string, stage: Stage, fetchFn: Fetch = fetch): Promise<Workshop> {
  return (await request<{ workshop: Workshop }>(fetchFn, `${base(workshopId)}/stage`, post({ stage }))).workshop;
}

export async function listAudit(workshopId: string, fetchFn: Fetch = fetch): Promise<AuditEntry[]> {
  const body = await request<{ entries: AuditEntry[] }>(fetchFn, `${base(workshopId)}/audit`);
  return Array.isArray(body.entries) ? body.entries : [];
}
