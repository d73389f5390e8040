import { describe, expect, it } from 'vitest';
import type { College } from '../src/actors/actors.ts';
import {
  majorityReached,
  parseVoteSettings,
  quorumRequired,
  tally,
  validateBallot,
  VoteSettingsSchema,
  type TallyBallot,
  type VoteSettingsInput,
  type YesNoChoice,
  type YesNoSettings,
} from '../src/votes/index.ts';

function settings(input: Partial<Extract<VoteSettingsInput, { method: 'yes-no-abstain' }>> = {}): YesNoSettings {
  const s = VoteSettingsSchema.parse({ method: 'yes-no-abstain', ...input });
  if (s.method !== 'yes-no-abstain') throw new Error('unexpected method');
  return s;
}

/** `n` ballots of `choice` from `college`. */
function ballots(n: number, choice: YesNoChoice, college: College = 'societe-civile'): TallyBallot[] {
  return Array.from({ length: n }, () => ({ college, ballot: { method: 'yes-no-abstain', choice } }));
}

function count(pour: number, contre: number, abstention: number, college: College = 'societe-civile'): TallyBallot[] {
  return [...ballots(pour, 'pour', college), ...ballots(contre, 'contre', college), ...ballots(abstention, 'abstention', college)];
}

describe('yes / no / abstain settings', () => {
  it('applies safe defaults: simple majority, no quorum, secret, no change, no live results', () => {
    expect(settings()).toEqual({
      method: 'yes-no-abstain',
      majority: { kind: 'simple' },
      quorum: { kind: 'none' },
      secret: true,
      allowChange: false,
      liveResults: false,
    });
  });

  it('accepts qualified majorities above one half only', () => {
    const ok = (numerator: number, denominator: number): boolean =>
      parseVoteSettings({ method: 'yes-no-abstain', majority: { kind: 'qualified', numerator, denominator } }).ok;
    expect(ok(2, 3)).toBe(true);
    expect(ok(3, 5)).toBe(true);
    expect(ok(1, 1)).toBe(true); // unanimity of the expressed ballots
    expect(ok(1, 2)).toBe(false); // that is a simple majority with ties passing: refused
    expect(ok(2, 5)).toBe(false);
    expect(ok(4, 3)).toBe(false);
    expect(ok(1.5, 3)).toBe(false);
  });

  it('validates quorums: count ≥ 1 whole ballots, share in ]0, 1]', () => {
    const ok = (quorum: unknown): boolean => parseVoteSettings({ method: 'yes-no-abstain', quorum }).ok;
    expect(ok({ kind: 'count', value: 1 })).toBe(true);
    expect(ok({ kind: 'count', value: 0 })).toBe(false);
    expect(ok({ kind: 'count', value: 2.5 })).toBe(false);
    expect(ok({ kind: 'share', value: 1 })).toBe(true);
    expect(ok({ kind: 'share', value: 0.01 })).toBe(true);
    expect(ok({ kind: 'share', value: 0 })).toBe(false);
    expect(ok({ kind: 'share', value: 1.01 })).toBe(false);
    expect(ok({ kind: 'percent', value: 50 })).toBe(false);
  });

  it('refuses a secret vote with live results, in French', () => {
    const r = parseVoteSettings({ method: 'yes-no-abstain', secret: true, liveResults: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/résultats en direct sont incompatibles avec le vote secret/);
    expect(parseVoteSettings({ method: 'yes-no-abstain', secret: false, liveResults: true }).ok).toBe(true);
  });

  it('refuses unknown methods and unknown keys with French messages', () => {
    const a = parseVoteSettings({ method: 'condorcet' });
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.message).toMatch(/mode de scrutin inconnu/);
    const b = parseVoteSettings({ method: 'yes-no-abstain', options: [] });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(/Clé non reconnue/);
  });
});

describe('yes / no / abstain ballots', () => {
  const s = settings();
  it('accepts pour, contre, abstention', () => {
    for (const choice of ['pour', 'contre', 'abstention']) {
      expect(validateBallot(s, { method: 'yes-no-abstain', choice })).toEqual({ ok: true, ballot: { method: 'yes-no-abstain', choice } });
    }
  });
  it('refuses anything else with a French message', () => {
    const r = validateBallot(s, { method: 'yes-no-abstain', choice: 'oui' });
    expect(r).toEqual({ ok: false, message: 'Bulletin refusé : choix invalide : « pour », « contre » ou « abstention » attendu.' });
    expect(validateBallot(s, { method: 'yes-no-abstain' }).ok).toBe(false);
    expect(validateBallot(s, { method: 'yes-no-abstain', choice: 'pour', extra: 1 }).ok).toBe(false);
    expect(validateBallot(s, null).ok).toBe(false);
    expect(validateBallot(s, 'pour').ok).toBe(false);
  });
  it('names the mismatch when the ballot is of another method', () => {
    const r = validateBallot(s, { method: 'consent', position: 'no-objection' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('Bulletin refusé : ce vote se fait au mode « Pour / contre / abstention », pas « Consentement (objections motivées) ».');
  });
});

describe('majority rules', () => {
  it('simple: pour > contre, abstentions ignored, ties fail', () => {
    const rule = { kind: 'simple' } as const;
    expect(majorityReached(rule, { pour: 5, contre: 4, abstention: 10 })).toBe(true);
    expect(majorityReached(rule, { pour: 4, contre: 4, abstention: 0 })).toBe(false);
    expect(majorityReached(rule, { pour: 4, contre: 5, abstention: 0 })).toBe(false);
    expect(majorityReached(rule, { pour: 0, contre: 0, abstention: 7 })).toBe(false);
    expect(majorityReached(rule, { pour: 0, contre: 0, abstention: 0 })).toBe(false);
    expect(majorityReached(rule, { pour: 1, contre: 0, abstention: 50 })).toBe(true);
  });

  it('absolute: pour > half of all ballots, abstentions included', () => {
    const rule = { kind: 'absolute' } as const;
    // 5 pour, 4 contre, 10 abstentions: 5 of 19 — a simple majority, not an absolute one
    expect(majorityReached(rule, { pour: 5, contre: 4, abstention: 10 })).toBe(false);
    // exactly half (10 of 20) is a tie with the rest: fails
    expect(majorityReached(rule, { pour: 10, contre: 0, abstention: 10 })).toBe(false);
    expect(majorityReached(rule, { pour: 11, contre: 0, abstention: 10 })).toBe(true);
    expect(majorityReached(rule, { pour: 10, contre: 9, abstention: 0 })).toBe(true);
    expect(majorityReached(rule, { pour: 0, contre: 0, abstention: 0 })).toBe(false);
  });

  it('qualified 2/3 of expressed: reached at exactly two thirds, abstentions ignored', () => {
    const rule = { kind: 'qualified', numerator: 2, denominator: 3 } as const;
    expect(majorityReached(rule, { pour: 6, contre: 3, abstention: 0 })).toBe(true); // 6/9 = 2/3 exactly
    expect(majorityReached(rule, { pour: 6, contre: 3, abstention: 100 })).toBe(true);
    expect(majorityReached(rule, { pour: 5, contre: 3, abstention: 0 })).toBe(false); // 5/8 = 0.625
    expect(majorityReached(rule, { pour: 20, contre: 11, abstention: 0 })).toBe(false); // 20/31 = 0.645
    expect(majorityReached(rule, { pour: 21, contre: 10, abstention: 0 })).toBe(true); // 21/31 = 0.677
    expect(majorityReached(rule, { pour: 0, contre: 0, abstention: 5 })).toBe(false);
  });

  it('qualified 3/5 and unanimity', () => {
    expect(majorityReached({ kind: 'qualified', numerator: 3, denominator: 5 }, { pour: 3, contre: 2, abstention: 0 })).toBe(true);
    expect(majorityReached({ kind: 'qualified', numerator: 3, denominator: 5 }, { pour: 5, contre: 4, abstention: 0 })).toBe(false);
    expect(majorityReached({ kind: 'qualified', numerator: 1, denominator: 1 }, { pour: 9, contre: 0, abstention: 3 })).toBe(true);
    expect(majorityReached({ kind: 'qualified', numerator: 1, denominator: 1 }, { pour: 9, contre: 1, abstention: 0 })).toBe(false);
  });
});

describe('quorum', () => {
  it('count: the number itself', () => {
    expect(quorumRequired({ kind: 'count', value: 12 }, 40)).toBe(12);
    expect(quorumRequired({ kind: 'none' }, 40)).toBe(0);
  });

  it('share: rounded up, without floating-point noise', () => {
    expect(quorumRequired({ kind: 'share', value: 0.5 }, 41)).toBe(21);
    expect(quorumRequired({ kind: 'share', value: 0.5 }, 40)).toBe(20);
    expect(0.07 * 100).not.toBe(7); // the trap: 7.000000000000001
    expect(quorumRequired({ kind: 'share', value: 0.07 }, 100)).toBe(7);
    expect(quorumRequired({ kind: 'share', value: 0.28 }, 100)).toBe(28);
    expect(quorumRequired({ kind: 'share', value: 0.3 }, 10)).toBe(3);
    expect(quorumRequired({ kind: 'share', value: 2 / 3 }, 30)).toBe(20);
    expect(quorumRequired({ kind: 'share', value: 1 / 3 }, 10)).toBe(4);
    expect(quorumRequired({ kind: 'share', value: 1 }, 7)).toBe(7);
    expect(quorumRequired({ kind: 'share', value: 0.1 }, 0)).toBe(1); // never zero
  });

  it('count quorum at the edge: exactly at quorum passes, one below fails', () => {
    const s = settings({ quorum: { kind: 'count', value: 10 } });
    const at = tally(s, count(6, 3, 1), { eligibleCount: 40 });
    expect(at.quorum).toEqual({ rule: { kind: 'count', value: 10 }, required: 10, reached: true });
    expect(at.adopted).toBe(true);
    const below = tally(s, count(6, 3, 0), { eligibleCount: 40 });
    expect(below.quorum.reached).toBe(false);
    expect(below.majority.reached).toBe(true);
    expect(below.adopted).toBe(false);
  });

  it('share quorum at the edge, abstentions counting towards it', () => {
    // 7 % of 100 eligible = 7 ballots (not 8, despite 0.07 × 100 = 7.000000000000001)
    const s = settings({ quorum: { kind: 'share', value: 0.07 } });
    const at = tally(s, count(1, 0, 6), { eligibleCount: 100 });
    expect(at.quorum).toMatchObject({ required: 7, reached: true });
    expect(at.adopted).toBe(true);
    const below = tally(s, count(1, 0, 5), { eligibleCount: 100 });
    expect(below.quorum).toMatchObject({ required: 7, reached: false });
    expect(below.adopted).toBe(false);
  });

  it('share quorum of 50 % over 41 eligible: 21 passes, 20 fails', () => {
    const s = settings({ quorum: { kind: 'share', value: 0.5 } });
    expect(tally(s, count(11, 5, 5), { eligibleCount: 41 }).adopted).toBe(true);
    expect(tally(s, count(11, 5, 4), { eligibleCount: 41 }).adopted).toBe(false);
  });
});

describe('tally', () => {
  it('counts and decides with a simple majority', () => {
    const r = tally(settings(), count(5, 4, 10), { eligibleCount: 25 });
    expect(r.counts).toEqual({ pour: 5, contre: 4, abstention: 10 });
    expect(r.expressed).toBe(9);
    expect(r.participation).toEqual({ cast: 19, eligible: 25, rate: 0.76 });
    expect(r.majority).toEqual({ rule: { kind: 'simple' }, reached: true });
    expect(r.adopted).toBe(true);
  });

  it('the same ballots fail an absolute majority', () => {
    const r = tally(settings({ majority: { kind: 'absolute' } }), count(5, 4, 10), { eligibleCount: 25 });
    expect(r.majority.reached).toBe(false);
    expect(r.adopted).toBe(false);
  });

  it('a tie is rejected', () => {
    expect(tally(settings(), count(7, 7, 2), { eligibleCount: 16 }).adopted).toBe(false);
  });

  it('no ballot: nothing adopted, participation 0', () => {
    const r = tally(settings(), [], { eligibleCount: 12 });
    expect(r.adopted).toBe(false);
    expect(r.participation).toEqual({ cast: 0, eligible: 12, rate: 0 });
    const none = tally(settings(), [], { eligibleCount: 0 });
    expect(none.participation.rate).toBeNull();
  });

  it('tallies by college, in the fixed college order, with per-college participation', () => {
    // État 3 pour 1 contre · collectivités 2 pour 6 contre 2 abst · économiques 4 pour 4 contre · société civile 9 pour 1 abst
    const all = [
      ...count(3, 1, 0, 'etat'),
      ...count(2, 6, 2, 'collectivites'),
      ...count(4, 4, 0, 'acteurs-economiques'),
      ...count(9, 0, 1, 'societe-civile'),
    ];
    const r = tally(settings(), all, { eligibleCount: 40, colleges: { etat: 5, collectivites: 12, 'acteurs-economiques': 8 } });
    expect(r.counts).toEqual({ pour: 18, contre: 11, abstention: 3 });
    expect(r.adopted).toBe(true);
    expect(r.byCollege.map((c) => c.college)).toEqual(['etat', 'collectivites', 'acteurs-economiques', 'societe-civile']);
    expect(r.byCollege).toEqual([
      { college: 'etat', participation: { cast: 4, eligible: 5, rate: 0.8 }, counts: { pour: 3, contre: 1, abstention: 0 }, expressed: 4, majorityReached: true },
      {
        college: 'collectivites',
        participation: { cast: 10, eligible: 12, rate: 10 / 12 },
        counts: { pour: 2, contre: 6, abstention: 2 },
        expressed: 8,
        majorityReached: false,
      },
      {
        college: 'acteurs-economiques',
        participation: { cast: 8, eligible: 8, rate: 1 },
        counts: { pour: 4, contre: 4, abstention: 0 },
        expressed: 8,
        majorityReached: false, // tie
      },
      {
        college: 'societe-civile',
        participation: { cast: 10, eligible: null, rate: null }, // no eligible count given
        counts: { pour: 9, contre: 0, abstention: 1 },
        expressed: 9,
        majorityReached: true,
      },
    ]);
  });

  it('lists a college without ballots', () => {
    const r = tally(settings(), count(1, 0, 0, 'etat'), { eligibleCount: 3 });
    expect(r.byCollege.find((c) => c.college === 'societe-civile')).toEqual({
      college: 'societe-civile',
      participation: { cast: 0, eligible: null, rate: null },
      counts: { pour: 0, contre: 0, abstention: 0 },
      expressed: 0,
      majorityReached: false,
    });
  });

  it('does not depend on the order of the ballots', () => {
    const all = [...count(3, 1, 0, 'etat'), ...count(2, 6, 2, 'collectivites')];
    expect(tally(settings(), [...all].reverse(), { eligibleCount: 20 })).toEqual(tally(settings(), all, { eligibleCount: 20 }));
  });

  it('throws on a ballot that does not fit the settings or a bad context', () => {
    const bad: TallyBallot[] = [{ college: 'etat', ballot: { method: 'consent', position: 'no-objection' } }];
    expect(() => tally(settings(), bad, { eligibleCount: 3 })).toThrow(RangeError);
    expect(() => tally(settings(), [], { eligibleCount: -1 })).toThrow(RangeError);
    expect(() => tally(settings(), [], { eligibleCount: 2.5 })).toThrow(RangeError);
  });
});
