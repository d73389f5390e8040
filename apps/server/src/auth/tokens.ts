import { randomBytes } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random identifier: `bytes` of entropy in lowercase base32 without padding. */
export function randomId(bytes = 15): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes));
}

/** Invitation tokens: 130 bits, 26 characters (InvitationTokenSchema). */
export function newInvitationToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(17)).slice(0, 26);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export function secretMatches(secret: string, hash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), hash);
}
