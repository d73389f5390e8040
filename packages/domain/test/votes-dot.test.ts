import { describe, expect, it } from 'vitest';
import type { College } from '../src/actors/actors.ts';
import { parseVoteSettings, tally, validateBallot, VoteSettingsSchema, type DotVotingSettings, type TallyBallot } from '../src/votes/index.ts';

const OPTIONS = [
  { id: 'bus', label: 'Cars express' },
  { id: 'train', label: 'TER cadencés' },
  { id: 'velo', label: 'Voies cyclables' },
  { id: 'covoit', label: 'Covoiturage' },
];

function settings(extra: Record<string, unknown> = {}): DotVotingSettings {
  const s = VoteSettingsSchema.parse({ method: 'dot-voting', options: OPTIONS, pointsPerVoter: 10, ...extra });
  if (s.method !== 'dot-voting') throw new Error('unexpected method');
  return s;
}

const dots = (points: Record<string, number>, college: College = 'acteurs-economiques'): TallyBallot => ({
  college,
  ballot: { method: 'dot-voting', points },
});

describe('dot-voting settings', () => {
  const base = { method: 'dot-voting', options: OPTIONS };
  it('defaults to no per-option cap', () => {
    expect(settings().maxPointsPerOption).toBeNull();
  });
  it('takes 1 to 100 points per voter and 2 to 30 options', () => {
    expect(parseVoteSettings({ ...base, pointsPerVoter: 1 }).ok).toBe(true);
    expect(parseVoteSettings({ ...base, pointsPerVoter: 100 }).ok).toBe(true);
    expect(parseVoteSettings({ ...base, pointsPerVoter: 0 }).ok).toBe(false);
    expect(parseVoteSettings({ ...base, pointsPerVoter: 101 }).ok).toBe(false);
    expect(parseVoteSettings({ ...base, pointsPerVoter: 2.5 }).ok).toBe(false);
    expect(parseVoteSettings({ ...base }).ok).toBe(false);
    const many = (n: number): { id: string; label: string }[] => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: `O${i}` }));
    expect(parseVoteSettings({ method: 'dot-voting', options: many(30), pointsPerVoter: 5 }).ok).toBe(true);
    expect(parseVoteSettings({ method: 'dot-voting', options: many(31), pointsPerVoter: 5 }).ok).toBe(false);
    expect(parseVoteSettings({ method: 'dot-voting', options: many(1), pointsPerVoter: 5 }).ok).toBe(false);
  });
  it('refuses a per-option cap above the points per voter', () => {
    expect(parseVoteSettings({ ...base, pointsPerVoter: 5, maxPointsPerOption: 5 }).ok).toBe(true);
    expect(parseVoteSettings({ ...base, pointsPerVoter: 5, maxPointsPerOption: 6 })).toEqual({
      ok: false,
      message: 'Paramètres de vote invalides : maxPointsPerOption : le plafond par option ne peut dépasser le nombre de points par votant',
    });
    expect(parseVoteSettings({ ...base, pointsPerVoter: 5, maxPointsPerOption: 0 }).ok).toBe(false);
  });
});

describe('dot-voting ballots: at least 1 point, at most N', () => {
  const s = settings({ maxPointsPerOption: 5 });

  it('accepts exactly N, fewer than N, and a single point', () => {
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 5, train: 5 } }).ok).toBe(true);
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 3, velo: 2 } }).ok).toBe(true);
    expect(validateBallot(s, { method: 'dot-voting', points: { covoit: 1 } }).ok).toBe(true);
  });

  it('returns the ballot in canonical form: vote order, no zero entries', () => {
    expect(validateBallot(s, { method: 'dot-voting', points: { velo: 2, bus: 0, train: 3 } })).toEqual({
      ok: true,
      ballot: { method: 'dot-voting', points: { train: 3, velo: 2 } },
    });
  });

  it('refuses more than N points, or none', () => {
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 5, train: 5, velo: 1 } })).toEqual({
      ok: false,
      message: 'Bulletin refusé : vous disposez de 10 point(s) et en avez réparti 11.',
    });
    expect(validateBallot(s, { method: 'dot-voting', points: {} })).toEqual({ ok: false, message: 'Bulletin refusé : donnez au moins 1 point.' });
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 0 } }).ok).toBe(false);
  });

  it('refuses more than the per-option cap', () => {
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 6 } })).toEqual({
      ok: false,
      message: 'Bulletin refusé : au plus 5 point(s) par option ; « Cars express » en reçoit 6.',
    });
  });

  it('refuses negative, fractional or non-numeric points and unknown options', () => {
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: -1, train: 3 } }).ok).toBe(false);
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: 1.5 } }).ok).toBe(false);
    expect(validateBallot(s, { method: 'dot-voting', points: { bus: '3' } }).ok).toBe(false);
    expect(validateBallot(s, { method: 'dot-voting', points: { avion: 1 } })).toEqual({
      ok: false,
      message: 'Bulletin refusé : option inconnue : « avion ».',
    });
  });
});

describe('dot-voting tally', () => {
  it('sums points, counts supporters, ranks with ties (1, 1, 3, 4)', () => {
    // train 4+3+3 = 10 · bus 6+4 = 10 · velo 2+3+1 = 6 · covoit 0
    const r = tally(settings(), [dots({ bus: 6, train: 4 }), dots({ train: 3, velo: 2, bus: 4 }), dots({ train: 3, velo: 3 }), dots({ velo: 1 })], {
      eligibleCount: 5,
    });
    expect(r.totalPoints).toBe(26);
    expect(r.options).toEqual([
      { optionId: 'bus', label: 'Cars express', points: 10, voters: 2, rank: 1 },
      { optionId: 'train', label: 'TER cadencés', points: 10, voters: 3, rank: 1 },
      { optionId: 'velo', label: 'Voies cyclables', points: 6, voters: 3, rank: 3 },
      { optionId: 'covoit', label: 'Covoiturage', points: 0, voters: 0, rank: 4 },
    ]);
    expect(r.participation).toEqual({ cast: 4, eligible: 5, rate: 0.8 });
    expect(r.quorum).toEqual({ rule: { kind: 'none' }, required: 0, reached: true });
  });

  it('lists options by rank, then in the vote’s order', () => {
    const r = tally(settings(), [dots({ covoit: 3, velo: 3 })], { eligibleCount: 1 });
    expect(r.options.map((o) => [o.optionId, o.rank])).toEqual([
      ['velo', 1],
      ['covoit', 1],
      ['bus', 3],
      ['train', 3],
    ]);
  });

  it('breaks the result down by college', () => {
    const r = tally(settings(), [dots({ bus: 10 }, 'etat'), dots({ train: 7, velo: 3 }, 'societe-civile'), dots({ train: 2 }, 'societe-civile')], {
      eligibleCount: 10,
      colleges: { etat: 1, 'societe-civile': 5 },
    });
    const etat = r.byCollege.find((c) => c.college === 'etat');
    expect(etat?.totalPoints).toBe(10);
    expect(etat?.options[0]).toEqual({ optionId: 'bus', label: 'Cars express', points: 10, voters: 1, rank: 1 });
    const civil = r.byCollege.find((c) => c.college === 'societe-civile');
    expect(civil?.participation).toEqual({ cast: 2, eligible: 5, rate: 0.4 });
    expect(civil?.options.map((o) => [o.optionId, o.points, o.voters, o.rank])).toEqual([
      ['train', 9, 2, 1],
      ['velo', 3, 1, 2],
      ['bus', 0, 0, 3],
      ['covoit', 0, 0, 3],
    ]);
    expect(r.options[0]).toMatchObject({ optionId: 'bus', points: 10, rank: 1 });
    expect(r.options[1]).toMatchObject({ optionId: 'train', points: 9, rank: 2 });
  });

  it('applies the quorum', () => {
    const s = settings({ quorum: { kind: 'count', value: 2 } });
    expect(tally(s, [dots({ bus: 1 }), dots({ bus: 1 })], { eligibleCount: 9 }).quorum.reached).toBe(true);
    expect(tally(s, [dots({ bus: 1 })], { eligibleCount: 9 }).quorum.reached).toBe(false);
  });

  it('throws on an over-spent ballot slipped into the tally', () => {
    expect(() => tally(settings(), [dots({ bus: 11 })], { eligibleCount: 1 })).toThrow(RangeError);
  });
});
