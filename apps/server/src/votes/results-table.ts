import {
  COLLEGE_LABELS,
  CONSENT_POSITION_LABELS,
  MJ_GRADES,
  MJ_GRADE_LABELS,
  VOTE_METHOD_LABELS,
  VOTE_STATUS_LABELS,
  YES_NO_CHOICES,
  YES_NO_CHOICE_LABELS,
  type College,
  type TallyResult,
  type VisibleResults,
} from '@agora/domain';
import type { ExportTable } from '../exports/table.ts';
import type { VoteRecord } from '../store/store.ts';

const pct = (n: number, d: number) => (d > 0 ? Math.round((1000 * n) / d) / 10 : null);
const scopeLabel = (college: College | null) => (college ? COLLEGE_LABELS[college] : 'Ensemble');

/** The results of a vote as a table: one row per answer (and per college when shown). */
export function resultsTable(record: VoteRecord, results: VisibleResults, workshopName: string): ExportTable {
  const v = record.vote;
  const notes = [
    `Atelier : ${workshopName}`,
    `Question : ${v.question}`,
    `Mode de scrutin : ${VOTE_METHOD_LABELS[v.settings.method]}${v.settings.secret ? ' — vote secret' : ' — vote public'} — tour ${v.round}`,
    `État : ${VOTE_STATUS_LABELS[v.status]}${v.closedAt ? ` — clos le ${v.closedAt}` : ''}${v.publishedAt ? ` — publié le ${v.publishedAt}` : ''}`,
    `Export du ${new Date().toISOString()} (Agora COP)`,
  ];
  const columns = [
    { key: 'scope', label: 'Périmètre' },
    { key: 'answer', label: 'Réponse' },
    { key: 'value', label: 'Voix / points / mention' },
    { key: 'share', label: 'Part (%)' },
    { key: 'rank', label: 'Rang' },
  ];
  if (results.kind !== 'results') return { title: `Résultats — ${v.question}`, notes: [...notes, results.message], columns, rows: [] };
  const t = results.tally;
  notes.push(
    `Participation : ${t.participation.cast} bulletins${t.participation.eligible !== null ? ` sur ${t.participation.eligible} votants` : ''}`,
    `Quorum : ${t.quorum.required > 0 ? `${t.quorum.required} bulletins — ${t.quorum.reached ? 'atteint' : 'non atteint'}` : 'aucun'}`,
  );
  if ('adopted' in t) notes.push(`Décision : ${t.adopted ? 'adopté' : 'non adopté'}`);
  if (results.provisional) notes.push('Résultats provisoires (vote en cours).');
  if (results.message) notes.push(results.message);
  return { title: `Résultats — ${v.question}`, notes, columns, rows: rowsOf(t) };
}

function rowsOf(t: TallyResult): ExportTable['rows'] {
  const rows: ExportTable['rows'] = [];
  switch (t.method) {
    case 'yes-no-abstain': {
      const add = (college: College | null, counts: Record<(typeof YES_NO_CHOICES)[number], number>, cast: number) => {
        for (const c of YES_NO_CHOICES) rows.push({ scope: scopeLabel(college), answer: YES_NO_CHOICE_LABELS[c], value: counts[c], share: pct(counts[c], cast), rank: null });
      };
      add(null, t.counts, t.participation.cast);
      for (const c of t.byCollege) add(c.college, c.counts, c.participation.cast);
      break;
    }
    case 'consent': {
      const add = (college: College | null, counts: { 'no-objection': number; objection: number }, cast: number) => {
        for (const k of ['no-objection', 'objection'] as const) {
          rows.push({ scope: scopeLabel(college), answer: CONSENT_POSITION_LABELS[k], value: counts[k], share: pct(counts[k], cast), rank: null });
        }
      };
      add(null, t.counts, t.participation.cast);
      for (const c of t.byCollege) add(c.college, c.counts, c.participation.cast);
      for (const reason of t.objections) rows.push({ scope: 'Ensemble', answer: 'Objection motivée', value: reason, share: null, rank: null });
      break;
    }
    case 'majority-judgment': {
      const add = (college: College | null, options: typeof t.options) => {
        for (const o of options) {
          const profile = MJ_GRADES.map((g) => `${MJ_GRADE_LABELS[g]} ${o.profile[g]}`).join(', ');
          rows.push({
            scope: scopeLabel(college),
            answer: o.label,
            value: o.majorityGrade ? `${MJ_GRADE_LABELS[o.majorityGrade]} (${profile})` : 'aucun bulletin',
            share: null,
            rank: o.rank,
          });
        }
      };
      add(null, t.options);
      for (const c of t.byCollege) add(c.college, c.options);
      break;
    }
    case 'dot-voting': {
      const add = (college: College | null, options: typeof t.options, total: number) => {
        for (const o of options) rows.push({ scope: scopeLabel(college), answer: o.label, value: o.points, share: pct(o.points, total), rank: o.rank });
      };
      add(null, t.options, t.totalPoints);
      for (const c of t.byCollege) add(c.college, c.options, c.totalPoints);
      break;
    }
  }
  return rows;
}
