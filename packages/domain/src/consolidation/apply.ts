/**
 * Consolidation, step 2: from the plan and the decisions on its duplicate clusters, the entries to write into the
 * plenary diagnostic. Pure: the caller writes them (in one transaction).
 *
 * - Additions are copied with their provenance: the group's source (`kind: 'group'`, group id and name, original
 *   entry id, original author) after whatever provenance the entry already had (e.g. the file row it was imported
 *   from into the group).
 * - Cluster, `keep-all` (also the default when a cluster has no decision): each group entry of the cluster is added
 *   like an addition; plenary entries stay as they are.
 * - Cluster, `merge` keeping entry K: the group entries of the cluster become **one** entry:
 *   - content fields (lever, territory, organisation, status, title, unit, years, source) are K's;
 *   - description: the distinct descriptions, K's first then the others in cluster order, joined by a blank line;
 *     a description equal to or contained in another one (ignoring case, accents, punctuation) is not repeated;
 *   - effectKtCO2e: K's when K states one; otherwise the **largest** one stated by the merged entries (duplicates
 *     describe one action: adding them up would count it twice);
 *   - effectValue + effectUnit: K's when K states a value; otherwise the largest value among the merged entries
 *     stated in the same unit (compared with `unitKey`) as the first one that states a value (K's unit first when
 *     K has a unit but no value);
 *   - yearStart / yearEnd: K's; when K has none, the earliest start / latest end of the merged entries (dropped if
 *     that would put the end before the start);
 *   - source: K's when not empty, otherwise the first non-empty one;
 *   - provenance: every merged group entry's source (and the provenance they carried).
 *   Where it is written: when the cluster holds a plenary entry, the merge **updates** a plenary entry (K itself if K
 *   is a plenary entry, otherwise the cluster's first plenary entry, which takes K's content) so that it keeps its id
 *   and history, and its own description, effects and provenance are merged in too; other plenary entries of the
 *   cluster are left untouched. Without a plenary entry, the merge is **added** as a new entry (author: K's).
 *   A merge that cannot be written whole — K not in the cluster, description or provenance over the field limits,
 *   a result the schema refuses — falls back to `keep-all` for that cluster, with a French warning.
 *
 * Invariant: no group entry is lost. Every group entry of the plan (additions and cluster members) is named in
 * exactly one written entry's provenance, either its own copy or the merge it went into.
 */
import {
  DiagnosticEntrySchema,
  ENTRY_LIMITS,
  readProvenance,
  type DiagnosticEntry,
  type EntryInput,
  type EntryPatch,
  type Provenance,
} from '../diagnostic/entry.ts';
import { foldText, unitKey } from '../import/normalise.ts';
import type { ConsolidationPlan, DuplicateCluster, PlanDuplicateEntry } from './plan.ts';
import { fitProvenance, groupSource, serialiseProvenance } from './provenance.ts';

export type DuplicateDecision = { action: 'keep-all' } | { action: 'merge'; keepEntryId: string };

/** An entry to write into the plenary: the fields a user fills, its author and its sources. */
export type ConsolidatedEntry = Omit<EntryInput, 'provenance'> & { author: string; provenance: Provenance[] };

/** A plenary entry that absorbs a merge: the fields to change (`patch`) and the entry as it will be. */
export interface PlenaryUpdate {
  entryId: string;
  clusterId: string;
  patch: EntryPatch;
  entry: ConsolidatedEntry;
}

export interface ConsolidationWarning {
  clusterId: string;
  message: string;
}

export interface ConsolidationOutcome {
  /** New plenary entries. */
  add: ConsolidatedEntry[];
  /** Plenary entries that absorbed a merge. */
  update: PlenaryUpdate[];
  /** Number of new entries (`add.length`). */
  added: number;
  /** Group entries that went into another entry (a merge) instead of being added on their own. */
  merged: number;
  warnings: ConsolidationWarning[];
}

const CONTENT_FIELDS = ['lever', 'territory', 'organisation', 'status', 'title', 'description', 'effectValue', 'effectUnit', 'effectKtCO2e', 'yearStart', 'yearEnd', 'source'] as const;

function contentOf(e: DiagnosticEntry): Omit<EntryInput, 'provenance'> {
  return {
    lever: e.lever,
    territory: e.territory,
    organisation: e.organisation,
    status: e.status,
    title: e.title,
    description: e.description,
    effectValue: e.effectValue,
    effectUnit: e.effectUnit,
    effectKtCO2e: e.effectKtCO2e,
    yearStart: e.yearStart,
    yearEnd: e.yearEnd,
    source: e.source,
  };
}

/** The copy of one group entry. */
function addition(groupId: string, groupName: string, entry: DiagnosticEntry): ConsolidatedEntry {
  const own = groupSource(groupId, groupName, entry);
  // The group's own source always fits: fitProvenance only drops older carried sources.
  const provenance = fitProvenance([...readProvenance(entry), own], [own]) ?? [own];
  return { ...contentOf(entry), author: entry.author, provenance };
}

/** Distinct descriptions joined by a blank line (see the module comment). */
export function mergeDescriptions(texts: readonly string[]): string {
  const kept: { text: string; key: string }[] = [];
  for (const raw of texts) {
    const text = raw.trim();
    const key = foldText(text);
    if (text === '' || key === '' || kept.some((k) => k.key.includes(key))) continue;
    const swallowed = kept.findIndex((k) => key.includes(k.key));
    if (swallowed >= 0) {
      kept[swallowed] = { text, key };
      for (let i = kept.length - 1; i > swallowed; i--) if (key.includes(kept[i]!.key)) kept.splice(i, 1);
    } else kept.push({ text, key });
  }
  return kept.map((k) => k.text).join('\n\n');
}

const finite = (v: number | null): v is number => typeof v === 'number' && Number.isFinite(v);

type MergeResult = { ok: true; entry: ConsolidatedEntry } | { ok: false; message: string };

/** The merged entry of `members` keeping `kept`'s content (see the module comment). */
function mergeEntries(
  kept: DiagnosticEntry,
  members: readonly DiagnosticEntry[],
  author: string,
  carried: readonly Provenance[],
  sources: readonly Provenance[],
): MergeResult {
  const others = members.filter((m) => m !== kept);
  const all = [kept, ...others];
  const description = mergeDescriptions(all.map((m) => m.description));
  if (description.length > ENTRY_LIMITS.description) {
    return { ok: false, message: `fusion impossible : les descriptions réunies dépassent ${ENTRY_LIMITS.description} caractères ; toutes les entrées sont gardées` };
  }

  const kts = all.map((m) => m.effectKtCO2e).filter(finite);
  const effectKtCO2e = finite(kept.effectKtCO2e) ? kept.effectKtCO2e : kts.length > 0 ? Math.max(...kts) : null;

  let effectValue = kept.effectValue;
  let effectUnit = kept.effectUnit;
  if (!finite(effectValue)) {
    const withValue = all.filter((m) => finite(m.effectValue));
    const first = (kept.effectUnit.trim() !== '' ? withValue.find((m) => unitKey(m.effectUnit) === unitKey(kept.effectUnit)) : undefined) ?? withValue[0];
    if (first) {
      const key = unitKey(first.effectUnit);
      effectValue = Math.max(...withValue.filter((m) => unitKey(m.effectUnit) === key).map((m) => m.effectValue as number));
      effectUnit = first.effectUnit;
    } else effectValue = null;
  }

  let yearStart = kept.yearStart;
  let yearEnd = kept.yearEnd;
  if (yearStart === null) {
    const starts = all.map((m) => m.yearStart).filter(finite);
    const candidate = starts.length > 0 ? Math.min(...starts) : null;
    if (candidate !== null && (yearEnd === null || candidate <= yearEnd)) yearStart = candidate;
  }
  if (yearEnd === null) {
    const ends = all.map((m) => m.yearEnd).filter(finite);
    const candidate = ends.length > 0 ? Math.max(...ends) : null;
    if (candidate !== null && (yearStart === null || candidate >= yearStart)) yearEnd = candidate;
  }

  const source = kept.source.trim() !== '' ? kept.source : (all.find((m) => m.source.trim() !== '')?.source ?? '');

  const provenance = fitProvenance([...carried, ...sources], sources);
  if (provenance === null) {
    return { ok: false, message: 'fusion impossible : trop de sources à citer pour une seule entrée ; toutes les entrées sont gardées' };
  }

  const entry: ConsolidatedEntry = {
    ...contentOf(kept),
    description,
    effectKtCO2e,
    effectValue,
    effectUnit,
    yearStart,
    yearEnd,
    source,
    author,
    provenance,
  };
  const check = DiagnosticEntrySchema.safeParse({ ...toWritableEntry(entry).input, author, createdAt: 0, updatedAt: 0 });
  if (!check.success) {
    const first = check.error.issues[0];
    return { ok: false, message: `fusion impossible (${first?.path.join('.') || 'entrée'} : ${first?.message ?? 'invalide'}) ; toutes les entrées sont gardées` };
  }
  return { ok: true, entry };
}

function keepAll(cluster: DuplicateCluster): ConsolidatedEntry[] {
  return cluster.entries
    .filter((m): m is PlanDuplicateEntry & { groupId: string } => m.source === 'group' && m.groupId !== null)
    .map((m) => addition(m.groupId, m.groupName ?? '', m.entry));
}

/**
 * The entries to write for a plan and the decisions on its clusters (keyed by cluster id; a cluster without a
 * decision keeps all its entries). See the module comment for the merge rule.
 */
export function applyConsolidation(
  plan: ConsolidationPlan,
  decisions: Readonly<Record<string, DuplicateDecision | undefined>>,
): ConsolidationOutcome {
  const add: ConsolidatedEntry[] = plan.additions.map((a) => addition(a.groupId, a.groupName, a.entry));
  const update: PlenaryUpdate[] = [];
  const warnings: ConsolidationWarning[] = [];
  let merged = 0;

  for (const cluster of plan.duplicates) {
    const decision = Object.hasOwn(decisions, cluster.id) ? decisions[cluster.id] : undefined;
    if (!decision || decision.action !== 'merge') {
      add.push(...keepAll(cluster));
      continue;
    }
    const chosen = cluster.entries.find((m) => m.entry.id === decision.keepEntryId);
    if (!chosen) {
      warnings.push({ clusterId: cluster.id, message: `entrée à garder introuvable dans ce groupe de doublons (${decision.keepEntryId}) ; toutes les entrées sont gardées` });
      add.push(...keepAll(cluster));
      continue;
    }
    const groupMembers = cluster.entries.filter((m) => m.source === 'group');
    const target = chosen.source === 'plenary' ? chosen : cluster.entries.find((m) => m.source === 'plenary');
    const sources = groupMembers.map((m) => groupSource(m.groupId ?? '', m.groupName ?? '', m.entry));
    const carried = [...(target ? readProvenance(target.entry) : []), ...groupMembers.flatMap((m) => readProvenance(m.entry))];
    const members = [...(target && target !== chosen ? [target.entry] : []), ...groupMembers.map((m) => m.entry)];
    if (!members.includes(chosen.entry)) members.unshift(chosen.entry);
    const result = mergeEntries(chosen.entry, members, target ? target.entry.author : chosen.entry.author, carried, sources);
    if (!result.ok) {
      warnings.push({ clusterId: cluster.id, message: result.message });
      add.push(...keepAll(cluster));
      continue;
    }
    if (target) {
      const before = contentOf(target.entry);
      const patch: EntryPatch = {};
      for (const k of CONTENT_FIELDS) {
        if (before[k] !== result.entry[k]) (patch as Record<string, unknown>)[k] = result.entry[k];
      }
      patch.provenance = serialiseProvenance(result.entry.provenance);
      update.push({ entryId: target.entry.id, clusterId: cluster.id, patch, entry: result.entry });
      merged += groupMembers.length;
    } else {
      add.push(result.entry);
      merged += groupMembers.length - 1;
    }
  }
  return { add, update, added: add.length, merged, warnings };
}

/** What `addEntry` takes for a consolidated entry: the input (provenance as JSON, left out when empty) and author. */
export function toWritableEntry(entry: ConsolidatedEntry): { input: EntryInput; author: string } {
  const { author, provenance, ...content } = entry;
  const input: EntryInput = provenance.length > 0 ? { ...content, provenance: serialiseProvenance(provenance) } : { ...content };
  return { input, author };
}
