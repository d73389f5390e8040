import type * as Y from 'yjs';
import type { Workshop } from '@agora/domain';
import type { ChangeAuthor } from '../realtime/room.ts';
import type { RoomRegistry } from '../realtime/rooms.ts';

export type WriteOutcome = { ok: true } | { ok: false; status: 422 | 503; message: string };

/**
 * A server write made for a person (consolidation, import): checked by the document's rules like their own edit,
 * written whole or not at all, and stored before this resolves. `refused` starts the French refusal
 * (« consolidation refusée », « import refusé »).
 */
export async function writeOnBehalf(
  rooms: RoomRegistry,
  name: string,
  workshop: Workshop,
  author: ChangeAuthor,
  refused: string,
  fn: (doc: Y.Doc) => void,
): Promise<WriteOutcome> {
  const written = await rooms.write(name, workshop, (room) => {
    if (room.storeFailing) return { ok: false as const, status: 503 as const, message: 'stockage momentanément indisponible : rien n’a été écrit, réessayez' };
    const result = room.serverWrite(fn, author);
    if (!result.ok) {
      const first = result.issues[0];
      const reason = first ? `${first.field ? `${first.field} : ` : ''}${first.message}` : 'règles du diagnostic';
      return { ok: false as const, status: 422 as const, message: `${refused} : ${reason} ; rien n’a été écrit` };
    }
    return { ok: true as const, flushed: room.flush() };
  });
  if (!written.ok) return written;
  await written.flushed;
  return { ok: true };
}
