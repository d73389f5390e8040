import {
  can,
  castBallot,
  closeVote,
  createBallotBox,
  createVote,
  documentName,
  liveVotesMap,
  liveWorkshopMap,
  newRound,
  openVote,
  publishResults,
  receiptFor,
  shouldAutoClose,
  updateQuestion,
  updateSettings,
  type BallotAck,
  type Member,
  type VoteResult,
  type Workshop,
} from '@agora/domain';
import type { Logger } from '../log.ts';
import type { RoomRegistry } from '../realtime/rooms.ts';
import type { Store, VoteRecord } from '../store/store.ts';
import { randomId } from '../auth/tokens.ts';
import { publicState, type Electorate } from './public-state.ts';
import { ballotLatency } from '../ops/metrics.ts';
import { LocalBus, type ClusterBus } from '../cluster/bus.ts';

export type CommandResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409 | 503; code: string; message: string };

interface PendingBallot {
  input: { ballotId: string; voterId: string; college: Member['college']; ballot: unknown; changeKey?: string };
  resolve: (r: CommandResult<{ ack: BallotAck; duplicate: boolean }>) => void;
}

/**
 * Votes as server commands. Every change of a vote goes through one queue per vote, so that ballots, closing
 * and publishing never interleave; ballots arriving together are applied to the box, stored once and
 * acknowledged together (group commit), then the public state in the live document is updated once.
 */
export class VoteService {
  private readonly records = new Map<string, Promise<VoteRecord | null>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, PendingBallot[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomRegistry,
    private readonly log: Logger,
    /** With several instances, vote commands run under a Redis lock and read the vote from the store. */
    private readonly bus: ClusterBus = new LocalBus(),
  ) {}

  /** Re-arms the automatic close of votes that were open when the server stopped. */
  async start(): Promise<void> {
    for (const r of await this.store.listOpenVotes()) {
      if (!this.bus.shared) this.records.set(r.vote.id, Promise.resolve(r));
      this.armTimer(r);
    }
    if (this.bus.shared) {
      // Votes opened on another instance: close them on time even if that instance is gone.
      this.sweeper = setInterval(() => void this.sweep(), 5_000);
      this.sweeper.unref();
    }
  }

  private async sweep(): Promise<void> {
    try {
      for (const r of await this.store.listOpenVotes()) if (shouldAutoClose(r.vote, new Date())) await this.autoClose(r.workshopId, r.vote.id);
    } catch (err) {
      this.log.warn('vote sweep failed', { error: String(err) });
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const t of this.publishTimers.values()) clearTimeout(t);
    this.publishTimers.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  async list(workshopId: string): Promise<VoteRecord[]> {
    const stored = await this.store.listVotes(workshopId);
    return Promise.all(stored.map(async (r) => (await this.get(r.vote.id)) ?? r));
  }

  get(voteId: string): Promise<VoteRecord | null> {
    if (this.bus.shared) return this.store.getVote(voteId); // another instance may have changed it
    let r = this.records.get(voteId);
    if (!r) {
      r = this.store.getVote(voteId);
      this.records.set(voteId, r);
      r.catch(() => this.records.delete(voteId));
    }
    return r;
  }

  async create(
    workshop: Workshop,
    createdBy: string,
    input: { question: string; description: string; settings: unknown },
  ): Promise<CommandResult<VoteRecord>> {
    const made = createVote({ id: randomId(10), question: input.question, settings: input.settings });
    if (!made.ok) return { ok: false, status: 400, code: made.code, message: made.message };
    const now = new Date().toISOString();
    const record: VoteRecord = {
      workshopId: workshop.id,
      vote: made.vote,
      box: createBallotBox(made.vote),
      description: input.description,
      createdBy,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createVote(record);
    this.records.set(record.vote.id, Promise.resolve(record));
    await this.publish(workshop, record);
    return { ok: true, value: record };
  }

  /** Edits a draft (question, description, settings). Settings freeze once the vote is open. */
  edit(workshop: Workshop, voteId: string, input: { question?: string; description?: string; settings?: unknown }) {
    return this.transition(workshop, voteId, (r) => {
      let result: VoteResult = { ok: true, vote: r.vote };
      if (input.settings !== undefined) result = updateSettings(result.vote, input.settings);
      if (result.ok && input.question !== undefined) result = updateQuestion(result.vote, input.question);
      if (result.ok && input.description !== undefined && r.vote.status !== 'draft') {
        return { ok: false, code: 'not-draft', message: 'Le vote est ouvert : ses paramètres ne peuvent plus changer.' };
      }
      return result;
    }, input.description);
  }

  open(workshop: Workshop, voteId: string, timerSeconds?: number) {
    return this.transition(workshop, voteId, (r) => openVote(r.vote, new Date(), timerSeconds), undefined, (r) => {
      this.armTimer(r);
      this.setCurrent(workshop, r.vote.id);
    });
  }

  close(workshop: Workshop, voteId: string) {
    return this.transition(workshop, voteId, (r) => closeVote(r.vote, new Date()));
  }

  publishResults(workshop: Workshop, voteId: string) {
    return this.transition(workshop, voteId, (r) => publishResults(r.vote, new Date()));
  }

  /** A published (or closed) vote is never re-opened: a new round is created as a draft instead. */
  async newRound(workshop: Workshop, voteId: string, createdBy: string): Promise<CommandResult<VoteRecord>> {
    const prev = await this.get(voteId);
    if (!prev || prev.workshopId !== workshop.id) return { ok: false, status: 404, code: 'not-found', message: 'vote introuvable' };
    const next = newRound(prev.vote, randomId(10));
    if (!next.ok) return { ok: false, status: 409, code: next.code, message: next.message };
    const now = new Date().toISOString();
    const record: VoteRecord = {
      workshopId: workshop.id,
      vote: next.vote,
      box: createBallotBox(next.vote),
      description: prev.description,
      createdBy,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createVote(record);
    this.records.set(record.vote.id, Promise.resolve(record));
    await this.publish(workshop, record);
    return { ok: true, value: record };
  }

  /** Republishes the public state of a workshop's votes (the electorate changed: join, removal, role change). */
  async refreshWorkshop(workshop: Workshop): Promise<void> {
    for (const r of await this.store.listVotes(workshop.id)) {
      if (r.vote.status === 'draft') continue;
      await this.publish(workshop, (await this.get(r.vote.id)) ?? r);
    }
  }

  /** Shows a vote on every screen (projector, participants): the console's "question suivante". */
  async show(workshop: Workshop, voteId: string | null): Promise<CommandResult<null>> {
    if (voteId !== null) {
      const r = await this.get(voteId);
      if (!r || r.workshopId !== workshop.id) return { ok: false, status: 404, code: 'not-found', message: 'vote introuvable' };
    }
    await this.setCurrent(workshop, voteId);
    return { ok: true, value: null };
  }

  /**
   * Casts a ballot. Idempotent by ballot id: a re-send after a wifi drop is acknowledged again and counted once.
   * Resolves once the ballot is stored.
   */
  cast(workshop: Workshop, voteId: string, input: PendingBallot['input']): Promise<CommandResult<{ ack: BallotAck; duplicate: boolean }>> {
    const stop = ballotLatency.startTimer();
    return new Promise<CommandResult<{ ack: BallotAck; duplicate: boolean }>>((resolve) => {
      let queue = this.pending.get(voteId);
      if (!queue) {
        queue = [];
        this.pending.set(voteId, queue);
        setImmediate(() => void this.enqueue(voteId, () => this.flushBallots(workshop, voteId)));
      }
      queue.push({ input, resolve });
    }).finally(() => stop());
  }

  /** Whether a voter's ballot was recorded (after a dropped connection). */
  async receipt(voteId: string, ballotId: string) {
    const r = await this.get(voteId);
    return r ? receiptFor(r.box, ballotId) : null;
  }

  private async flushBallots(workshop: Workshop, voteId: string): Promise<void> {
    const batch = this.pending.get(voteId) ?? [];
    this.pending.delete(voteId);
    const record = await this.get(voteId);
    if (!record || record.workshopId !== workshop.id) {
      for (const p of batch) p.resolve({ ok: false, status: 404, code: 'not-found', message: 'vote introuvable' });
      return;
    }
    const now = new Date();
    let box = record.box;
    const results: CommandResult<{ ack: BallotAck; duplicate: boolean }>[] = [];
    let changed = false;
    for (const p of batch) {
      const r = castBallot(box, p.input, record.vote, now);
      if (r.ok) {
        changed ||= !r.duplicate;
        box = r.box;
        results.push({ ok: true, value: { ack: r.ack, duplicate: r.duplicate } });
      } else {
        const status = r.code === 'not-open' || r.code === 'closed' || r.code === 'already-voted' ? 409 : 400;
        results.push({ ok: false, status, code: r.code, message: r.message });
      }
    }
    if (changed) {
      const next: VoteRecord = { ...record, box, updatedAt: now.toISOString() };
      try {
        await this.store.saveVote(next);
      } catch (err) {
        this.log.error('ballots not stored', { vote: voteId, error: String(err) });
        for (const p of batch) p.resolve({ ok: false, status: 503, code: 'store-unavailable', message: 'bulletin non enregistré (stockage indisponible) : réessayez' });
        return;
      }
      this.records.set(voteId, Promise.resolve(next));
      batch.forEach((p, i) => p.resolve(results[i]!)); // stored: acknowledge before updating the screens
      this.schedulePublish(workshop, voteId);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  /** Runs a lifecycle transition in the vote's queue, stores it, publishes it. */
  private transition(
    workshop: Workshop,
    voteId: string,
    fn: (r: VoteRecord) => VoteResult,
    description?: string,
    after?: (r: VoteRecord) => unknown,
  ): Promise<CommandResult<VoteRecord>> {
    return this.enqueue(voteId, async (): Promise<CommandResult<VoteRecord>> => {
      const record = await this.get(voteId);
      if (!record || record.workshopId !== workshop.id) return { ok: false, status: 404, code: 'not-found', message: 'vote introuvable' };
      const result = fn(record);
      if (!result.ok) {
        const status = result.code.startsWith('invalid') ? 400 : 409;
        return { ok: false, status, code: result.code, message: result.message };
      }
      const next: VoteRecord = {
        ...record,
        vote: result.vote,
        description: description ?? record.description,
        updatedAt: new Date().toISOString(),
      };
      await this.store.saveVote(next);
      this.records.set(voteId, Promise.resolve(next));
      if (next.vote.status !== 'open') this.disarmTimer(voteId);
      await this.publish(workshop, next);
      await after?.(next);
      return { ok: true, value: next };
    });
  }

  private enqueue<T>(voteId: string, command: () => Promise<T>): Promise<T> {
    const fn = this.bus.shared ? () => this.bus.withLock(`vote:${voteId}`, command) : command;
    const prev = this.chains.get(voteId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const settled = run.catch((err: unknown) => this.log.error('vote command failed', { vote: voteId, error: String(err) }));
    this.chains.set(voteId, settled);
    void settled.then(() => {
      if (this.chains.get(voteId) === settled) this.chains.delete(voteId);
    });
    return run;
  }

  private armTimer(r: VoteRecord): void {
    this.disarmTimer(r.vote.id);
    if (this.stopped || r.vote.status !== 'open' || !r.vote.closesAt) return;
    const delay = Math.max(0, Date.parse(r.vote.closesAt) - Date.now());
    const t = setTimeout(() => void this.autoClose(r.workshopId, r.vote.id), delay);
    t.unref();
    this.timers.set(r.vote.id, t);
  }

  private disarmTimer(voteId: string): void {
    const t = this.timers.get(voteId);
    if (t) clearTimeout(t);
    this.timers.delete(voteId);
  }

  private async autoClose(workshopId: string, voteId: string): Promise<void> {
    this.timers.delete(voteId);
    const workshop = await this.store.getWorkshop(workshopId);
    const r = await this.get(voteId);
    if (!workshop || !r || !shouldAutoClose(r.vote, new Date())) return;
    const result = await this.close(workshop, voteId);
    if (result.ok) {
      await this.store.appendAudit({
        id: randomId(),
        workshopId,
        actorId: null,
        actorName: 'minuteur',
        action: 'vote.close',
        details: { voteId, automatic: true },
        at: new Date().toISOString(),
      });
    }
  }

  /** Who may vote right now, for participation figures and public ballots. */
  async electorate(workshopId: string): Promise<Electorate> {
    const members = await this.store.listMembers(workshopId);
    const voters = members.filter((m) => can(m.role, 'vote.cast'));
    const byCollege: Electorate['byCollege'] = {};
    for (const m of voters) byCollege[m.college] = (byCollege[m.college] ?? 0) + 1;
    return { count: voters.length, byCollege, names: new Map(members.map((m) => [m.id, m.name])) };
  }

  private readonly publishTimers = new Map<string, NodeJS.Timeout>();

  /**
   * Participation shown on screens is refreshed at most every 200 ms per vote: publishing after every batch of
   * ballots would send N updates to N screens during a vote storm.
   */
  private schedulePublish(workshop: Workshop, voteId: string): void {
    if (this.publishTimers.has(voteId)) return;
    const t = setTimeout(() => {
      this.publishTimers.delete(voteId);
      void this.enqueue(voteId, async () => {
        const r = await this.get(voteId);
        if (r) await this.publish(workshop, r);
      });
    }, 200);
    t.unref();
    this.publishTimers.set(voteId, t);
  }

  private async publish(workshop: Workshop, record: VoteRecord): Promise<void> {
    const state = JSON.stringify(publicState(record, await this.electorate(workshop.id)));
    await this.rooms.write(documentName(workshop.id, 'live'), workshop, (room) => {
      room.doc.transact(() => liveVotesMap(room.doc).set(record.vote.id, state), 'server');
    });
  }

  private async setCurrent(workshop: Workshop, voteId: string | null): Promise<void> {
    await this.rooms.write(documentName(workshop.id, 'live'), workshop, (room) => {
      room.doc.transact(() => liveWorkshopMap(room.doc).set('currentVoteId', voteId), 'server');
    });
  }
}
