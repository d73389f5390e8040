/**
 * y-websocket protocol frames for the raw-protocol clients (yjs/y-protocols PROTOCOL.md):
 *   frame = varUint(outer type) • payload;  sync: 0 • varUint(0 step1 | 1 step2 | 2 update) • varByteArray
 *   awareness: 1 • varByteArray(varUint(n) • n × [varUint clientID • varUint clock • varString JSON])
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_SYNC);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** UTF-8 JSON of the state ("null" = removed). */
  json: Uint8Array;
}

export function awarenessFrame(entries: AwarenessEntry[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const en of entries) {
    encoding.writeVarUint(inner, en.clientId);
    encoding.writeVarUint(inner, en.clock);
    encoding.writeVarUint8Array(inner, en.json);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

export type Incoming =
  | { type: 'sync'; sub: number; payload: Uint8Array }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'other'; outer: number };

export function parseFrame(data: Uint8Array): Incoming {
  const d = decoding.createDecoder(data);
  const outer = decoding.readVarUint(d);
  if (outer === MSG_SYNC) {
    const sub = decoding.readVarUint(d);
    return { type: 'sync', sub, payload: decoding.readVarUint8Array(d) };
  }
  if (outer === MSG_AWARENESS) {
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(inner);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(inner);
      const clock = decoding.readVarUint(inner);
      entries.push({ clientId, clock, json: decoding.readVarUint8Array(inner) });
    }
    return { type: 'awareness', entries };
  }
  return { type: 'other', outer };
}

/** A y-protocols "empty" update (no structs, empty delete set), what a client with an empty doc sends as step 2. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** The state vector of an empty doc. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);
