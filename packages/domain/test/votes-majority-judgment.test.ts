import { describe, expect, it } from 'vitest';
import type { College } from '../src/actors/actors.ts';
import {
  compareMeritProfiles,
  gradeOfValue,
  gradeValue,
  majorityGradeIndex,
  majorityJudgmentRanks,
  majorityValue,
  MJ_GRADE_LABELS,
  MJ_GRADES,
  parseVoteSettings,
  tally,
  validateBallot,
  VoteSettingsSchema,
  type MajorityJudgmentSettings,
  type MjGrade,
  type TallyBallot,
} from '../src/votes/index.ts';

function settings(options: readonly [string, string][], extra: Record<string, unknown> = {}): MajorityJudgmentSettings {
  const s = VoteSettingsSchema.parse({ method: 'majority-judgment', options: options.map(([id, label]) => ({ id, label })), ...extra });
  if (s.method !== 'majority-judgment') throw new Error('unexpected method');
  return s;
}

/** One ballot per column: `columns[optionId][i]` is the grade voter i gives that option. */
function ballotsFrom(columns: Record<string, MjGrade[]>, college: College = 'collectivites'): TallyBallot[] {
  const ids = Object.keys(columns);
  const n = columns[ids[0] ?? '']?.length ?? 0;
  return Array.from({ length: n }, (_, i) => ({
    college,
    ballot: { method: 'majority-judgment', grades: Object.fromEntries(ids.map((id) => [id, columns[id]?.[i] ?? 'a-rejeter'])) },
  }));
}

/** Naive reference: sort all grades, take the lower median, remove it, repeat. */
function naiveMajorityValue(profile: readonly number[]): number[] {
  const grades: number[] = [];
  profile.forEach((c, g) => {
    for (let i = 0; i < c; i += 1) grades.push(g);
  });
  const out: number[] = [];
  while (grades.length > 0) {
    const k = Math.floor((grades.length - 1) / 2);
    out.push(grades[k] ?? -1);
    grades.splice(k, 1);
  }
  return out;
}

function naiveCompare(a: readonly number[], b: readonly number[]): number {
  const x = naiveMajorityValue(a);
  const y = naiveMajorityValue(b);
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('grades', () => {
  it('has the seven French grades, best first', () => {
    expect(MJ_GRADES.map((g) => MJ_GRADE_LABELS[g])).toEqual(['Excellent', 'Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant', 'À rejeter']);
    expect(gradeValue('excellent')).toBe(6);
    expect(gradeValue('a-rejeter')).toBe(0);
    for (const g of MJ_GRADES) expect(gradeOfValue(gradeValue(g))).toBe(g);
    expect(() => gradeOfValue(7)).toThrow(RangeError);
  });
});

describe('majority-judgment settings', () => {
  const opts = (n: number): { id: string; label: string }[] => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: `Option ${i}` }));
  it('takes 2 to 20 options with distinct ids and labels', () => {
    expect(parseVoteSettings({ method: 'majority-judgment', options: opts(2) }).ok).toBe(true);
    expect(parseVoteSettings({ method: 'majority-judgment', options: opts(20) }).ok).toBe(true);
    expect(parseVoteSettings({ method: 'majority-judgment', options: opts(1) }).ok).toBe(false);
    expect(parseVoteSettings({ method: 'majority-judgment', options: opts(21) }).ok).toBe(false);
    const dupId = parseVoteSettings({ method: 'majority-judgment', options: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] });
    expect(dupId).toEqual({ ok: false, message: 'Paramètres de vote invalides : options.1.id : option en double : « a »' });
    const dupLabel = parseVoteSettings({ method: 'majority-judgment', options: [{ id: 'a', label: 'Vélo' }, { id: 'b', label: ' vélo ' }] });
    expect(dupLabel.ok).toBe(false);
    expect(parseVoteSettings({ method: 'majority-judgment', options: [{ id: '__proto__', label: 'A' }, { id: 'b', label: 'B' }] }).ok).toBe(false);
  });
});

describe('majority-judgment ballots', () => {
  const s = settings([
    ['velo', 'Plan vélo régional'],
    ['renov', 'Rénovation des lycées'],
    ['haies', 'Replantation de haies'],
  ]);
  const full = { velo: 'bien', renov: 'a-rejeter', haies: 'excellent' };

  it('accepts a ballot grading every option, returned in the vote’s option order', () => {
    const r = validateBallot(s, { method: 'majority-judgment', grades: { haies: 'excellent', velo: 'bien', renov: 'a-rejeter' } });
    expect(r.ok).toBe(true);
    if (r.ok && r.ballot.method === 'majority-judgment') expect(Object.keys(r.ballot.grades)).toEqual(['velo', 'renov', 'haies']);
  });

  it('refuses a missing grade (no implicit « À rejeter »), naming the option', () => {
    expect(validateBallot(s, { method: 'majority-judgment', grades: { velo: 'bien', haies: 'bien' } })).toEqual({
      ok: false,
      message: 'Bulletin refusé : chaque option doit recevoir une mention ; il manque « Rénovation des lycées ».',
    });
    expect(validateBallot(s, { method: 'majority-judgment', grades: {} }).ok).toBe(false);
  });

  it('refuses unknown options and unknown grades', () => {
    expect(validateBallot(s, { method: 'majority-judgment', grades: { ...full, tram: 'bien' } })).toEqual({
      ok: false,
      message: 'Bulletin refusé : option inconnue : « tram ».',
    });
    const r = validateBallot(s, { method: 'majority-judgment', grades: { ...full, velo: 'moyen' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/mention invalide : « Excellent » \(excellent\)/);
    expect(validateBallot(s, { method: 'majority-judgment', grades: [] }).ok).toBe(false);
  });
});

describe('majority grade (lower median) and majority value', () => {
  it('odd number of grades: the median', () => {
    // worst first: 0×1, 1×1, 2×1 → median grade index 1
    expect(majorityGradeIndex([1, 1, 1])).toBe(1);
    expect(majorityGradeIndex([0, 0, 3])).toBe(2);
    expect(majorityGradeIndex([2, 0, 1])).toBe(0);
  });

  it('even number of grades: the lower of the two middle grades', () => {
    expect(majorityGradeIndex([2, 0, 2])).toBe(0); // 0 0 | 2 2 → 0, not 1 nor 2
    expect(majorityGradeIndex([1, 1, 1, 1])).toBe(1); // 0 1 | 2 3 → 1
    expect(majorityGradeIndex([0, 5, 5])).toBe(1);
    expect(majorityGradeIndex([0, 4, 6])).toBe(2);
  });

  it('empty profile: no majority grade', () => {
    expect(majorityGradeIndex([0, 0, 0])).toBeNull();
    expect(majorityValue([0, 0])).toEqual([]);
  });

  it('majority value by hand', () => {
    // grades 0 2 2 2 4 (worst first): medians 2, then of 0 2 2 4 → 2, of 0 2 4 → 2, of 0 4 → 0, then 4
    expect(majorityValue([1, 0, 3, 0, 1])).toEqual([2, 2, 2, 0, 4]);
    // alternating once the middle is used up: 0 0 0 1 2 2 2 → 1, then 0 0 0 2 2 2 → 0, 0 0 2 2 2 → 2 …
    expect(majorityValue([3, 1, 3])).toEqual([1, 0, 2, 0, 2, 0, 2]);
  });

  it('matches the naive remove-one-median procedure on 2 000 random profiles', () => {
    const rnd = prng(20260312);
    for (let i = 0; i < 2000; i += 1) {
      const grades = 2 + Math.floor(rnd() * 6);
      const profile = Array.from({ length: grades }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() * 9)));
      expect(majorityValue(profile), JSON.stringify(profile)).toEqual(naiveMajorityValue(profile));
    }
  });

  it('compares like the naive procedure on 2 000 random pairs', () => {
    const rnd = prng(7);
    for (let i = 0; i < 2000; i += 1) {
      const n = 1 + Math.floor(rnd() * 12);
      const random = (): number[] => {
        const p = [0, 0, 0, 0, 0, 0, 0];
        for (let v = 0; v < n; v += 1) {
          const g = Math.floor(rnd() * 7);
          p[g] = (p[g] ?? 0) + 1;
        }
        return p;
      };
      const a = random();
      const b = rnd() < 0.1 ? [...a] : random();
      expect(Math.sign(compareMeritProfiles(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(naiveCompare(a, b)));
    }
  });

  it('refuses to compare profiles of different sizes', () => {
    expect(() => compareMeritProfiles([1, 1], [1, 2])).toThrow(RangeError);
    expect(() => majorityGradeIndex([1, -1])).toThrow(RangeError);
  });
});

describe('examples from MieuxVoter’s reference implementation', () => {
  // MieuxVoter/majority-judgment-library-typescript, assertions.json (shared test cases of the MieuxVoter
  // libraries). Profiles are worst grade first; expected ranks are MieuxVoter's.
  it('« Few participants »: 3 voters, 3 grades', () => {
    expect(majorityJudgmentRanks([[1, 1, 1], [1, 0, 2], [3, 0, 0], [2, 0, 1], [0, 3, 0]])).toEqual([3, 1, 5, 4, 2]);
  });

  it('« Feedback from Paris »: 21 voters, 7 grades, an exact tie', () => {
    // the 4th option has 20 grades; with the static default grade (the worst) the missing one is « À rejeter »
    expect(
      majorityJudgmentRanks([
        [1, 1, 4, 3, 7, 4, 1],
        [0, 2, 4, 3, 7, 4, 1],
        [1, 1, 4, 3, 7, 4, 1],
        [2, 0, 4, 3, 7, 4, 1],
      ]),
    ).toEqual([2, 1, 2, 4]);
  });

  it('« Static Default Grade »: 10 voters, missing grades filled with the worst', () => {
    expect(
      majorityJudgmentRanks([
        [2, 2, 2, 2, 2],
        [2, 2, 2, 2, 2], // [1, 2, 2, 2, 2] + 1 default
        [6, 0, 4, 0, 0],
        [8, 0, 0, 0, 2],
        [8, 0, 0, 1, 1],
      ]),
    ).toEqual([1, 1, 3, 4, 5]);
  });

  it('« Thousands of participants »: 37 000 voters, 6 grades', () => {
    expect(
      majorityJudgmentRanks([
        [11142, 6970, 4040, 1968, 9888, 2992],
        [10141, 8971, 4043, 1965, 8884, 2996],
        [14141, 8971, 1043, 1965, 7884, 2996],
      ]),
    ).toEqual([1, 2, 3]);
  });
});

describe('majority-judgment tally', () => {
  const s = settings([
    ['a', 'Option A'],
    ['b', 'Option B'],
    ['c', 'Option C'],
  ]);

  it('three options tied on « Bien », separated by the tie-break (worked by hand)', () => {
    // 5 voters.
    // A: Excellent, Bien, Bien, Bien, À rejeter          sorted: R B B B E → majority value B B B R E
    // B: Très bien, Très bien, Bien, Assez bien, Assez bien  sorted: AB AB B TB TB → B AB TB AB TB
    // C: Très bien, Très bien, Bien, Bien, Insuffisant    sorted: I B B TB TB → B B TB I TB
    // All three have « Bien ». Remove one « Bien » from each: A → B, B → AB, C → B; B is third.
    // Remove another: A → B, C → TB; C is first, A second.
    const r = tally(
      s,
      ballotsFrom({
        a: ['excellent', 'bien', 'bien', 'bien', 'a-rejeter'],
        b: ['tres-bien', 'tres-bien', 'bien', 'assez-bien', 'assez-bien'],
        c: ['tres-bien', 'tres-bien', 'bien', 'bien', 'insuffisant'],
      }),
      { eligibleCount: 6 },
    );
    expect(r.options.map((o) => [o.optionId, o.majorityGrade, o.rank])).toEqual([
      ['c', 'bien', 1],
      ['a', 'bien', 2],
      ['b', 'bien', 3],
    ]);
    expect(r.options.find((o) => o.optionId === 'a')?.profile).toEqual({
      excellent: 1,
      'tres-bien': 0,
      bien: 3,
      'assez-bien': 0,
      passable: 0,
      insuffisant: 0,
      'a-rejeter': 1,
    });
    expect(Object.keys(r.options[0]?.profile ?? {})).toEqual([...MJ_GRADES]); // best grade first
    expect(r.participation).toEqual({ cast: 5, eligible: 6, rate: 5 / 6 });
  });

  it('even number of voters: the lower median decides', () => {
    // 4 voters. A: TB TB P P → lower median « Passable » (the upper one would be « Très bien »)
    //           B: B B AB I  → sorted I AB B B → lower median « Assez bien »
    //           C: all « Insuffisant »
    const r = tally(
      s,
      ballotsFrom({
        a: ['tres-bien', 'tres-bien', 'passable', 'passable'],
        b: ['bien', 'bien', 'assez-bien', 'insuffisant'],
        c: ['insuffisant', 'insuffisant', 'insuffisant', 'insuffisant'],
      }),
      { eligibleCount: 4 },
    );
    expect(r.options.map((o) => [o.optionId, o.majorityGrade, o.rank])).toEqual([
      ['b', 'assez-bien', 1],
      ['a', 'passable', 2],
      ['c', 'insuffisant', 3],
    ]);
  });

  it('identical profiles tie and share a rank (1, 1, 3), listed in the vote’s order', () => {
    // A and C receive the same grades from different voters: same profile, same rank.
    const r = tally(
      s,
      ballotsFrom({
        a: ['bien', 'passable', 'excellent'],
        b: ['passable', 'passable', 'bien'],
        c: ['excellent', 'bien', 'passable'],
      }),
      { eligibleCount: 3 },
    );
    expect(r.options.map((o) => [o.optionId, o.rank])).toEqual([
      ['a', 1],
      ['c', 1],
      ['b', 3],
    ]);
  });

  it('no ballot: no majority grade, every option first', () => {
    const r = tally(s, [], { eligibleCount: 10 });
    expect(r.options.map((o) => [o.optionId, o.majorityGrade, o.rank])).toEqual([
      ['a', null, 1],
      ['b', null, 1],
      ['c', null, 1],
    ]);
  });

  it('ranks each college on its own ballots', () => {
    const etat = ballotsFrom({ a: ['excellent', 'excellent', 'bien'], b: ['passable', 'passable', 'passable'], c: ['bien', 'bien', 'bien'] }, 'etat');
    const civil = ballotsFrom(
      { a: ['insuffisant', 'insuffisant', 'bien', 'bien'], b: ['tres-bien', 'tres-bien', 'bien', 'bien'], c: ['passable', 'bien', 'bien', 'bien'] },
      'societe-civile',
    );
    const r = tally(s, [...etat, ...civil], { eligibleCount: 7, colleges: { etat: 3, 'societe-civile': 4 } });
    const ranking = (college: College): [string, MjGrade | null, number][] =>
      r.byCollege.find((c) => c.college === college)?.options.map((o) => [o.optionId, o.majorityGrade, o.rank]) ?? [];
    // État: A E E B → Excellent; C Bien; B Passable
    expect(ranking('etat')).toEqual([
      ['a', 'excellent', 1],
      ['c', 'bien', 2],
      ['b', 'passable', 3],
    ]);
    // société civile (4): A I I B B → lower median Insuffisant; B B B TB TB → Bien, MV B TB…; C P B B B → Bien, MV B B…
    expect(ranking('societe-civile')).toEqual([
      ['b', 'bien', 1],
      ['c', 'bien', 2],
      ['a', 'insuffisant', 3],
    ]);
    expect(ranking('collectivites')).toEqual([
      ['a', null, 1],
      ['b', null, 1],
      ['c', null, 1],
    ]);
    // overall (7 voters): A gets E E B I I B B → sorted I I B B B E E → median (4th) « Bien »
    expect(r.options.find((o) => o.optionId === 'a')?.majorityGrade).toBe('bien');
    expect(r.byCollege.find((c) => c.college === 'etat')?.participation).toEqual({ cast: 3, eligible: 3, rate: 1 });
  });

  it('does not depend on the order of the ballots', () => {
    const b = ballotsFrom({
      a: ['excellent', 'bien', 'bien', 'bien', 'a-rejeter'],
      b: ['tres-bien', 'tres-bien', 'bien', 'assez-bien', 'assez-bien'],
      c: ['tres-bien', 'tres-bien', 'bien', 'bien', 'insuffisant'],
    });
    expect(tally(s, [...b].reverse(), { eligibleCount: 5 })).toEqual(tally(s, b, { eligibleCount: 5 }));
  });
});
