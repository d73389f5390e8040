import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { College } from '../src/actors/actors.ts';
import {
  ballotCount,
  ballotsForTally,
  castBallot,
  changeTag,
  closeVote,
  createBallotBox,
  createVote,
  hasVoted,
  openVote,
  receiptCode,
  receiptFor,
  sha256Hex,
  tally,
  type BallotBox,
  type CastInput,
  type CastResult,
  type Vote,
  type VoteResult,
  type YesNoTally,
} from '../src/votes/index.ts';

const T0 = new Date('2026-03-12T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function unwrap(r: VoteResult): Vote {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.vote;
}

function openWith(settings: Record<string, unknown>, eligibleVoterIds: string[] | null = null, timer?: number): Vote {
  const d = unwrap(createVote({ id: 'vote-42', question: 'Objectif de 30 % de haies replantées ?', settings, eligibleVoterIds }));
  return unwrap(openVote(d, T0, timer));
}

function ok(r: CastResult): { box: BallotBox; duplicate: boolean; ack: Extract<CastResult, { ok: true }>['ack'] } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

const yn = (choice: string): unknown => ({ method: 'yes-no-abstain', choice });

function input(voterId: string, ballotId: string, ballot: unknown, college: College = 'societe-civile', changeKey?: string): CastInput {
  return changeKey === undefined ? { voterId, ballotId, college, ballot } : { voterId, ballotId, college, ballot, changeKey };
}

/** The yes / no tally of a box (the test votes are all yes / no ones). */
function yesNoTally(vote: Vote, box: BallotBox, eligibleCount: number): YesNoTally {
  const r = tally(vote.settings, ballotsForTally(box), { eligibleCount });
  if (r.method !== 'yes-no-abstain') throw new Error('not a yes / no vote');
  return r;
}

/** Freezes an object graph, so that any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 test vectors and node:crypto', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    for (const m of ['a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'vote « secret » — é€😀', 'x'.repeat(1000)]) {
      expect(sha256Hex(m)).toBe(createHash('sha256').update(m, 'utf8').digest('hex'));
    }
  });

  it('receipt codes: 3 groups of 4 hex digits, from the vote and ballot ids only', () => {
    expect(receiptCode('vote-42', 'ballot-0001')).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(receiptCode('vote-42', 'ballot-0001')).toBe(receiptCode('vote-42', 'ballot-0001'));
    expect(receiptCode('vote-42', 'ballot-0001')).not.toBe(receiptCode('vote-42', 'ballot-0002'));
    expect(receiptCode('vote-42', 'ballot-0001')).not.toBe(receiptCode('vote-43', 'ballot-0001'));
  });
});

describe('castBallot: accepting and refusing', () => {
  const vote = openWith({ method: 'yes-no-abstain' });

  it('records a ballot and acknowledges it', () => {
    const box = createBallotBox(vote);
    const r = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), vote, at(5)));
    expect(r.duplicate).toBe(false);
    expect(r.ack).toEqual({
      voteId: 'vote-42',
      ballotId: 'ballot-a-001',
      receipt: receiptCode('vote-42', 'ballot-a-001'),
      recordedAt: '2026-03-12T10:00:05.000Z',
      replaces: null,
    });
    expect(hasVoted(r.box, 'voter-a')).toBe(true);
    expect(hasVoted(r.box, 'voter-b')).toBe(false);
    expect(hasVoted(box, 'voter-a')).toBe(false); // the old box is unchanged
    expect(ballotCount(r.box)).toBe(1);
    expect(receiptFor(r.box, 'ballot-a-001')).toEqual({ ...r.ack, counted: true });
    expect(receiptFor(r.box, 'ballot-unknown')).toBeNull();
  });

  it('is pure: never mutates the box or the vote', () => {
    const box = deepFreeze(createBallotBox(vote));
    const frozenVote = deepFreeze(structuredClone(vote));
    const r1 = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), frozenVote, at(1)));
    const r2 = ok(castBallot(deepFreeze(r1.box), input('voter-b', 'ballot-b-001', yn('contre')), frozenVote, at(2)));
    expect(ballotCount(r2.box)).toBe(2);
  });

  it('idempotent: the same ballotId sent again counts once and returns the same acknowledgement', () => {
    const first = ok(castBallot(createBallotBox(vote), input('voter-a', 'ballot-a-001', yn('pour')), vote, at(5)));
    const again = ok(castBallot(first.box, input('voter-a', 'ballot-a-001', yn('pour')), vote, at(9)));
    expect(again.duplicate).toBe(true);
    expect(again.ack).toEqual(first.ack); // recordedAt is still 10:00:05
    expect(again.box).toBe(first.box);
    expect(ballotCount(again.box)).toBe(1);
    expect(yesNoTally(vote, again.box, 3).counts).toEqual({ pour: 1, contre: 0, abstention: 0 });
    // a retry that arrives after the close is still acknowledged
    const closed = unwrap(closeVote(vote, at(60)));
    expect(ok(castBallot(first.box, input('voter-a', 'ballot-a-001', yn('pour')), closed, at(61)))).toMatchObject({ duplicate: true, ack: first.ack });
  });

  it('the first submission of a ballotId wins: a re-send with other content changes nothing', () => {
    const first = ok(castBallot(createBallotBox(vote), input('voter-a', 'ballot-a-001', yn('pour')), vote, at(5)));
    const again = ok(castBallot(first.box, input('voter-a', 'ballot-a-001', yn('contre')), vote, at(6)));
    expect(again.duplicate).toBe(true);
    expect(yesNoTally(vote, again.box, 1).counts.pour).toBe(1);
  });

  it('refuses a ballotId already used by another voter', () => {
    const first = ok(castBallot(createBallotBox(vote), input('voter-a', 'ballot-a-001', yn('pour')), vote, at(5)));
    expect(castBallot(first.box, input('voter-b', 'ballot-a-001', yn('contre')), vote, at(6))).toEqual({
      ok: false,
      code: 'ballot-id-conflict',
      message: 'Cet identifiant de bulletin est déjà utilisé par un autre votant.',
    });
  });

  it('refuses when the vote is not open, or past its timer', () => {
    const d = unwrap(createVote({ id: 'vote-42', question: 'Question en préparation ?', settings: { method: 'yes-no-abstain' } }));
    expect(castBallot(createBallotBox(d), input('voter-a', 'ballot-a-001', yn('pour')), d, T0)).toEqual({
      ok: false,
      code: 'not-open',
      message: 'Le vote n’est pas encore ouvert.',
    });
    const closed = unwrap(closeVote(vote, at(10)));
    expect(castBallot(createBallotBox(closed), input('voter-a', 'ballot-a-001', yn('pour')), closed, at(11))).toMatchObject({
      ok: false,
      code: 'closed',
    });
    const timed = openWith({ method: 'yes-no-abstain' }, null, 60);
    const box = createBallotBox(timed);
    expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), timed, new Date(T0.getTime() + 59_999)).ok).toBe(true);
    expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), timed, at(60))).toMatchObject({ ok: false, code: 'closed' });
    expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), timed, at(600))).toMatchObject({ ok: false, code: 'closed' });
  });

  it('refuses voters outside the electorate (from the vote, or passed in)', () => {
    const listed = openWith({ method: 'yes-no-abstain' }, ['voter-a', 'voter-b']);
    const box = createBallotBox(listed);
    expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), listed, at(1)).ok).toBe(true);
    expect(castBallot(box, input('voter-z', 'ballot-z-001', yn('pour')), listed, at(1))).toEqual({
      ok: false,
      code: 'not-eligible',
      message: 'Vous ne figurez pas parmi les votants de ce vote.',
    });
    // passed in: overrides the vote's list
    expect(castBallot(box, input('voter-z', 'ballot-z-001', yn('pour')), listed, at(1), { eligibleVoterIds: new Set(['voter-z']) }).ok).toBe(true);
    expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), listed, at(1), { eligibleVoterIds: ['voter-z'] })).toMatchObject({
      code: 'not-eligible',
    });
    // no list anywhere: the caller decides
    expect(castBallot(createBallotBox(vote), input('anyone', 'ballot-x-001', yn('pour')), vote, at(1)).ok).toBe(true);
  });

  it('refuses a box of another vote and malformed submissions', () => {
    const other = unwrap(openVote(unwrap(createVote({ id: 'vote-43', question: 'Autre question ?', settings: { method: 'yes-no-abstain' } })), T0));
    expect(castBallot(createBallotBox(other), input('voter-a', 'ballot-a-001', yn('pour')), vote, at(1))).toMatchObject({ code: 'wrong-vote' });
    expect(castBallot(createBallotBox(vote), input('voter-a', 'short', yn('pour')), vote, at(1))).toMatchObject({ code: 'invalid-input' });
    expect(castBallot(createBallotBox(vote), input('', 'ballot-a-001', yn('pour')), vote, at(1))).toMatchObject({ code: 'invalid-input' });
    const badCollege = { voterId: 'voter-a', ballotId: 'ballot-a-001', college: 'medias', ballot: yn('pour') } as unknown as CastInput;
    expect(castBallot(createBallotBox(vote), badCollege, vote, at(1))).toMatchObject({ code: 'invalid-input' });
  });
});

describe('castBallot: invalid ballots, per method', () => {
  const cases: [string, Record<string, unknown>, unknown, RegExp][] = [
    ['yes / no', { method: 'yes-no-abstain' }, yn('peut-être'), /choix invalide/],
    ['consent without reason', { method: 'consent' }, { method: 'consent', position: 'objection', reason: '  ' }, /une objection doit être motivée/],
    [
      'majority judgment with a missing grade',
      { method: 'majority-judgment', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] },
      { method: 'majority-judgment', grades: { a: 'bien' } },
      /il manque « B »/,
    ],
    [
      'dot voting over budget',
      { method: 'dot-voting', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], pointsPerVoter: 3 },
      { method: 'dot-voting', points: { a: 2, b: 2 } },
      /vous disposez de 3 point\(s\) et en avez réparti 4/,
    ],
    ['wrong method', { method: 'consent' }, yn('pour'), /ce vote se fait au mode « Consentement/],
  ];
  for (const [name, settings, ballot, message] of cases) {
    it(name, () => {
      const v = openWith(settings);
      const box = createBallotBox(v);
      const r = castBallot(box, input('voter-a', 'ballot-a-001', ballot), v, at(1));
      expect(r).toMatchObject({ ok: false, code: 'invalid-ballot' });
      if (!r.ok) expect(r.message).toMatch(message);
      expect(r.ok ? null : hasVoted(box, 'voter-a')).toBe(false);
    });
  }
});

describe('changing a ballot', () => {
  it('refused when the vote does not allow it', () => {
    const v = openWith({ method: 'yes-no-abstain' });
    const first = ok(castBallot(createBallotBox(v), input('voter-a', 'ballot-a-001', yn('pour')), v, at(1)));
    expect(castBallot(first.box, input('voter-a', 'ballot-a-002', yn('contre')), v, at(2))).toEqual({
      ok: false,
      code: 'already-voted',
      message: 'Vous avez déjà voté ; ce vote ne permet pas de modifier son bulletin.',
    });
  });

  it('public vote with allowChange: the new ballot replaces the old one', () => {
    const v = openWith({ method: 'yes-no-abstain', secret: false, allowChange: true });
    let box = createBallotBox(v);
    box = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), v, at(1))).box;
    box = ok(castBallot(box, input('voter-b', 'ballot-b-001', yn('pour')), v, at(2))).box;
    const change = ok(castBallot(box, input('voter-a', 'ballot-a-002', yn('contre')), v, at(3)));
    expect(change.ack.replaces).toBe('ballot-a-001');
    box = change.box;
    expect(ballotCount(box)).toBe(2);
    expect(yesNoTally(v, box, 2).counts).toEqual({ pour: 1, contre: 1, abstention: 0 });
    expect(receiptFor(box, 'ballot-a-001')?.counted).toBe(false);
    expect(receiptFor(box, 'ballot-a-002')?.counted).toBe(true);
    // a late retry of the old ballot must not undo the change
    const late = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), v, at(4)));
    expect(late.duplicate).toBe(true);
    expect(yesNoTally(v, late.box, 2).counts).toEqual({ pour: 1, contre: 1, abstention: 0 });
    // not after the close
    const closed = unwrap(closeVote(v, at(10)));
    expect(castBallot(box, input('voter-a', 'ballot-a-003', yn('pour')), closed, at(11))).toMatchObject({ code: 'closed' });
  });

  describe('secret vote with allowChange: a voter-held change key', () => {
    const v = openWith({ method: 'yes-no-abstain', secret: true, allowChange: true });
    const KEY_A = 'kA_7d1f0c9e2b4a6f8e0d2c4b6a';
    const KEY_B = 'kB_1122334455667788990011aa';

    it('requires a well-formed key', () => {
      const box = createBallotBox(v);
      expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour')), v, at(1))).toMatchObject({ ok: false, code: 'change-key-required' });
      expect(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour'), 'etat', 'trop-court'), v, at(1))).toMatchObject({
        code: 'change-key-required',
      });
    });

    it('replaces the choice designated by the key, and refuses any other key', () => {
      let box = createBallotBox(v);
      box = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour'), 'etat', KEY_A), v, at(1))).box;
      box = ok(castBallot(box, input('voter-b', 'ballot-b-001', yn('pour'), 'etat', KEY_B), v, at(2))).box;
      expect(castBallot(box, input('voter-a', 'ballot-a-002', yn('contre'), 'etat', 'kZ_unknown_key_0000000000'), v, at(3))).toMatchObject({
        code: 'change-key-unknown',
      });
      const change = ok(castBallot(box, input('voter-a', 'ballot-a-002', yn('contre'), 'etat', KEY_A), v, at(3)));
      expect(change.ack.replaces).toBe('ballot-a-001');
      expect(ballotCount(change.box)).toBe(2);
      expect(yesNoTally(v, change.box, 2).counts).toEqual({ pour: 1, contre: 1, abstention: 0 });
      // a new voter cannot reuse a key already in the box
      expect(castBallot(change.box, input('voter-c', 'ballot-c-001', yn('pour'), 'etat', KEY_B), v, at(4))).toMatchObject({
        code: 'change-key-conflict',
      });
      // the box holds the tag, never the key
      const json = JSON.stringify(change.box);
      expect(json).not.toContain(KEY_A);
      expect(json).not.toContain(KEY_B);
      expect(change.box.secret && change.box.choices.map((c) => c.changeTag).sort()).toEqual([changeTag('vote-42', KEY_A), changeTag('vote-42', KEY_B)].sort());
    });
  });
});

describe('secret ballot box: no voter → choice link', () => {
  const voters = ['voter-3c9f1e', 'voter-8a02bd', 'voter-51e7a4', 'voter-d4f0c2', 'voter-96b3aa'];
  const choices = ['pour', 'contre', 'pour', 'abstention', 'contre'];
  const colleges: College[] = ['etat', 'collectivites', 'collectivites', 'societe-civile', 'acteurs-economiques'];

  function fill(vote: Vote, order: readonly number[], keys = false): BallotBox {
    let box = createBallotBox(vote);
    order.forEach((i, step) => {
      const key = keys ? `key_${String(i).padStart(2, '0')}_abcdefghijklmnopqrstuv` : undefined;
      box = ok(castBallot(box, input(voters[i] ?? '', `ballot-${voters[i] ?? ''}`, yn(choices[i] ?? ''), colleges[i], key), vote, at(step + 1))).box;
    });
    return box;
  }

  for (const allowChange of [false, true]) {
    it(`stores choices without voter or ballot ids${allowChange ? ' (changeable)' : ''}`, () => {
      const vote = openWith({ method: 'yes-no-abstain', secret: true, allowChange });
      const box = fill(vote, [0, 1, 2, 3, 4], allowChange);
      expect(box.secret).toBe(true);
      expect(box.choices).toHaveLength(5);
      for (const choice of box.choices) {
        expect(Object.keys(choice).sort()).toEqual(['ballot', 'changeTag', 'college']);
        const json = JSON.stringify(choice);
        for (const id of voters) {
          expect(json).not.toContain(id);
          expect(json).not.toContain(`ballot-${id}`);
        }
        expect(json).not.toMatch(/2026-03-12/); // no time either
      }
      // the records that know the voter know nothing of the choice
      for (const record of [...box.voters, ...box.receipts]) {
        const json = JSON.stringify(record);
        for (const word of ['pour', 'contre', 'abstention', 'yes-no-abstain', 'college']) expect(json).not.toContain(word);
      }
      // and the whole box, read as a stranger would, holds no voter id outside `voters`
      const { voters: _voters, ...rest } = box;
      const restJson = JSON.stringify(rest);
      for (const id of voters) expect(restJson.includes(`"${id}"`)).toBe(false);
    });

    it(`orders choices by content, not by casting order${allowChange ? ' (changeable)' : ''}`, () => {
      const vote = openWith({ method: 'yes-no-abstain', secret: true, allowChange });
      const a = fill(vote, [0, 1, 2, 3, 4], allowChange);
      const b = fill(vote, [4, 2, 0, 3, 1], allowChange);
      expect(b.choices).toEqual(a.choices);
      expect(b.voters.map((v) => v.voterId)).not.toEqual(a.voters.map((v) => v.voterId)); // only the voters list follows time
    });
  }

  it('stores canonical ballots, so the client’s key order cannot fingerprint a voter', () => {
    const vote = openWith({ method: 'majority-judgment', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] });
    let box = createBallotBox(vote);
    box = ok(castBallot(box, input('voter-1', 'ballot-0001', { method: 'majority-judgment', grades: { b: 'bien', a: 'passable' } }), vote, at(1))).box;
    box = ok(castBallot(box, input('voter-2', 'ballot-0002', { method: 'majority-judgment', grades: { a: 'passable', b: 'bien' } }), vote, at(2))).box;
    expect(JSON.stringify(box.choices[0])).toBe(JSON.stringify(box.choices[1]));
  });

  it('tallies by college from the secret box', () => {
    const vote = openWith({ method: 'yes-no-abstain' });
    const box = fill(vote, [0, 1, 2, 3, 4]);
    const r = yesNoTally(vote, box, 5);
    expect(r.counts).toEqual({ pour: 2, contre: 2, abstention: 1 });
    // collectivités: voter-8a02bd contre, voter-51e7a4 pour
    expect(r.byCollege.find((c) => c.college === 'collectivites')?.counts).toEqual({ pour: 1, contre: 1, abstention: 0 });
    expect(r.byCollege.find((c) => c.college === 'etat')?.counts).toEqual({ pour: 1, contre: 0, abstention: 0 });
  });
});

describe('public ballot box', () => {
  it('records who voted what', () => {
    const vote = openWith({ method: 'yes-no-abstain', secret: false });
    let box = createBallotBox(vote);
    box = ok(castBallot(box, input('voter-a', 'ballot-a-001', yn('pour'), 'etat'), vote, at(1))).box;
    box = ok(castBallot(box, input('voter-b', 'ballot-b-001', yn('contre'), 'collectivites'), vote, at(2))).box;
    expect(box.secret).toBe(false);
    expect(box.choices).toEqual([
      { voterId: 'voter-a', ballotId: 'ballot-a-001', college: 'etat', ballot: { method: 'yes-no-abstain', choice: 'pour' } },
      { voterId: 'voter-b', ballotId: 'ballot-b-001', college: 'collectivites', ballot: { method: 'yes-no-abstain', choice: 'contre' } },
    ]);
  });
});
