/**
 * The public state of a vote as the server writes it into the live document (`doc.getMap('votes')`, one JSON
 * string per vote) and returns it from `GET /api/workshops/:id/votes`. Mirrors `PublicVoteState` of
 * apps/server/src/votes/public-state.ts; parsed defensively (a malformed entry is ignored, not trusted).
 */
import {
  VOTE_METHODS,
  VOTE_STATUSES,
  type VisibleResults,
  type VoteMethod,
  type VoteSettings,
  type VoteStatus,
} from '@agora/domain';

export interface PublicBallot {
  name: string;
  college: string;
  ballot: unknown;
}

export interface PublicVoteState {
  id: string;
  question: string;
  description: string;
  method: VoteMethod;
  options: { id: string; label: string }[];
  settings: VoteSettings;
  status: VoteStatus;
  round: number;
  previousRoundId: string | null;
  opensAt: string | null;
  closesAt: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  ballotCount: number;
  eligibleCount: number;
  /** Results as participants and the projector may see them. */
  results: VisibleResults;
  /** Who voted what: public votes, once published. */
  ballots: PublicBallot[] | null;
}

/** One line of the moderation log (`GET /api/workshops/:id/audit`). */
export interface AuditEntry {
  id: string;
  actorId: string | null;
  actorName: string;
  action: string;
  details: Record<string, unknown>;
  at: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const RESULT_KINDS = ['hidden', 'participation', 'results'];

/** Validates the shape of a public vote state (from JSON or an already parsed object); null when unusable. */
export function parsePublicVote(raw: unknown): PublicVoteState | null {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!isRecord(value)) return null;
  const v = value;
  if (typeof v.id !== 'string' || typeof v.question !== 'string') return null;
  if (!(VOTE_METHODS as readonly unknown[]).includes(v.method)) return null;
  if (!(VOTE_STATUSES as readonly unknown[]).includes(v.status)) return null;
  if (!isRecord(v.settings) || v.settings.method !== v.method) return null;
  if (!isRecord(v.results) || !RESULT_KINDS.includes(String(v.results.kind))) return null;
  const options = Array.isArray(v.options)
    ? v.options.flatMap((o: unknown) => (isRecord(o) && typeof o.id === 'string' && typeof o.label === 'string' ? [{ id: o.id, label: o.label }] : []))
    : [];
  const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);
  return {
    id: v.id,
    question: v.question,
    description: str(v.description) ?? '',
    method: v.method as VoteMethod,
    options,
    settings: v.settings as unknown as VoteSettings,
    status: v.status as VoteStatus,
    round: typeof v.round === 'number' ? v.round : 1,
    previousRoundId: str(v.previousRoundId),
    opensAt: str(v.opensAt),
    closesAt: str(v.closesAt),
    closedAt: str(v.closedAt),
    publishedAt: str(v.publishedAt),
    ballotCount: count(v.ballotCount),
    eligibleCount: count(v.eligibleCount),
    results: v.results as unknown as VisibleResults,
    ballots: Array.isArray(v.ballots)
      ? v.ballots.flatMap((b: unknown) =>
          isRecord(b) && typeof b.name === 'string' ? [{ name: b.name, college: str(b.college) ?? '', ballot: b.ballot }] : [],
        )
      : null,
  };
}

/** The participation figures a screen shows ("12 bulletins sur 40"). */
export function participationOf(vote: PublicVoteState): { cast: number; eligible: number | null } {
  return { cast: vote.ballotCount, eligible: vote.eligibleCount > 0 ? vote.eligibleCount : null };
}
