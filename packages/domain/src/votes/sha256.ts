import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/**
 * SHA-256 of a UTF-8 string as lowercase hex, synchronous (browser and Node), for the ballot box: receipt codes
 * and the tags that let a secret ballot be changed by its holder only.
 */
export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}
