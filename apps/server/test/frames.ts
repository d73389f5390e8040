import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

// y-websocket sync frames, built and read by hand by the tests that speak the protocol without a provider.

/** Sync step 1: "here is my state vector, send me what I lack". */
export function syncStep1Frame(stateVector: Uint8Array): Uint8Array {
  return syncFrame(0, stateVector);
}

/** A sync update frame carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(2, update);
}

/** The update carried by a sync step 2 (`kind` 1) or update (`kind` 2) frame; null for any other frame. */
export function readSyncUpdate(frame: Uint8Array): { kind: 1 | 2; update: Uint8Array } | null {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== 0) return null;
  const kind = decoding.readVarUint(d);
  if (kind !== 1 && kind !== 2) return null;
  return { kind, update: decoding.readVarUint8Array(d) };
}

function syncFrame(kind: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // sync
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
