import { describe, expect, it } from 'vitest';
import { ConsolidationApplyInputSchema, ImportCommitInputSchema, ImportValidateInputSchema } from '../src/index.ts';

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
