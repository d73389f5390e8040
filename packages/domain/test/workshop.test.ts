import { describe, it, expect } from 'vitest';
import {
  CreateWorkshopInputSchema,
  RegionCodeSchema,
  STAGE_LABELS,
  STAGES,
  WorkshopIdSchema,
  WorkshopSchema,
} from '../src/index.ts';

const good = { name: 'COP Bretagne — atelier diagnostic', regionCode: '53', date: '2026-03-12' };

function accepts(input: unknown): boolean {
  return CreateWorkshopInputSchema.safeParse(input).success;
}

function issuePaths(input: unknown): string[] {
  const r = CreateWorkshopInputSchema.safeParse(input);
  // unique paths: a bad date can fail both the format and the calendar check
  return r.success ? [] : [...new Set(r.error.issues.map((i) => i.path.join('.')))];
}

describe('CreateWorkshopInputSchema', () => {
  it('accepts a good input unchanged', () => {
    expect(CreateWorkshopInputSchema.parse(good)).toEqual(good);
  });

  it('trims the name', () => {
    expect(CreateWorkshopInputSchema.parse({ ...good, name: '   COP Occitanie \n' }).name).toBe('COP Occitanie');
  });

  it('refuses names shorter than 3 characters, after trimming', () => {
    expect(issuePaths({ ...good, name: '' })).toEqual(['name']);
    expect(issuePaths({ ...good, name: 'ab' })).toEqual(['name']);
    expect(issuePaths({ ...good, name: '   ab   ' })).toEqual(['name']);
    expect(accepts({ ...good, name: 'abc' })).toBe(true);
  });

  it('refuses names longer than 120 characters', () => {
    expect(accepts({ ...good, name: 'n'.repeat(120) })).toBe(true);
    expect(issuePaths({ ...good, name: 'n'.repeat(121) })).toEqual(['name']);
    // trimmed before the length check
    expect(accepts({ ...good, name: ` ${'n'.repeat(120)} ` })).toBe(true);
  });

  it('refuses a non-string name', () => {
    expect(issuePaths({ ...good, name: 123 })).toEqual(['name']);
  });

  it('accepts two-digit region codes', () => {
    for (const regionCode of ['01', '11', '53', '84', '94']) expect(accepts({ ...good, regionCode }), regionCode).toBe(true);
  });

  it('refuses bad region codes', () => {
    for (const regionCode of ['', '1', '530', 'ab', '2A', ' 53', '53 ', '5-', '٥٣']) {
      expect(issuePaths({ ...good, regionCode }), regionCode).toEqual(['regionCode']);
    }
    expect(issuePaths({ ...good, regionCode: 53 })).toEqual(['regionCode']);
  });

  it('accepts real dates, including a leap day', () => {
    for (const date of ['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '2026-04-30']) {
      expect(accepts({ ...good, date }), date).toBe(true);
    }
  });

  it('refuses dates in the wrong format', () => {
    for (const date of ['2026/01/01', '01/02/2026', '2026-1-1', '26-01-01', '2026-01-01T00:00:00Z', '2026-01-01 ', '20260101', '']) {
      expect(issuePaths({ ...good, date }), date).toEqual(['date']);
    }
  });

  it('refuses out-of-range months and days', () => {
    for (const date of ['2026-13-01', '2026-00-10', '2026-01-32', '2026-01-00']) {
      expect(issuePaths({ ...good, date }), date).toEqual(['date']);
    }
  });

  // Regression: V8's Date.parse rolls 2026-02-30 over to 2026-03-02 instead of refusing it.
  it('refuses dates that do not exist (2026-02-30, 2026-02-29, 2026-04-31)', () => {
    for (const date of ['2026-02-30', '2026-02-29', '2026-04-31', '2100-02-29']) {
      expect(issuePaths({ ...good, date }), date).toEqual(['date']);
    }
  });

  it('refuses extra fields', () => {
    expect(accepts({ ...good, stage: 'debat' })).toBe(false);
    expect(accepts({ ...good, id: 'abcdefghijkl' })).toBe(false);
  });

  it('refuses missing fields', () => {
    for (const key of ['name', 'regionCode', 'date'] as const) {
      const { [key]: _omit, ...rest } = good;
      expect(issuePaths(rest), key).toEqual([key]);
    }
    expect(accepts(null)).toBe(false);
    expect(accepts('COP')).toBe(false);
  });
});

describe('RegionCodeSchema', () => {
  it('accepts two digits only', () => {
    expect(RegionCodeSchema.safeParse('28').success).toBe(true);
    expect(RegionCodeSchema.safeParse('2').success).toBe(false);
  });
});

describe('WorkshopIdSchema', () => {
  it('accepts 12 lowercase base32 characters', () => {
    for (const id of ['abcdefghijkl', 'mnopqrstuvwx', 'yz2345672345', 'aaaaaaaaaaaa']) {
      expect(WorkshopIdSchema.safeParse(id).success, id).toBe(true);
    }
  });

  it('refuses anything else', () => {
    for (const id of [
      '',
      'abcdefghijk',
      'abcdefghijklm',
      'Abcdefghijkl',
      'abcdefghijk0',
      'abcdefghijk1',
      'abcdefghijk8',
      'abcdefghijk9',
      'abcdefghijk-',
      'abcdefghijk_',
      'abcdefghijk ',
      'abcdefghijk\n',
      '../abcdefghi',
    ]) {
      expect(WorkshopIdSchema.safeParse(id).success, JSON.stringify(id)).toBe(false);
    }
    expect(WorkshopIdSchema.safeParse(123456789012).success).toBe(false);
  });
});

describe('WorkshopSchema and stages', () => {
  const workshop = { id: 'abcdefghijkl', name: 'COP', regionCode: '53', date: '2026-03-12', stage: 'diagnostic', createdAt: '2026-01-01T10:00:00Z' };

  it('accepts a stored workshop at each stage', () => {
    for (const stage of STAGES) expect(WorkshopSchema.safeParse({ ...workshop, stage }).success, stage).toBe(true);
  });

  it('refuses an unknown stage or a bad id', () => {
    expect(WorkshopSchema.safeParse({ ...workshop, stage: 'vote' }).success).toBe(false);
    expect(WorkshopSchema.safeParse({ ...workshop, id: 'nope' }).success).toBe(false);
  });

  it('lists the four stages in order, each with a label', () => {
    expect(STAGES).toEqual(['diagnostic', 'debat', 'partage', 'feuille-de-route']);
    for (const s of STAGES) expect(STAGE_LABELS[s]).toMatch(/\S/);
    expect(Object.keys(STAGE_LABELS).sort()).toEqual([...STAGES].sort());
  });
});
