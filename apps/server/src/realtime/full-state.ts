import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeUpdate, MessageType } from './messages.ts';
import { hasPending } from './pending.ts';

/** Past this many updates since the encoding, the next use encodes the state again. */
const MAX_TAIL_UPDATES = 256;
/** ... or past this share of the state's size (a small tail is cheap to merge whatever the state). */
const MAX_TAIL_SHARE = 0.25;
const MIN_TAIL_BYTES = 64 * 1024;

/**
 * A document's whole state, encoded once and reused while the document changes little: sent to every client that
 * joins with an empty document (sync step 1 with an empty state vector: each first join, each QR-code scan), and
 * used to build the twin and to compact. Encoding the state is the costly part of a join on a large document
 * (the stock server does it for each joiner, holding its event loop ~100 ms per join on a 2.7 MiB state), and a
 * workshop starts with dozens of joins in a minute.
 *
 * Updates made after the encoding are kept, in order, as a tail sent right after the cached state: Yjs updates
 * are idempotent and commute, so state + tail is the document. A long tail drops the cache instead.
 */
export class FullState {
  /** Sync step 2 holding the encoded state; `state` is a view into it. */
  private message: Uint8Array | null = null;
  private state: Uint8Array | null = null;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  /** Encodings made (tests and metrics: how often the cache was missed). */
  encodings = 0;

  constructor(private readonly doc: Y.Doc) {}

  /** To be called with every update of the document, in order. */
  updated(update: Uint8Array): void {
    if (!this.state) return;
    this.tail.push(update);
    this.tailBytes += update.byteLength;
    if (this.tail.length > MAX_TAIL_UPDATES || this.tailBytes > Math.max(MIN_TAIL_BYTES, this.state.byteLength * MAX_TAIL_SHARE)) this.clear();
  }

  clear(): void {
    this.message = null;
    this.state = null;
    this.tail = [];
    this.tailBytes = 0;
  }

  /** The whole state as one update, encoded again only if the document changed since. */
  update(): Uint8Array {
    if (!this.state || this.tail.length > 0) this.encode();
    return this.state!;
  }

  /**
   * What brings an empty document up to date: the cached sync step 2, then the changes since as one update.
   * Null while the document holds structs it could not integrate yet (the encoding includes them, the tail would
   * not): the caller then encodes for this client alone.
   */
  joinMessages(): Uint8Array[] | null {
    if (hasPending(this.doc)) return null;
    if (!this.message) this.encode();
    if (this.tail.length === 0) return [this.message!];
    if (this.tail.length > 1) this.tail = [Y.mergeUpdates(this.tail)];
    return [this.message!, encodeUpdate(this.tail[0]!)];
  }

  /**
   * Takes `state` as the encoded state: the compacted row a document was just loaded from, which holds exactly
   * the document (the first joiner after a restart then waits for no encoding).
   */
  prime(state: Uint8Array): void {
    this.keep(state);
  }

  private encode(): void {
    this.keep(Y.encodeStateAsUpdate(this.doc));
    this.encodings++;
  }

  private keep(state: Uint8Array): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, state);
    this.message = encoding.toUint8Array(e);
    this.state = this.message.subarray(this.message.byteLength - state.byteLength);
    this.tail = [];
    this.tailBytes = 0;
  }
}

/** Whether a sync step 1 comes from a client whose document is empty (a state vector of no clients). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}
