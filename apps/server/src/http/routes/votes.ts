import { Hono } from 'hono';
import * as z from 'zod';
import { BallotIdSchema, QuestionSchema, TIMER_MAX_SECONDS, TIMER_MIN_SECONDS, VoteIdSchema, receiptFor } from '@agora/domain';
import { requireWorkshop, type AppEnv, type AppContext } from '../context.ts';
import type { RouteDeps } from '../deps.ts';
import { apiError, readBody } from '../errors.ts';
import { audit } from '../audit.ts';
import type { CommandResult, VoteService } from '../../votes/vote-service.ts';
import { publicState, visibleTally } from '../../votes/public-state.ts';
import type { VoteRecord } from '../../store/store.ts';
import { EXPORT_FORMATS, renderExport, type ExportFormat } from '../../exports/index.ts';
import { resultsTable } from '../../votes/results-table.ts';
import { allowed } from '../../auth/access.ts';

const DescriptionSchema = z.string().trim().max(2000, 'description trop longue (2 000 caractères au plus)');

const CreateVoteBodySchema = z.strictObject({
  question: z.string(),
  description: DescriptionSchema.default(''),
  settings: z.unknown(),
});
const EditVoteBodySchema = z.strictObject({
  question: QuestionSchema.optional(),
  description: DescriptionSchema.optional(),
  settings: z.unknown().optional(),
});
const OpenVoteBodySchema = z.strictObject({ timerSeconds: z.int().min(TIMER_MIN_SECONDS).max(TIMER_MAX_SECONDS).optional() });
const ShowVoteBodySchema = z.strictObject({ voteId: VoteIdSchema.nullable() });
const BallotBodySchema = z.strictObject({
  ballotId: BallotIdSchema,
  ballot: z.unknown(),
  changeKey: z.string().max(128).optional(),
});

/** Votes of the débat: prepared and run by co-chairs and facilitators; ballots are commands, counted once. */
export function voteRoutes(deps: RouteDeps & { votes: VoteService }): Hono<AppEnv> {
  const { store, votes } = deps;
  const app = new Hono<AppEnv>();

  function reply(c: AppContext, r: CommandResult<VoteRecord>, status: 200 | 201 = 200) {
    if (!r.ok) return apiError(c, r.status, r.message, undefined, r.code);
    return c.json({ vote: r.value.vote, description: r.value.description }, status);
  }

  app.get('/:id/votes', async (c) => {
    const r = await requireWorkshop(c, store, 'workshop.read');
    if (!r.ok) return r.response;
    const electorate = await votes.electorate(r.access.workshop.id);
    const list = await votes.list(r.access.workshop.id);
    return c.json({ votes: list.map((v) => publicState(v, electorate)) });
  });

  app.post('/:id/votes', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const body = await readBody(c, CreateVoteBodySchema);
    if (!body.ok) return body.response;
    const made = await votes.create(r.access.workshop, r.access.member?.id ?? 'admin', body.data);
    if (made.ok) await audit(store, r.access, c.get('viewer'), 'vote.create', { voteId: made.value.vote.id, question: made.value.vote.question });
    return reply(c, made, 201);
  });

  app.patch('/:id/votes/:voteId', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const body = await readBody(c, EditVoteBodySchema);
    if (!body.ok) return body.response;
    const result = await votes.edit(r.access.workshop, c.req.param('voteId'), body.data);
    if (result.ok) await audit(store, r.access, c.get('viewer'), 'vote.edit', { voteId: result.value.vote.id });
    return reply(c, result);
  });

  app.post('/:id/votes/:voteId/open', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const body = await readBody(c, OpenVoteBodySchema);
    if (!body.ok) return body.response;
    const result = await votes.open(r.access.workshop, c.req.param('voteId'), body.data.timerSeconds);
    if (result.ok) await audit(store, r.access, c.get('viewer'), 'vote.open', { voteId: result.value.vote.id, timerSeconds: body.data.timerSeconds ?? null });
    return reply(c, result);
  });

  for (const [action, run] of [
    ['close', (w: Parameters<VoteService['close']>[0], id: string) => votes.close(w, id)],
    ['publish', (w: Parameters<VoteService['close']>[0], id: string) => votes.publishResults(w, id)],
  ] as const) {
    app.post(`/:id/votes/:voteId/${action}`, async (c) => {
      const r = await requireWorkshop(c, store, 'vote.moderate');
      if (!r.ok) return r.response;
      const result = await run(r.access.workshop, c.req.param('voteId'));
      if (result.ok) await audit(store, r.access, c.get('viewer'), `vote.${action}`, { voteId: result.value.vote.id });
      return reply(c, result);
    });
  }

  /** A published (or closed) vote is never re-opened: this creates its next round as a draft. */
  app.post('/:id/votes/:voteId/rounds', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const result = await votes.newRound(r.access.workshop, c.req.param('voteId'), r.access.member?.id ?? 'admin');
    if (result.ok) await audit(store, r.access, c.get('viewer'), 'vote.round', { from: c.req.param('voteId'), voteId: result.value.vote.id });
    return reply(c, result, 201);
  });

  /** Which vote every screen shows (the console's "question suivante"); null shows none. */
  app.post('/:id/votes-current', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const body = await readBody(c, ShowVoteBodySchema);
    if (!body.ok) return body.response;
    const result = await votes.show(r.access.workshop, body.data.voteId);
    if (!result.ok) return apiError(c, result.status, result.message);
    await audit(store, r.access, c.get('viewer'), 'vote.show', { voteId: body.data.voteId });
    return c.json({ ok: true });
  });

  /** Results as organisers may see them: nothing before the close unless the vote has live results. */
  app.get('/:id/votes/:voteId/results', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.moderate');
    if (!r.ok) return r.response;
    const record = await votes.get(c.req.param('voteId'));
    if (!record || record.workshopId !== r.access.workshop.id) return apiError(c, 404, 'vote introuvable');
    return c.json({ results: visibleTally(record, 'organiser', await votes.electorate(r.access.workshop.id)) });
  });

  app.post('/:id/votes/:voteId/ballots', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.cast');
    if (!r.ok) return r.response;
    const member = r.access.member;
    if (!member) return apiError(c, 403, 'seuls les membres de l’atelier votent');
    const body = await readBody(c, BallotBodySchema);
    if (!body.ok) return body.response;
    const result = await votes.cast(r.access.workshop, c.req.param('voteId'), {
      ballotId: body.data.ballotId,
      voterId: member.id,
      college: member.college,
      ballot: body.data.ballot,
      ...(body.data.changeKey ? { changeKey: body.data.changeKey } : {}),
    });
    if (!result.ok) return apiError(c, result.status, result.message, undefined, result.code);
    return c.json({ ack: result.value.ack, duplicate: result.value.duplicate, message: 'vote enregistré' }, result.value.duplicate ? 200 : 201);
  });

  /** Was my ballot recorded? For a voter whose connection dropped while voting. Only one's own ballots. */
  app.get('/:id/votes/:voteId/ballots/:ballotId', async (c) => {
    const r = await requireWorkshop(c, store, 'vote.cast');
    if (!r.ok) return r.response;
    const record = await votes.get(c.req.param('voteId'));
    if (!record || record.workshopId !== r.access.workshop.id) return apiError(c, 404, 'vote introuvable');
    const ballotId = c.req.param('ballotId');
    const mine = record.box.voters.some((v) => v.voterId === r.access.member?.id && v.ballotIds.includes(ballotId));
    const receipt = mine ? receiptFor(record.box, ballotId) : null;
    if (!receipt) return c.json({ recorded: false });
    return c.json({ recorded: true, counted: receipt.counted, ack: receipt });
  });

  /** Results as CSV, XLSX, ODS or PDF: organisers from the close on, everyone once published. */
  app.get('/:id/votes/:voteId/export/:format', async (c) => {
    const r = await requireWorkshop(c, store, 'export');
    if (!r.ok) return r.response;
    const format = c.req.param('format');
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return apiError(c, 400, 'format inconnu : csv, xlsx, ods ou pdf');
    const record = await votes.get(c.req.param('voteId'));
    if (!record || record.workshopId !== r.access.workshop.id) return apiError(c, 404, 'vote introuvable');
    const audience = allowed(r.access, 'vote.moderate') ? 'organiser' : 'participant';
    const results = visibleTally(record, audience, await votes.electorate(r.access.workshop.id));
    if (results.kind !== 'results') return apiError(c, 409, results.message);
    const file = await renderExport(resultsTable(record, results, r.access.workshop.name), format as ExportFormat);
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="resultats-vote-${record.vote.id}.${format}"`);
    return c.body(typeof file.body === 'string' ? file.body : (file.body as Uint8Array<ArrayBuffer>));
  });

  return app;
}
