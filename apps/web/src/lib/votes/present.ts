/**
 * Words and figures for showing votes: a ballot in words, the rows of a result chart and table, a one-sentence
 * summary of a result (read out when results appear), the settings in words. Pure functions, French via `t`.
 */
import {
  CONSENT_POSITION_LABELS,
  MJ_GRADE_LABELS,
  YES_NO_CHOICE_LABELS,
  YES_NO_CHOICES,
  type Ballot,
  type Majority,
  type MjGrade,
  type QuorumOutcome,
  type TallyResult,
  type VoteSettings,
  type YesNoChoice,
} from '@agora/domain';
import { t } from '$lib/i18n';

const v = t.votes;

/** Visual fill of a bar; always paired with a written label (colour is never the only cue). */
export type BarFill = 'solid' | 'hatch' | 'dots' | 'accent';

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** The figure written next to the bar ("12 voix", "30 points"). */
  valueText: string;
  /** value / total, null when the total is 0. */
  share: number | null;
  fill: BarFill;
  rank?: number;
}

const share = (n: number, total: number): number | null => (total > 0 ? n / total : null);

export const YES_NO_FILLS: Record<YesNoChoice, BarFill> = { pour: 'solid', contre: 'hatch', abstention: 'dots' };

/** Rows of a yes / no / abstain result, in the fixed order pour, contre, abstention. */
export function yesNoRows(counts: Record<YesNoChoice, number>): BarRow[] {
  const total = YES_NO_CHOICES.reduce((sum, c) => sum + counts[c], 0);
  return YES_NO_CHOICES.map((c) => ({
    key: c,
    label: YES_NO_CHOICE_LABELS[c],
    value: counts[c],
    valueText: v.results.votesCount(counts[c]),
    share: share(counts[c], total),
    fill: YES_NO_FILLS[c],
  }));
}

export function consentRows(counts: { 'no-objection': number; objection: number }): BarRow[] {
  const total = counts['no-objection'] + counts.objection;
  return (['no-objection', 'objection'] as const).map((k) => ({
    key: k,
    label: CONSENT_POSITION_LABELS[k],
    value: counts[k],
    valueText: v.results.votesCount(counts[k]),
    share: share(counts[k], total),
    fill: k === 'no-objection' ? 'solid' : 'hatch',
  }));
}

export function dotRows(options: { optionId: string; label: string; points: number; rank: number }[], totalPoints: number): BarRow[] {
  return options.map((o) => ({
    key: o.optionId,
    label: o.label,
    value: o.points,
    valueText: v.results.pointsCount(o.points),
    share: share(o.points, totalPoints),
    fill: 'accent',
    rank: o.rank,
  }));
}

/** Short grade names written inside merit-profile segments. */
export const MJ_GRADE_SHORT: Record<MjGrade, string> = {
  excellent: 'E',
  'tres-bien': 'TB',
  bien: 'B',
  'assez-bien': 'AB',
  passable: 'P',
  insuffisant: 'I',
  'a-rejeter': 'R',
};

export function majorityRuleText(rule: Majority): string {
  switch (rule.kind) {
    case 'simple':
      return v.results.majorityRule.simple;
    case 'absolute':
      return v.results.majorityRule.absolute;
    case 'qualified':
      return v.results.majorityRule.qualified(rule.numerator, rule.denominator);
  }
}

export function quorumText(q: QuorumOutcome): string {
  if (q.rule.kind === 'none') return v.results.quorumNone;
  return q.reached ? v.results.quorumReached(q.required) : v.results.quorumMissed(q.required);
}

/** One sentence for a result (screen readers hear it when results appear). */
export function summaryOf(tally: TallyResult): string {
  switch (tally.method) {
    case 'yes-no-abstain':
      return v.results.summaryYesNo(tally.adopted, tally.counts.pour, tally.counts.contre, tally.counts.abstention);
    case 'consent':
      return tally.participation.cast === 0 ? v.results.summaryEmpty : v.results.summaryConsent(tally.adopted, tally.counts.objection);
    case 'majority-judgment': {
      const first = tally.options[0];
      if (!first || first.majorityGrade === null) return v.results.summaryEmpty;
      return v.results.summaryRanking(first.label, v.results.majorityGradeOf(MJ_GRADE_LABELS[first.majorityGrade]));
    }
    case 'dot-voting': {
      const first = tally.options[0];
      if (!first || tally.totalPoints === 0) return v.results.summaryEmpty;
      return v.results.summaryRanking(first.label, v.results.pointsCount(first.points));
    }
  }
}

/** A ballot in words (« Pour », « Objection : … », « Option A : Bien ; Option B : Passable »). */
export function ballotText(ballot: Ballot, options: { id: string; label: string }[]): string {
  const label = (id: string): string => options.find((o) => o.id === id)?.label ?? id;
  switch (ballot.method) {
    case 'yes-no-abstain':
      return YES_NO_CHOICE_LABELS[ballot.choice];
    case 'consent':
      return ballot.position === 'objection' ? `${CONSENT_POSITION_LABELS.objection} : ${ballot.reason}` : CONSENT_POSITION_LABELS['no-objection'];
    case 'majority-judgment':
      return options
        .filter((o) => ballot.grades[o.id] !== undefined)
        .map((o) => `${o.label} : ${MJ_GRADE_LABELS[ballot.grades[o.id] as MjGrade]}`)
        .join(' ; ');
    case 'dot-voting':
      return Object.entries(ballot.points)
        .filter(([, p]) => p > 0)
        .map(([id, p]) => `${label(id)} : ${v.results.pointsCount(p)}`)
        .join(' ; ');
  }
}

/** An untrusted ballot from the public state, in words (or '' when it cannot be read). */
export function unknownBallotText(ballot: unknown, options: { id: string; label: string }[]): string {
  if (typeof ballot !== 'object' || ballot === null || !('method' in ballot)) return '';
  try {
    return ballotText(ballot as Ballot, options);
  } catch {
    return '';
  }
}

/** The settings of a vote as label / value pairs (read-only summary, "paramètres figés"). */
export function settingsSummary(settings: VoteSettings): { label: string; value: string }[] {
  const s = v.editor.summary;
  const rows: { label: string; value: string }[] = [];
  if ('options' in settings) rows.push({ label: s.options, value: settings.options.map((o) => o.label).join(' · ') });
  if (settings.method === 'dot-voting') rows.push({ label: v.editor.pointsPerVoter, value: s.points(settings.pointsPerVoter, settings.maxPointsPerOption) });
  if (settings.method === 'yes-no-abstain') rows.push({ label: s.majority, value: majorityRuleText(settings.majority) });
  const q = settings.quorum;
  rows.push({
    label: v.editor.quorum,
    value: q.kind === 'none' ? v.editor.quorumNone : q.kind === 'count' ? s.quorumCount(q.value) : s.quorumShare(q.value),
  });
  rows.push({ label: s.secret, value: settings.secret ? s.yes : s.no });
  rows.push({ label: s.allowChange, value: settings.allowChange ? s.yes : s.no });
  rows.push({ label: s.liveResults, value: settings.liveResults ? s.yes : s.no });
  return rows;
}

