import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A 12-character random id in lowercase base32 (60 bits), as WorkshopIdSchema expects. */
export function newWorkshopId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}
