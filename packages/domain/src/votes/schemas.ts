/**
 * Zod schemas of a vote's settings (per method) and of the `Vote` record itself.
 *
 * Settings are frozen once the vote is open (`updateSettings` in `lifecycle.ts` refuses otherwise).
 * Parse with `parseVoteSettings` to get French messages for every issue.
 */
import * as z from 'zod';
import {
  DOT_MAX_OPTIONS,
  DOT_MAX_POINTS,
  DOT_MIN_OPTIONS,
  DOT_MIN_POINTS,
  MJ_MAX_OPTIONS,
  MJ_MIN_OPTIONS,
  OPTION_LABEL_MAX,
  QUESTION_MAX,
  QUESTION_MIN,
  VOTE_STATUSES,
} from './methods.ts';

/** French fallback messages for the issues a schema does not word itself. */
export const frenchErrors = z.locales.fr().localeError;

// --- identifiers --------------------------------------------------------------------------------------

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const VoteIdSchema = z.string({ error: 'identifiant de vote requis' }).regex(SLUG, 'identifiant de vote invalide');
export type VoteId = z.infer<typeof VoteIdSchema>;

/** Option ids: 1–64 letters, digits, `-` or `_`, starting with a letter or digit (so never `__proto__`). */
export const OptionIdSchema = z.string({ error: 'identifiant d’option requis' }).regex(SLUG, 'identifiant d’option invalide');

export const VoterIdSchema = z
  .string({ error: 'identifiant de votant requis' })
  .min(1, 'identifiant de votant requis')
  .max(128, 'identifiant de votant trop long');

export const BallotIdSchema = z
  .string({ error: 'identifiant de bulletin requis' })
  .min(8, 'identifiant de bulletin trop court (8 caractères au moins)')
  .max(128, 'identifiant de bulletin trop long');

// --- quorum and majority ------------------------------------------------------------------------------

/**
 * Quorum = the minimum number of ballots cast (abstentions and objections included) for the vote to count.
 * - `none`: no quorum;
 * - `count`: at least `value` ballots;
 * - `share`: at least `value` × eligible voters, rounded up (0.5 of 41 eligible → 21 ballots); `value` in ]0, 1].
 */
export const QuorumSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('count'),
      value: z
        .number({ error: 'quorum : nombre de bulletins attendu' })
        .int('quorum : nombre entier de bulletins attendu')
        .min(1, 'quorum : au moins 1 bulletin')
        .max(100_000, 'quorum : 100 000 bulletins au plus'),
    }),
    z.strictObject({
      kind: z.literal('share'),
      value: z
        .number({ error: 'quorum : proportion attendue' })
        .gt(0, 'quorum : la proportion doit être strictement positive')
        .max(1, 'quorum : la proportion ne peut dépasser 1 (100 %)'),
    }),
  ],
  { error: 'quorum invalide : « none », « count » ou « share » attendu' },
);
export type Quorum = z.infer<typeof QuorumSchema>;

/**
 * Majority rule of a yes / no / abstain vote. Ties (pour = contre) always fail.
 * - `simple`: pour > contre, abstentions ignored;
 * - `absolute`: pour > half of all ballots cast, abstentions included;
 * - `qualified`: pour ≥ numerator/denominator of the expressed ballots (pour + contre), e.g. 2/3 — “at least”,
 *   as in « à la majorité des deux tiers des suffrages exprimés ». The fraction must exceed 1/2, so a tie can
 *   never reach it; with no expressed ballot it is not reached.
 */
export const MajoritySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('simple') }),
    z.strictObject({ kind: z.literal('absolute') }),
    z
      .strictObject({
        kind: z.literal('qualified'),
        numerator: z.number().int('majorité qualifiée : numérateur entier attendu').min(1).max(99),
        denominator: z.number().int('majorité qualifiée : dénominateur entier attendu').min(1).max(100),
      })
      .refine((m) => m.numerator <= m.denominator && 2 * m.numerator > m.denominator, {
        error: 'majorité qualifiée : la fraction doit être supérieure à 1/2 et au plus égale à 1 (ex. 2/3, 3/5)',
        path: ['numerator'],
      }),
  ],
  { error: 'règle de majorité invalide : « simple », « absolute » ou « qualified » attendu' },
);
export type Majority = z.infer<typeof MajoritySchema>;

// --- options ------------------------------------------------------------------------------------------

export const VoteOptionSchema = z.strictObject({
  id: OptionIdSchema,
  label: z
    .string({ error: 'libellé d’option requis' })
    .trim()
    .min(1, 'libellé d’option requis')
    .max(OPTION_LABEL_MAX, `libellé d’option trop long (${OPTION_LABEL_MAX} caractères au plus)`),
});
export type VoteOption = z.infer<typeof VoteOptionSchema>;

function uniqueOptions(options: readonly VoteOption[], ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  const labels = new Set<string>();
  options.forEach((o, i) => {
    if (ids.has(o.id)) ctx.addIssue({ code: 'custom', message: `option en double : « ${o.id} »`, path: ['options', i, 'id'] });
    const key = o.label.toLocaleLowerCase('fr');
    if (labels.has(key)) {
      ctx.addIssue({ code: 'custom', message: `libellé d’option en double : « ${o.label} »`, path: ['options', i, 'label'] });
    }
    ids.add(o.id);
    labels.add(key);
  });
}

// --- settings per method ------------------------------------------------------------------------------

/**
 * Settings every method shares. Safe defaults: secret ballot, no change after casting, results hidden until
 * close (no live results).
 * - `secret`: the ballot box keeps no voter → choice link (see `ballot-box.ts`);
 * - `allowChange`: a voter may replace their ballot until the vote closes;
 * - `liveResults`: organisers see provisional results while the vote is open (never participants or the
 *   projector, see `visibleResults`). Refused together with `secret`: watching the tally move as known
 *   people vote would reveal their choices.
 */
const commonSettings = {
  quorum: QuorumSchema.default({ kind: 'none' }),
  secret: z.boolean({ error: '« secret » doit valoir vrai ou faux' }).default(true),
  allowChange: z.boolean({ error: '« allowChange » doit valoir vrai ou faux' }).default(false),
  liveResults: z.boolean({ error: '« liveResults » doit valoir vrai ou faux' }).default(false),
};

export const YesNoSettingsSchema = z.strictObject({
  method: z.literal('yes-no-abstain'),
  majority: MajoritySchema.default({ kind: 'simple' }),
  ...commonSettings,
});

/** Consent: adopted iff at least one ballot, no objection and the quorum is reached. */
export const ConsentSettingsSchema = z.strictObject({
  method: z.literal('consent'),
  ...commonSettings,
});

/** Majority judgment over 2–20 options; every ballot grades every option (see `ballot.ts`). */
export const MajorityJudgmentSettingsSchema = z
  .strictObject({
    method: z.literal('majority-judgment'),
    options: z
      .array(VoteOptionSchema, { error: 'liste d’options attendue' })
      .min(MJ_MIN_OPTIONS, `au moins ${MJ_MIN_OPTIONS} options à évaluer`)
      .max(MJ_MAX_OPTIONS, `au plus ${MJ_MAX_OPTIONS} options à évaluer`),
    ...commonSettings,
  })
  .superRefine((s, ctx) => uniqueOptions(s.options, ctx));

/**
 * Dot voting: each voter spreads at most `pointsPerVoter` points (and at least 1) over 2–30 options, with at
 * most `maxPointsPerOption` points on one option when set (null: no limit other than `pointsPerVoter`).
 */
export const DotVotingSettingsSchema = z
  .strictObject({
    method: z.literal('dot-voting'),
    options: z
      .array(VoteOptionSchema, { error: 'liste d’options attendue' })
      .min(DOT_MIN_OPTIONS, `au moins ${DOT_MIN_OPTIONS} options`)
      .max(DOT_MAX_OPTIONS, `au plus ${DOT_MAX_OPTIONS} options`),
    pointsPerVoter: z
      .number({ error: 'nombre de points par votant attendu' })
      .int('nombre entier de points attendu')
      .min(DOT_MIN_POINTS, `au moins ${DOT_MIN_POINTS} point par votant`)
      .max(DOT_MAX_POINTS, `au plus ${DOT_MAX_POINTS} points par votant`),
    maxPointsPerOption: z
      .number({ error: 'plafond de points par option attendu' })
      .int('plafond entier attendu')
      .min(1, 'plafond par option : au moins 1 point')
      .nullable()
      .default(null),
    ...commonSettings,
  })
  .superRefine((s, ctx) => {
    uniqueOptions(s.options, ctx);
    if (s.maxPointsPerOption !== null && s.maxPointsPerOption > s.pointsPerVoter) {
      ctx.addIssue({
        code: 'custom',
        message: 'le plafond par option ne peut dépasser le nombre de points par votant',
        path: ['maxPointsPerOption'],
      });
    }
  });

export const VoteSettingsSchema = z
  .discriminatedUnion(
    'method',
    [YesNoSettingsSchema, ConsentSettingsSchema, MajorityJudgmentSettingsSchema, DotVotingSettingsSchema],
    { error: 'mode de scrutin inconnu : « yes-no-abstain », « consent », « majority-judgment » ou « dot-voting » attendu' },
  )
  .superRefine((s, ctx) => {
    if (s.secret && s.liveResults) {
      ctx.addIssue({
        code: 'custom',
        message:
          'les résultats en direct sont incompatibles avec le vote secret : ils laisseraient deviner le choix de chacun au fil des votes',
        path: ['liveResults'],
      });
    }
  });

/** Settings as stored (defaults applied). */
export type VoteSettings = z.output<typeof VoteSettingsSchema>;
/** Settings as written by an organiser (defaults may be omitted). */
export type VoteSettingsInput = z.input<typeof VoteSettingsSchema>;
export type YesNoSettings = z.output<typeof YesNoSettingsSchema>;
export type ConsentSettings = z.output<typeof ConsentSettingsSchema>;
export type MajorityJudgmentSettings = z.output<typeof MajorityJudgmentSettingsSchema>;
export type DotVotingSettings = z.output<typeof DotVotingSettingsSchema>;

/** Joins zod issues into one French sentence: `champ : message ; …`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')} : ${i.message}` : i.message)).join(' ; ');
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses settings with French messages. */
export function parseVoteSettings(input: unknown): ParseResult<VoteSettings> {
  const r = VoteSettingsSchema.safeParse(input, { error: frenchErrors });
  return r.success ? { ok: true, value: r.data } : { ok: false, message: `Paramètres de vote invalides : ${formatIssues(r.error)}` };
}

// --- the vote record ----------------------------------------------------------------------------------

export const QuestionSchema = z
  .string({ error: 'question requise' })
  .trim()
  .min(QUESTION_MIN, `la question doit faire au moins ${QUESTION_MIN} caractères`)
  .max(QUESTION_MAX, `la question doit faire au plus ${QUESTION_MAX} caractères`);

const timestamp = z.iso.datetime({ error: 'horodatage ISO 8601 attendu' });

export const VoteSchema = z.strictObject({
  id: VoteIdSchema,
  question: QuestionSchema,
  settings: VoteSettingsSchema,
  status: z.enum(VOTE_STATUSES),
  /** 1 for the first round; `newRound` adds one. */
  round: z.number().int().min(1),
  /** Id of the vote this round follows, null for a first round. */
  previousRoundId: VoteIdSchema.nullable(),
  /** Who may vote; null: anyone the caller lets through (the server checks the `vote.cast` right). */
  eligibleVoterIds: z
    .array(VoterIdSchema)
    .refine((ids) => new Set(ids).size === ids.length, 'votant en double dans la liste des votants')
    .nullable(),
  /** When the vote was opened. */
  opensAt: timestamp.nullable(),
  /** Scheduled automatic close, set when opened with a timer. */
  closesAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  publishedAt: timestamp.nullable(),
});
export type Vote = z.output<typeof VoteSchema>;
