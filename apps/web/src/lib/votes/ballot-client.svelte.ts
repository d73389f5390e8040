/**
 * Casting a ballot as a command that survives bad wifi and reloads.
 *
 * 1. The ballot gets a client-chosen id (`crypto.randomUUID()`) and is written to localStorage **before** it is
 *    sent, with the vote id and the ballot itself.
 * 2. It is sent; a network failure (or a 5xx / 429) is retried with exponential backoff using the **same**
 *    ballot id: the server counts it once and acknowledges a re-send again (`duplicate: true`).
 * 3. On success the acknowledgement (receipt code) is stored and shown: « Vote enregistré ».
 * 4. On page load and at every reconnection, a stored ballot is checked with `GET …/ballots/:ballotId`:
 *    recorded → « Votre vote a bien été enregistré »; not recorded and the vote still open → sent again.
 * 5. A vote that allows changes takes a new ballot (new id); for a secret changeable vote the device also keeps a
 *    random change key (never shown) that the server needs to find the previous choice.
 */
import type { Ballot, BallotAck } from '@agora/domain';
import { ApiError } from '$lib/api';
import { castBallot, checkBallot } from './api.ts';

export interface StoredAttempt {
  voteId: string;
  ballotId: string;
  ballot: Ballot;
  createdAt: string;
}

export interface StoredBallot {
  version: 1;
  voteId: string;
  /** Secret votes that allow a change: the device-held key (22+ URL-safe characters). */
  changeKey: string | null;
  /** Written before sending, cleared once acknowledged (or refused). */
  pending: StoredAttempt | null;
  /** The last acknowledged ballot. */
  recorded: (StoredAttempt & { ack: BallotAck; counted: boolean }) | null;
}

export type BallotPhase =
  /** Nothing sent for this vote from this device. */
  | 'idle'
  | 'sending'
  /** The server could not be reached: a new try is scheduled (`retryIn` seconds). */
  | 'retrying'
  /** Asking the server whether a stored ballot was recorded. */
  | 'checking'
  | 'recorded'
  /** The server refused the ballot (invalid, already voted, closed…): `message` says why. */
  | 'refused'
  /** The ballot never reached the server before the vote closed. */
  | 'lost';

/** Backoff between tries, in seconds (then the last value again); each gets up to 30 % random jitter. */
const BACKOFF = [1, 2, 4, 8, 15, 30];

function storageKey(memberId: string, voteId: string): string {
  return `agora:ballot:${memberId}:${voteId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readStoredBallot(memberId: string, voteId: string): StoredBallot | null {
  try {
    const raw = localStorage.getItem(storageKey(memberId, voteId));
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!isRecord(parsed) || parsed.version !== 1 || parsed.voteId !== voteId) return null;
    return parsed as unknown as StoredBallot;
  } catch {
    return null;
  }
}

function writeStoredBallot(memberId: string, record: StoredBallot): boolean {
  try {
    localStorage.setItem(storageKey(memberId, record.voteId), JSON.stringify(record));
    return true;
  } catch {
    return false; // private mode or full storage: the ballot is still sent, only the reload safety is lost
  }
}

function newBallotId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Non-secure contexts (plain http on a LAN address) lack randomUUID: same entropy from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** 32 URL-safe characters (192 bits), the format the server expects for a change key. */
function newChangeKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (x) => alphabet[x % 64]).join('');
}

/** Network failures and server-side hiccups are retried; a 4xx is the server's answer and is not. */
function isTransient(err: unknown): boolean {
  return !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
}

export interface BallotClientOptions {
  workshopId: string;
  voteId: string;
  memberId: string;
  /** Whether this vote keeps ballots secret and lets voters change them (a change key is then needed). */
  secretChangeable: boolean;
  /** Called on a 401: the session ended (the page sends the user to sign in). */
  onUnauthorized?: () => void;
}

export class BallotClient {
  phase = $state<BallotPhase>('idle');
  record = $state.raw<StoredBallot | null>(null);
  /** Seconds before the next automatic try (phase `retrying`). */
  retryIn = $state(0);
  /** The server's reason for a refusal (phase `refused`). */
  message = $state('');
  /** The ballot last refused, to pre-fill the form (the voter fixes or re-sends it in one step). */
  refusedBallot = $state.raw<Ballot | null>(null);
  /** True when the acknowledgement was just received for a ballot sent now (« Vote enregistré »), false when it
   *  was confirmed by a check after a reload or reconnection (« Votre vote a bien été enregistré »). */
  fresh = $state(false);
  /** The last check found the ballot missing and sent it again. */
  resent = $state(false);
  /** A check could not reach the server (it is tried again). */
  checkFailed = $state(false);

  readonly #o: BallotClientOptions;
  #attempts = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #tick: ReturnType<typeof setInterval> | undefined;
  #busy = false;
  #destroyed = false;
  readonly #onOnline = (): void => {
    if (this.phase === 'retrying') this.retryNow();
  };

  constructor(options: BallotClientOptions) {
    this.#o = options;
    this.record = readStoredBallot(options.memberId, options.voteId);
    if (this.record?.recorded) this.phase = 'recorded';
    window.addEventListener('online', this.#onOnline);
  }

  /** The attempt whose fate is not known yet, if any. */
  get pending(): StoredAttempt | null {
    return this.record?.pending ?? null;
  }

  /** The ballot the voter last chose (pending first, else recorded): to show it, or pre-fill a change. */
  get lastBallot(): Ballot | null {
    return this.record?.pending?.ballot ?? this.refusedBallot ?? this.record?.recorded?.ballot ?? null;
  }

  get busy(): boolean {
    return this.phase === 'sending' || this.phase === 'retrying' || this.phase === 'checking';
  }

  #save(record: StoredBallot): void {
    this.record = record;
    writeStoredBallot(this.#o.memberId, record);
  }

  /** Stores then sends a new ballot (a first vote, or a change). */
  submit(ballot: Ballot): void {
    if (this.#destroyed) return;
    const previous = this.record;
    const attempt: StoredAttempt = { voteId: this.#o.voteId, ballotId: newBallotId(), ballot, createdAt: new Date().toISOString() };
    this.#save({
      version: 1,
      voteId: this.#o.voteId,
      changeKey: previous?.changeKey ?? (this.#o.secretChangeable ? newChangeKey() : null),
      pending: attempt,
      recorded: previous?.recorded ?? null,
    });
    this.message = '';
    this.resent = false;
    this.#attempts = 0;
    void this.#send();
  }

  /** Sends the pending attempt now (after a failure, or the browser came back online). */
  retryNow(): void {
    this.#clearTimers();
    if (this.record?.pending) void this.#send();
    else void this.check();
  }

  async #send(): Promise<void> {
    const record = this.record;
    const attempt = record?.pending;
    if (!record || !attempt || this.#busy || this.#destroyed) return;
    this.#busy = true;
    this.#clearTimers();
    this.phase = 'sending';
    try {
      const reply = await castBallot(this.#o.workshopId, this.#o.voteId, {
        ballotId: attempt.ballotId,
        ballot: attempt.ballot,
        ...(record.changeKey ? { changeKey: record.changeKey } : {}),
      });
      this.#acknowledged(attempt, reply.ack, true, true);
    } catch (err) {
      if (this.#destroyed) return;
      if (err instanceof ApiError && err.status === 401) {
        this.phase = 'retrying';
        this.#o.onUnauthorized?.();
      } else if (isTransient(err)) {
        this.#scheduleRetry(() => void this.#send());
      } else {
        this.#refused(err instanceof ApiError ? err.message : String(err));
      }
    } finally {
      this.#busy = false;
    }
  }

  #acknowledged(attempt: StoredAttempt, ack: BallotAck, counted: boolean, fresh: boolean): void {
    if (this.#destroyed) return;
    const record = this.record;
    this.#attempts = 0;
    this.#save({
      version: 1,
      voteId: this.#o.voteId,
      changeKey: record?.changeKey ?? null,
      pending: record?.pending && record.pending.ballotId !== attempt.ballotId ? record.pending : null,
      recorded: { ...attempt, ack, counted },
    });
    this.fresh = fresh;
    this.checkFailed = false;
    this.phase = 'recorded';
  }

  #refused(message: string): void {
    const record = this.record;
    // The refused attempt is dropped (the voter may fix it); an earlier acknowledged ballot stays.
    if (record) this.#save({ ...record, pending: null });
    this.refusedBallot = record?.pending?.ballot ?? null;
    this.message = message;
    this.phase = 'refused';
  }

  #scheduleRetry(run: () => void): void {
    const base = BACKOFF[Math.min(this.#attempts, BACKOFF.length - 1)] ?? 30;
    this.#attempts++;
    const delayMs = Math.round(base * 1000 * (1 + Math.random() * 0.3));
    this.phase = 'retrying';
    this.retryIn = Math.ceil(delayMs / 1000);
    this.#clearTimers();
    this.#tick = setInterval(() => {
      this.retryIn = Math.max(0, this.retryIn - 1);
    }, 1000);
    this.#timer = setTimeout(() => {
      this.#clearTimers();
      run();
    }, delayMs);
  }

  #clearTimers(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#tick);
    this.#timer = undefined;
    this.#tick = undefined;
  }

  /**
   * After a reload or a reconnection: asks the server about the stored ballot (the pending one first). Recorded →
   * shown as such; not recorded → sent again while the vote is open, reported lost once it is closed.
   */
  async check(voteOpen = true): Promise<void> {
    const record = this.record;
    const attempt = record?.pending ?? record?.recorded ?? null;
    if (!record || !attempt || this.#busy || this.#destroyed) return;
    this.#busy = true;
    this.#clearTimers();
    const wasRecorded = this.phase === 'recorded';
    if (!wasRecorded) this.phase = 'checking';
    let resend = false;
    try {
      const answer = await checkBallot(this.#o.workshopId, this.#o.voteId, attempt.ballotId);
      this.checkFailed = false;
      if (answer.recorded) {
        this.#acknowledged(attempt, answer.ack, answer.counted, false);
      } else if (record.pending && voteOpen) {
        resend = true;
      } else if (record.pending) {
        this.#save({ ...record, pending: null });
        this.phase = record.recorded ? 'recorded' : 'lost';
        if (!record.recorded) this.message = '';
      } else {
        // An acknowledged ballot the server does not know (another server's data, a reset): say so honestly.
        this.#save({ ...record, recorded: null });
        this.phase = 'idle';
      }
    } catch (err) {
      if (this.#destroyed) return;
      if (err instanceof ApiError && err.status === 401) this.#o.onUnauthorized?.();
      else if (isTransient(err)) {
        this.checkFailed = true;
        // A re-send of the same ballot id is safe (counted once): it is the retry of a failed check.
        if (record.pending) this.#scheduleRetry(() => void this.#send());
        else if (!wasRecorded) this.phase = 'recorded';
      } else if (!wasRecorded) {
        this.phase = record.recorded ? 'recorded' : 'idle';
      }
    } finally {
      this.#busy = false;
    }
    if (resend) {
      this.resent = true;
      await this.#send();
    }
  }

  destroy(): void {
    this.#destroyed = true;
    this.#clearTimers();
    window.removeEventListener('online', this.#onOnline);
  }
}
