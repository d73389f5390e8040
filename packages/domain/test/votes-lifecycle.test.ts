import { describe, expect, it } from 'vitest';
import {
  closeVote,
  createVote,
  newRound,
  openVote,
  publishResults,
  resultsFor,
  resultsVisible,
  setEligibleVoters,
  shouldAutoClose,
  tally,
  updateQuestion,
  updateSettings,
  visibleResults,
  VoteSchema,
  type TallyBallot,
  type Vote,
  type VoteResult,
} from '../src/votes/index.ts';

const T0 = new Date('2026-03-12T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function unwrap(r: VoteResult): Vote {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.vote;
}

function draft(settings: Record<string, unknown> = { method: 'yes-no-abstain' }): Vote {
  return unwrap(createVote({ id: 'vote-1', question: 'Adopter l’objectif de -40 % d’émissions du transport en 2030 ?', settings }));
}

describe('createVote', () => {
  it('creates a first-round draft with the settings’ defaults', () => {
    const v = draft();
    expect(v).toEqual({
      id: 'vote-1',
      question: 'Adopter l’objectif de -40 % d’émissions du transport en 2030 ?',
      settings: { method: 'yes-no-abstain', majority: { kind: 'simple' }, quorum: { kind: 'none' }, secret: true, allowChange: false, liveResults: false },
      status: 'draft',
      round: 1,
      previousRoundId: null,
      eligibleVoterIds: null,
      opensAt: null,
      closesAt: null,
      closedAt: null,
      publishedAt: null,
    });
    expect(VoteSchema.parse(v)).toEqual(v);
  });

  it('refuses bad ids, questions, settings and electorates with typed French errors', () => {
    const r1 = createVote({ id: 'a b', question: 'Une question ?', settings: { method: 'consent' } });
    expect(r1).toMatchObject({ ok: false, code: 'invalid-id' });
    const r2 = createVote({ id: 'v', question: ' ? ', settings: { method: 'consent' } });
    expect(r2).toMatchObject({ ok: false, code: 'invalid-question' });
    if (!r2.ok) expect(r2.message).toMatch(/^Question invalide : la question doit faire au moins 3 caractères/);
    expect(createVote({ id: 'v', question: 'Une question ?', settings: { method: 'vote-blanc' } })).toMatchObject({ ok: false, code: 'invalid-settings' });
    expect(createVote({ id: 'v', question: 'Une question ?', settings: { method: 'consent' }, eligibleVoterIds: ['u1', 'u1'] })).toMatchObject({
      ok: false,
      code: 'invalid-voters',
    });
  });
});

describe('draft edits', () => {
  it('lets the settings, question and electorate change while in draft', () => {
    const v = draft();
    const s = unwrap(updateSettings(v, { method: 'yes-no-abstain', majority: { kind: 'qualified', numerator: 2, denominator: 3 } }));
    expect(s.settings).toMatchObject({ majority: { kind: 'qualified', numerator: 2, denominator: 3 } });
    expect(v.settings).toMatchObject({ majority: { kind: 'simple' } }); // not mutated
    expect(unwrap(updateQuestion(s, '  Nouvelle formulation ?  ')).question).toBe('Nouvelle formulation ?');
    expect(unwrap(setEligibleVoters(s, ['u1', 'u2'])).eligibleVoterIds).toEqual(['u1', 'u2']);
    expect(updateSettings(v, { method: 'yes-no-abstain', secret: true, liveResults: true })).toMatchObject({ ok: false, code: 'invalid-settings' });
  });

  it('freezes settings, question and electorate once open, closed or published', () => {
    const open = unwrap(openVote(draft(), T0));
    const closed = unwrap(closeVote(open, at(30)));
    const published = unwrap(publishResults(closed, at(40)));
    for (const v of [open, closed, published]) {
      const r = updateSettings(v, { method: 'consent' });
      expect(r).toMatchObject({ ok: false, code: 'not-draft' });
      if (!r.ok) expect(r.message).toMatch(/^Les paramètres d’un vote ne peuvent plus changer une fois le vote ouvert\./);
      expect(updateQuestion(v, 'Autre question ?')).toMatchObject({ ok: false, code: 'not-draft' });
      expect(setEligibleVoters(v, ['u9'])).toMatchObject({ ok: false, code: 'not-draft' });
    }
  });
});

describe('transitions', () => {
  it('draft → open → closed → published, with timestamps from `now`', () => {
    const open = unwrap(openVote(draft(), T0));
    expect(open).toMatchObject({ status: 'open', opensAt: '2026-03-12T10:00:00.000Z', closesAt: null });
    const closed = unwrap(closeVote(open, at(95)));
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-03-12T10:01:35.000Z' });
    const published = unwrap(publishResults(closed, at(120)));
    expect(published).toMatchObject({ status: 'published', publishedAt: '2026-03-12T10:02:00.000Z' });
    expect(VoteSchema.parse(published)).toEqual(published);
  });

  it('refuses out-of-order transitions with typed errors', () => {
    const d = draft();
    const open = unwrap(openVote(d, T0));
    const closed = unwrap(closeVote(open, at(10)));
    const published = unwrap(publishResults(closed, at(20)));
    expect(closeVote(d, T0)).toMatchObject({ ok: false, code: 'not-open' });
    expect(publishResults(d, T0)).toMatchObject({ ok: false, code: 'not-closed' });
    expect(publishResults(open, T0)).toMatchObject({ ok: false, code: 'not-closed' });
    expect(openVote(open, T0)).toMatchObject({ ok: false, code: 'already-open' });
    expect(closeVote(closed, T0)).toMatchObject({ ok: false, code: 'already-closed' });
    expect(publishResults(published, T0)).toMatchObject({ ok: false, code: 'already-published' });
    expect(closeVote(published, T0)).toMatchObject({ ok: false, code: 'already-published' });
  });

  it('never re-opens a closed or published vote', () => {
    const closed = unwrap(closeVote(unwrap(openVote(draft(), T0)), at(10)));
    expect(openVote(closed, at(20))).toEqual({
      ok: false,
      code: 'cannot-reopen',
      message: 'Un vote clos ne peut pas être rouvert : lancez un nouveau tour.',
    });
    const published = unwrap(publishResults(closed, at(30)));
    const r = openVote(published, at(40));
    expect(r).toMatchObject({ ok: false, code: 'already-published' });
    if (!r.ok) expect(r.message).toMatch(/lancez un nouveau tour/);
  });
});

describe('timer and auto-close', () => {
  it('sets closesAt from the timer and auto-closes from that instant', () => {
    const open = unwrap(openVote(draft(), T0, 90));
    expect(open.closesAt).toBe('2026-03-12T10:01:30.000Z');
    expect(shouldAutoClose(open, at(89))).toBe(false);
    expect(shouldAutoClose(open, at(89.999))).toBe(false);
    expect(shouldAutoClose(open, at(90))).toBe(true);
    expect(shouldAutoClose(open, at(3600))).toBe(true);
  });

  it('a late close records the scheduled closing time', () => {
    const open = unwrap(openVote(draft(), T0, 60));
    expect(unwrap(closeVote(open, at(75))).closedAt).toBe('2026-03-12T10:01:00.000Z');
    expect(unwrap(closeVote(open, at(20))).closedAt).toBe('2026-03-12T10:00:20.000Z'); // closed early by hand
  });

  it('never auto-closes without a timer, nor when not open', () => {
    const open = unwrap(openVote(draft(), T0));
    expect(shouldAutoClose(open, at(1e6))).toBe(false);
    const closed = unwrap(closeVote(unwrap(openVote(draft(), T0, 10)), at(20)));
    expect(shouldAutoClose(closed, at(30))).toBe(false);
    expect(shouldAutoClose(draft(), at(30))).toBe(false);
  });

  it('refuses timers outside 10 s – 24 h or fractional', () => {
    for (const t of [0, 9, 86_401, 12.5, -60, Number.NaN]) expect(openVote(draft(), T0, t), String(t)).toMatchObject({ ok: false, code: 'invalid-timer' });
    expect(openVote(draft(), T0, 10).ok).toBe(true);
    expect(openVote(draft(), T0, 86_400).ok).toBe(true);
  });
});

describe('newRound', () => {
  it('creates a fresh draft copying question, settings and electorate, round + 1', () => {
    const v = unwrap(setEligibleVoters(draft({ method: 'consent', quorum: { kind: 'count', value: 3 } }), ['u1', 'u2', 'u3']));
    const published = unwrap(publishResults(unwrap(closeVote(unwrap(openVote(v, T0, 60)), at(60))), at(70)));
    const next = unwrap(newRound(published, 'vote-1-t2'));
    expect(next).toEqual({
      id: 'vote-1-t2',
      question: v.question,
      settings: v.settings,
      status: 'draft',
      round: 2,
      previousRoundId: 'vote-1',
      eligibleVoterIds: ['u1', 'u2', 'u3'],
      opensAt: null,
      closesAt: null,
      closedAt: null,
      publishedAt: null,
    });
    expect(published.status).toBe('published'); // the old round is untouched
    // the new round is a draft: its settings can change again
    expect(updateSettings(next, { method: 'consent' }).ok).toBe(true);
    expect(unwrap(newRound(unwrap(closeVote(unwrap(openVote(next, at(100))), at(110))), 'vote-1-t3')).round).toBe(3);
  });

  it('also from a closed (unpublished) vote, never from a draft or open one, and needs a new id', () => {
    const open = unwrap(openVote(draft(), T0));
    const closed = unwrap(closeVote(open, at(5)));
    expect(newRound(closed, 'vote-2').ok).toBe(true);
    expect(newRound(draft(), 'vote-2')).toMatchObject({ ok: false, code: 'not-closed' });
    expect(newRound(open, 'vote-2')).toMatchObject({ ok: false, code: 'not-closed' });
    expect(newRound(closed, 'vote-1')).toMatchObject({ ok: false, code: 'invalid-id' });
    expect(newRound(closed, '')).toMatchObject({ ok: false, code: 'invalid-id' });
  });
});

describe('result visibility', () => {
  const publicLive = { method: 'yes-no-abstain', secret: false, liveResults: true };

  it('resultsVisible: hidden to everyone until closed, unless live results', () => {
    expect(resultsVisible({ status: 'draft' }, { liveResults: true })).toBe(false);
    expect(resultsVisible({ status: 'open' }, { liveResults: false })).toBe(false);
    expect(resultsVisible({ status: 'open' }, { liveResults: true })).toBe(true);
    expect(resultsVisible({ status: 'closed' }, { liveResults: false })).toBe(true);
    expect(resultsVisible({ status: 'published' }, { liveResults: false })).toBe(true);
  });

  it('visibleResults: the audience table', () => {
    const stages = (settings: Record<string, unknown>): Record<string, Vote> => {
      const d = draft(settings);
      const o = unwrap(openVote(d, T0));
      const c = unwrap(closeVote(o, at(10)));
      return { draft: d, open: o, closed: c, published: unwrap(publishResults(c, at(20))) };
    };
    const table = (settings: Record<string, unknown>): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [status, vote] of Object.entries(stages(settings))) {
        for (const audience of ['organiser', 'participant', 'projector'] as const) {
          const v = visibleResults(vote, audience);
          out[`${status}/${audience}`] = v.results ? (v.provisional ? 'live' : 'results') : v.participation ? 'participation' : 'nothing';
        }
      }
      return out;
    };
    expect(table({ method: 'yes-no-abstain' })).toEqual({
      'draft/organiser': 'nothing',
      'draft/participant': 'nothing',
      'draft/projector': 'nothing',
      'open/organiser': 'participation', // organisers included: no early look
      'open/participant': 'participation',
      'open/projector': 'participation',
      'closed/organiser': 'results',
      'closed/participant': 'participation',
      'closed/projector': 'participation',
      'published/organiser': 'results',
      'published/participant': 'results',
      'published/projector': 'results',
    });
    expect(table(publicLive)).toMatchObject({
      'open/organiser': 'live',
      'open/participant': 'live', // live results are shown to the room as they come in
      'open/projector': 'live',
    });
  });

  it('explains in French why results are hidden', () => {
    const o = unwrap(openVote(draft(), T0));
    expect(visibleResults(o, 'participant').message).toBe('Vote en cours : les résultats seront visibles après la clôture.');
    expect(visibleResults(unwrap(closeVote(o, at(1))), 'projector').message).toBe('Vote clos : résultats en attente de publication.');
  });

  const ballot = (college: TallyBallot['college'], choice: 'pour' | 'contre'): TallyBallot => ({ college, ballot: { method: 'yes-no-abstain', choice } });

  it('resultsFor cuts the tally to the audience', () => {
    const o = unwrap(openVote(draft(), T0));
    const t = tally(o.settings, [ballot('etat', 'pour')], { eligibleCount: 4 });
    expect(resultsFor(draft(), 'organiser', t)).toEqual({ kind: 'hidden', message: 'Le vote n’est pas encore ouvert.' });
    expect(resultsFor(o, 'organiser', t)).toEqual({
      kind: 'participation',
      participation: { cast: 1, eligible: 4, rate: 0.25 },
      message: 'Vote en cours : les résultats seront visibles après la clôture.',
    });
    const live = unwrap(openVote(draft(publicLive), T0));
    expect(resultsFor(live, 'organiser', t)).toMatchObject({ kind: 'results', provisional: true, byCollegeWithheld: false });
    expect(resultsFor(live, 'projector', t)).toMatchObject({ kind: 'results', provisional: true });
  });

  it('withholds the per-college breakdown of a secret vote when a college has 1 or 2 ballots', () => {
    const published = unwrap(publishResults(unwrap(closeVote(unwrap(openVote(draft(), T0)), at(5))), at(6)));
    const four = [ballot('collectivites', 'pour'), ballot('collectivites', 'contre'), ballot('collectivites', 'pour')];
    // the préfet votes alone in the État college: their column would be their ballot
    const withPrefet = tally(published.settings, [...four, ballot('etat', 'contre')], { eligibleCount: 10 });
    const r = resultsFor(published, 'participant', withPrefet);
    expect(r.kind).toBe('results');
    if (r.kind === 'results') {
      expect(r.byCollegeWithheld).toBe(true);
      expect(r.tally.byCollege).toEqual([]);
      expect(r.tally.participation.cast).toBe(4); // the overall result stays
      expect(r.message).toMatch(/un collège compte moins de 3 bulletins/);
    }
    expect(resultsFor(published, 'organiser', withPrefet)).toMatchObject({ byCollegeWithheld: true }); // organisers too
    // three ballots or more in every college that voted: the breakdown is shown
    const enough = tally(published.settings, four, { eligibleCount: 10 });
    const shown = resultsFor(published, 'projector', enough);
    expect(shown).toMatchObject({ kind: 'results', byCollegeWithheld: false, message: null });
    if (shown.kind === 'results') expect(shown.tally.byCollege).toHaveLength(4);
  });

  it('shows the breakdown of a public vote whatever the college sizes', () => {
    const published = unwrap(publishResults(unwrap(closeVote(unwrap(openVote(draft({ method: 'yes-no-abstain', secret: false }), T0)), at(5))), at(6)));
    const t = tally(published.settings, [ballot('etat', 'contre')], { eligibleCount: 10 });
    expect(resultsFor(published, 'participant', t)).toMatchObject({ kind: 'results', byCollegeWithheld: false });
  });
});
