import { describe, it, expect } from 'vitest';
import {
  adviceForClose,
  CloseCode,
  colorFor,
  documentName,
  DOCUMENT_PARTS,
  MAX_PRESENCE_BYTES,
  parseDocumentName,
  groupDocumentName,
  PRESENCE_COLORS,
  PresenceStateSchema,
  type CloseAdvice,
} from '../src/index.ts';

const WID = 'abcdefghij27';

describe('documentName / parseDocumentName', () => {
  it('builds `<workshopId>:<part>`', () => {
    expect(documentName(WID, 'diagnostic')).toBe('abcdefghij27:diagnostic');
  });

  it('round-trips every part and a variety of workshop ids', () => {
    for (const workshopId of [WID, 'aaaaaaaaaaaa', '234567234567', 'zzzzzzzzzzzz', 'q7w2e3r4t5y6']) {
      for (const part of ['diagnostic', 'live'] as const) {
        const name = documentName(workshopId, part);
        expect(parseDocumentName(name)).toEqual({ workshopId, part });
      }
      const group = groupDocumentName(workshopId, 'grp234567ab');
      expect(parseDocumentName(group)).toEqual({ workshopId, part: 'group', groupId: 'grp234567ab' });
    }
  });

  it('refuses malformed group parts', () => {
    for (const part of ['group-', 'group-ABCDEFGHIJ', 'group-abc', 'group-abcdefghij/x', 'groupabcdefghij']) {
      expect(parseDocumentName(`${WID}:${part}`), part).toBeNull();
    }
  });

  it('knows the diagnostic part', () => {
    expect(DOCUMENT_PARTS).toContain('diagnostic');
  });

  it('rejects bad workshop ids', () => {
    for (const id of [
      '',
      'abcdefghijk', // 11 chars
      'abcdefghijkla', // 13 chars
      'ABCDEFGHIJKL', // uppercase
      'abcdefghij01', // 0 and 1 are not base32
      'abcdefghij89', // 8 and 9 neither
      'abcdef ghijk',
      'abcdef-ghijk',
      'abcdef_ghijk',
    ]) {
      expect(parseDocumentName(`${id}:diagnostic`), id).toBeNull();
    }
  });

  it('rejects unknown or malformed parts', () => {
    for (const part of ['', 'Diagnostic', 'DIAGNOSTIC', 'debat', 'group-1', 'group-abc', 'diagnostic-', 'diag nostic', 'diagnostic ']) {
      expect(parseDocumentName(`${WID}:${part}`), part).toBeNull();
    }
  });

  it('rejects names without a separator or with extra colons', () => {
    expect(parseDocumentName(WID)).toBeNull();
    expect(parseDocumentName('diagnostic')).toBeNull();
    expect(parseDocumentName(`${WID}diagnostic`)).toBeNull();
    expect(parseDocumentName(`${WID}::diagnostic`)).toBeNull();
    expect(parseDocumentName(`${WID}:diagnostic:`)).toBeNull();
    expect(parseDocumentName(`${WID}:diagnostic:diagnostic`)).toBeNull();
    expect(parseDocumentName(`x:${WID}:diagnostic`)).toBeNull();
    expect(parseDocumentName(`:${WID}:diagnostic`)).toBeNull();
    expect(parseDocumentName(':diagnostic')).toBeNull();
    expect(parseDocumentName('')).toBeNull();
  });

  it('rejects path traversal and URL-ish names', () => {
    for (const name of [
      '../x',
      '../x:diagnostic',
      `../${WID}:diagnostic`,
      `${WID}:../diagnostic`,
      `${WID}/../x:diagnostic`,
      `/${WID}:diagnostic`,
      `${WID}:diagnostic/`,
      `${WID}:diagnostic/../x`,
      `..%2F${WID}:diagnostic`,
      `${WID}%3Adiagnostic`,
      `${WID}:diagnostic?x=1`,
      `${WID}:diagnostic\n`,
      `\n${WID}:diagnostic`,
      `${WID}:diagnostic\u0000`,
    ]) {
      expect(parseDocumentName(name), JSON.stringify(name)).toBeNull();
    }
  });

  it('rejects too long names', () => {
    expect(parseDocumentName(`${WID}:${'a'.repeat(200)}`)).toBeNull();
    expect(parseDocumentName(`${'a'.repeat(100)}:diagnostic`)).toBeNull();
    expect(parseDocumentName('x'.repeat(10_000))).toBeNull();
  });

  it('returns a fresh object with exactly workshopId and part', () => {
    const parsed = parseDocumentName(`${WID}:diagnostic`);
    expect(Object.keys(parsed!).sort()).toEqual(['part', 'workshopId']);
  });
});

describe('adviceForClose', () => {
  const expected: Record<keyof typeof CloseCode, CloseAdvice> = {
    GOING_AWAY: 'reconnect',
    MESSAGE_TOO_BIG: 'reload-document',
    INTERNAL_ERROR: 'reconnect',
    STORE_UNAVAILABLE: 'reconnect',
    MALFORMED_MESSAGE: 'stop',
    UNAUTHENTICATED: 'stop',
    FORBIDDEN: 'stop',
    UNKNOWN_DOCUMENT: 'stop',
    SLOW_CLIENT: 'reconnect',
    REVOKED: 'stop',
    DOCUMENT_TOO_LARGE: 'reload-document',
    EDIT_REFUSED: 'reload-document',
    RATE_LIMITED: 'reconnect',
  };

  it.each(Object.entries(expected))('%s → %s', (key, advice) => {
    expect(adviceForClose(CloseCode[key as keyof typeof CloseCode])).toBe(advice);
  });

  it('covers every close code (add a new code to the table above)', () => {
    expect(Object.keys(CloseCode).sort()).toEqual(Object.keys(expected).sort());
  });

  it('uses distinct codes, application ones in the 4000–4999 range (standard ones from RFC 6455)', () => {
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [key, code] of Object.entries(CloseCode)) {
      if (!['GOING_AWAY', 'MESSAGE_TOO_BIG', 'INTERNAL_ERROR', 'STORE_UNAVAILABLE'].includes(key)) {
        expect(code, key).toBeGreaterThanOrEqual(4000);
        expect(code, key).toBeLessThanOrEqual(4999);
      }
    }
  });

  it('reconnects after normal, abnormal and unknown closes', () => {
    for (const code of [1000, 1005, 1006, 1012, 4000, 4999]) expect(adviceForClose(code), String(code)).toBe('reconnect');
  });
});

describe('presence', () => {
  const valid = { user: { name: 'Alice', color: '#1d4ed8', organisation: 'DREAL' }, editing: null };

  it('accepts a small valid presence state', () => {
    expect(PresenceStateSchema.safeParse(valid).success).toBe(true);
    expect(PresenceStateSchema.safeParse({ ...valid, editing: 'entry-0001' }).success).toBe(true);
    expect(PresenceStateSchema.parse({ ...valid, user: { ...valid.user, name: '  Alice  ' } }).user.name).toBe('Alice');
  });

  it('refuses bad colours, empty names, extra fields and long editing ids', () => {
    const bad = [
      { ...valid, user: { ...valid.user, color: 'red' } },
      { ...valid, user: { ...valid.user, color: '#12345' } },
      { ...valid, user: { ...valid.user, color: 'url(#x)' } },
      { ...valid, user: { ...valid.user, name: '   ' } },
      { ...valid, user: { ...valid.user, name: 'n'.repeat(81) } },
      { ...valid, user: { ...valid.user, admin: true } },
      { ...valid, extra: 1 },
      { ...valid, editing: 'e'.repeat(41) },
      { user: valid.user },
    ];
    for (const state of bad) expect(PresenceStateSchema.safeParse(state).success, JSON.stringify(state)).toBe(false);
  });

  it('keeps valid states within the relayed size', () => {
    const biggest = {
      user: { name: 'n'.repeat(80), color: '#abcdef', organisation: 'o'.repeat(120), id: 'i'.repeat(64), role: 'r'.repeat(40) },
      editing: 'e'.repeat(40),
    };
    expect(PresenceStateSchema.safeParse(biggest).success).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(biggest)).byteLength).toBeLessThanOrEqual(MAX_PRESENCE_BYTES);
  });

  it('colorFor is stable and picks from the palette', () => {
    expect(colorFor('alice')).toBe(colorFor('alice'));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = colorFor(`user-${i}`);
      expect(PRESENCE_COLORS).toContain(c);
      seen.add(c);
    }
    expect(seen.size).toBeGreaterThan(4);
    expect(PRESENCE_COLORS).toContain(colorFor(''));
  });
});
