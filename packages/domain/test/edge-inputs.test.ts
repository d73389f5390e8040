import { describe, expect, it } from 'vitest';
import {
  ConsolidationApplyInputSchema,
  DiagnosticEntrySchema,
  ImportCommitInputSchema,
  ImportValidateInputSchema,
  findControlCharacter,
  hasControlCharacter,
} from '../src/index.ts';

describe('consolidation and import inputs', () => {
  it('accepts decisions per duplicate cluster and refuses anything else', () => {
    expect(ConsolidationApplyInputSchema.parse({})).toEqual({ decisions: {} });
    const ok = { decisions: { 'dup-abcdefgh': { action: 'merge', keepEntryId: 'abcdefgh12' }, 'dup-x1': { action: 'keep-all' } } };
    expect(ConsolidationApplyInputSchema.parse(ok)).toEqual(ok);
    expect(ConsolidationApplyInputSchema.safeParse({ decisions: { 'dup-a': { action: 'merge' } } }).success).toBe(false);
    expect(ConsolidationApplyInputSchema.safeParse({ decisions: { 'dup-a': { action: 'fusion' } } }).success).toBe(false);
    expect(ConsolidationApplyInputSchema.safeParse({ decisions: { '../../etc': { action: 'keep-all' } } }).success).toBe(false);
    expect(ConsolidationApplyInputSchema.safeParse({ decisions: {}, extra: 1 }).success).toBe(false);
  });

  it('checks import ids, mappings, defaults and target documents', () => {
    const importId = 'abcdefghijklmnopqrstuvwx';
    expect(ImportValidateInputSchema.parse({ importId, mapping: { title: 0, lever: null } })).toEqual({ importId, mapping: { title: 0, lever: null }, defaults: {} });
    expect(ImportValidateInputSchema.safeParse({ importId, mapping: { title: -1 } }).success).toBe(false);
    expect(ImportValidateInputSchema.safeParse({ importId, mapping: { title: 1.5 } }).success).toBe(false);
    expect(ImportValidateInputSchema.safeParse({ importId, mapping: { colour: 1 } }).success).toBe(false);
    expect(ImportValidateInputSchema.safeParse({ importId: 'short', mapping: {} }).success).toBe(false);
    expect(ImportValidateInputSchema.safeParse({ importId, mapping: {}, defaults: { lever: 'x'.repeat(65) } }).success).toBe(false);
    expect(ImportCommitInputSchema.parse({ importId, mapping: {} }).document).toBe('diagnostic');
    expect(ImportCommitInputSchema.parse({ importId, mapping: {}, document: 'group-abcdefghijklmnop' }).document).toBe('group-abcdefghijklmnop');
    expect(ImportCommitInputSchema.safeParse({ importId, mapping: {}, document: 'live' }).success).toBe(false);
  });
});


describe('control characters', () => {
  it('finds them anywhere in a JSON body, and lets tabs and line breaks through', () => {
    expect(hasControlCharacter('ligne 1\nligne 2\tfin\r')).toBe(false);
    expect(hasControlCharacter('nul\u0000')).toBe(true);
    expect(hasControlCharacter('del\u007f')).toBe(true);
    expect(findControlCharacter({ name: 'Claire', tags: ['ok', 'bell\u0007'] })).toBe('tags.1');
    expect(findControlCharacter({ ['clé\u0000']: 1 })).toBe('clé\u0000');
    expect(findControlCharacter({ a: { b: 'propre' } })).toBeNull();
  });

  it('refuses an entry whose text holds one', () => {
    const entry = {
      lever: 'augm_voitelec', territory: 'region:84', organisation: 'Métropole', status: 'en-cours', title: 'Bornes\u0000',
      description: 'Deux lignes\nde description', effectValue: null, effectUnit: '', effectKtCO2e: null, yearStart: null, yearEnd: null,
      source: '', author: 'Claire', createdAt: 0, updatedAt: 0,
    };
    const r = DiagnosticEntrySchema.safeParse(entry);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['title']);
    expect(DiagnosticEntrySchema.safeParse({ ...entry, title: 'Bornes' }).success).toBe(true);
  });
});
