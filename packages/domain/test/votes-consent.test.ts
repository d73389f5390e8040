import { describe, expect, it } from 'vitest';
import type { College } from '../src/actors/actors.ts';
import { tally, validateBallot, VoteSettingsSchema, type ConsentSettings, type TallyBallot } from '../src/votes/index.ts';

function settings(extra: Record<string, unknown> = {}): ConsentSettings {
  const s = VoteSettingsSchema.parse({ method: 'consent', ...extra });
  if (s.method !== 'consent') throw new Error('unexpected method');
  return s;
}

const ok = (college: College = 'collectivites'): TallyBallot => ({ college, ballot: { method: 'consent', position: 'no-objection' } });
const objection = (reason: string, college: College = 'collectivites'): TallyBallot => ({
  college,
  ballot: { method: 'consent', position: 'objection', reason },
});

describe('consent ballots', () => {
  const s = settings();

  it('accepts « pas d’objection » without a reason', () => {
    expect(validateBallot(s, { method: 'consent', position: 'no-objection' })).toEqual({
      ok: true,
      ballot: { method: 'consent', position: 'no-objection' },
    });
  });

  it('accepts an objection with a reason, trimmed', () => {
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: '  Coût non chiffré.  ' })).toEqual({
      ok: true,
      ballot: { method: 'consent', position: 'objection', reason: 'Coût non chiffré.' },
    });
  });

  it('requires a reason of 1 to 1000 characters after trimming', () => {
    const refuse = 'Bulletin refusé : une objection doit être motivée.';
    expect(validateBallot(s, { method: 'consent', position: 'objection' })).toEqual({ ok: false, message: refuse });
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: '' })).toEqual({ ok: false, message: refuse });
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: ' \n\t ' })).toEqual({ ok: false, message: refuse });
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: 'x' }).ok).toBe(true);
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: 'x'.repeat(1000) }).ok).toBe(true);
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: ` ${'x'.repeat(1000)} ` }).ok).toBe(true);
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: 'x'.repeat(1001) })).toEqual({
      ok: false,
      message: 'Bulletin refusé : le motif de l’objection doit faire au plus 1000 caractères.',
    });
    expect(validateBallot(s, { method: 'consent', position: 'objection', reason: 42 }).ok).toBe(false);
  });

  it('refuses a reason on « pas d’objection » and unknown positions', () => {
    expect(validateBallot(s, { method: 'consent', position: 'no-objection', reason: 'ok' })).toEqual({
      ok: false,
      message: 'Bulletin refusé : une absence d’objection ne porte pas de motif.',
    });
    const r = validateBallot(s, { method: 'consent', position: 'abstention' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/position invalide/);
  });

  it('refuses a yes / no ballot in a consent vote', () => {
    const r = validateBallot(s, { method: 'yes-no-abstain', choice: 'pour' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/ce vote se fait au mode « Consentement/);
  });
});

describe('consent tally', () => {
  it('adopted when nobody objects', () => {
    const r = tally(settings(), [ok(), ok('etat'), ok('societe-civile')], { eligibleCount: 5 });
    expect(r.counts).toEqual({ 'no-objection': 3, objection: 0 });
    expect(r.objections).toEqual([]);
    expect(r.adopted).toBe(true);
    expect(r.participation).toEqual({ cast: 3, eligible: 5, rate: 0.6 });
  });

  it('a single objection blocks, and its reason is reported', () => {
    const r = tally(settings(), [ok(), ok(), ok(), objection('Impact sur l’emploi agricole non évalué')], { eligibleCount: 4 });
    expect(r.counts).toEqual({ 'no-objection': 3, objection: 1 });
    expect(r.adopted).toBe(false);
    expect(r.objections).toEqual(['Impact sur l’emploi agricole non évalué']);
  });

  it('reports the reasons sorted, never in casting order', () => {
    const a = [objection('Calendrier irréaliste'), objection('Budget absent'), objection('Zone littorale oubliée'), ok()];
    const r1 = tally(settings(), a, { eligibleCount: 4 });
    const r2 = tally(settings(), [...a].reverse(), { eligibleCount: 4 });
    expect(r1.objections).toEqual(['Budget absent', 'Calendrier irréaliste', 'Zone littorale oubliée']);
    expect(r2).toEqual(r1);
  });

  it('no ballot is not consent', () => {
    const r = tally(settings(), [], { eligibleCount: 10 });
    expect(r.adopted).toBe(false);
  });

  it('needs the quorum: exactly at quorum passes, one below fails', () => {
    const s = settings({ quorum: { kind: 'count', value: 4 } });
    expect(tally(s, [ok(), ok(), ok(), ok()], { eligibleCount: 10 })).toMatchObject({ quorum: { required: 4, reached: true }, adopted: true });
    expect(tally(s, [ok(), ok(), ok()], { eligibleCount: 10 })).toMatchObject({ quorum: { required: 4, reached: false }, adopted: false });
    // objections count towards the quorum
    const share = settings({ quorum: { kind: 'share', value: 0.5 } });
    expect(tally(share, [ok(), objection('non')], { eligibleCount: 4 }).quorum).toMatchObject({ required: 2, reached: true });
  });

  it('counts by college', () => {
    const r = tally(
      settings(),
      [ok('etat'), ok('etat'), objection('Pas assez ambitieux', 'societe-civile'), ok('societe-civile'), ok('acteurs-economiques')],
      { eligibleCount: 8, colleges: { etat: 2, 'societe-civile': 4 } },
    );
    expect(r.byCollege).toEqual([
      { college: 'etat', participation: { cast: 2, eligible: 2, rate: 1 }, counts: { 'no-objection': 2, objection: 0 } },
      { college: 'collectivites', participation: { cast: 0, eligible: null, rate: null }, counts: { 'no-objection': 0, objection: 0 } },
      { college: 'acteurs-economiques', participation: { cast: 1, eligible: null, rate: null }, counts: { 'no-objection': 1, objection: 0 } },
      { college: 'societe-civile', participation: { cast: 2, eligible: 4, rate: 0.5 }, counts: { 'no-objection': 1, objection: 1 } },
    ]);
    expect(r.adopted).toBe(false);
  });
});
