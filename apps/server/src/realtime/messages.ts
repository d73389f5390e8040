import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

/** Outer message types of the y-websocket protocol. */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep2(e, doc, stateVector);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** y-websocket's "permission denied" auth message (the client only logs it; the close code carries the meaning). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.auth);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}

/** A decoded incoming frame. Anything else is a protocol error. */
export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

export class ProtocolError extends Error {}

/** Decodes one frame without touching any document; throws ProtocolError on anything malformed. */
export function decodeMessage(data: Uint8Array): IncomingMessage {
  try {
    return decodeFrame(data);
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError('malformed message');
  }
}

function decodeFrame(data: Uint8Array): IncomingMessage {
  const d = decoding.createDecoder(data);
  const bytes = (): Uint8Array => {
    const b = decoding.readVarUint8Array(d);
    if (d.pos > data.byteLength) throw new ProtocolError('truncated message');
    return b;
  };
  const type = decoding.readVarUint(d);
  switch (type) {
    case MessageType.sync: {
      const sub = decoding.readVarUint(d);
      if (sub === syncProtocol.messageYjsSyncStep1) return { type: 'sync-step1', stateVector: bytes() };
      if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) {
        return { type: 'sync-update', update: bytes() };
      }
      throw new ProtocolError(`unknown sync message type ${sub}`);
    }
    case MessageType.awareness:
      return { type: 'awareness', update: bytes() };
    case MessageType.queryAwareness:
      return { type: 'query-awareness' };
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
}
