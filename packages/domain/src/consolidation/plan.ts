/**
 * Consolidation of breakout groups into the plenary diagnostic, step 1: the plan.
 *
 * Every entry of every group is either
 * - an **addition** (copied into the plenary with its provenance),
 * - a member of a **likely-duplicate cluster**, shown side by side for a decision (merge or keep all), or
 * - **already consolidated**: a plenary entry's provenance already names this group entry (the consolidation was
 *   applied before), so it is not brought in twice.
 *
 * Likely duplicates: two entries with the same lever, the same territory and similar titles (`titleSimilarity`),
 * compared group entry against group entry of *another* group, and group entry against plenary entry. Entries of
 * the same group, or two plenary entries, are not compared with each other (they were typed side by side on
 * purpose), though they can meet in one cluster through a third entry. Clusters are the connected components of
 * these "likely duplicate" pairs.
 */
import { readProvenance, type DiagnosticEntry } from '../diagnostic/entry.ts';
import { prepareTitle, titleSimilarity, type PreparedTitle } from './similarity.ts';

export interface GroupEntries {
  groupId: string;
  groupName: string;
  entries: readonly DiagnosticEntry[];
}

/** A group entry to copy into the plenary as it is. */
export interface PlanAddition {
  groupId: string;
  groupName: string;
  entry: DiagnosticEntry;
}

export interface PlanDuplicateEntry {
  source: 'plenary' | 'group';
  /** Null for plenary entries. */
  groupId: string | null;
  groupName: string | null;
  entry: DiagnosticEntry;
}

/** One pair of likely duplicates, by position in the cluster's `entries`. */
export interface DuplicatePair {
  a: number;
  b: number;
  jaccard: number;
  levenshtein: number;
}

export interface DuplicateCluster {
  /** Stable while the same entries are involved: `dup-<id of the cluster's first entry>`. */
  id: string;
  /** French explanation for the side-by-side view. */
  reason: string;
  /** Plenary entries first (plenary order), then group entries (groups in the given order). */
  entries: PlanDuplicateEntry[];
  pairs: DuplicatePair[];
}

export interface AlreadyConsolidated extends PlanAddition {
  /** The plenary entry whose provenance names this group entry. */
  plenaryEntryId: string;
}

export interface ConsolidationPlan {
  additions: PlanAddition[];
  duplicates: DuplicateCluster[];
  alreadyConsolidated: AlreadyConsolidated[];
  /** Group entries the plan brings in: additions plus the group members of the clusters. */
  groupEntryCount: number;
}

interface Node {
  source: 'plenary' | 'group';
  groupId: string | null;
  groupName: string | null;
  entry: DiagnosticEntry;
}

const refKey = (groupId: string, entryId: string): string => `${groupId}\u0000${entryId}`;

function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** The plan of a consolidation (see the module comment). Pure: nothing is written. */
export function planConsolidation(plenary: readonly DiagnosticEntry[], groups: readonly GroupEntries[]): ConsolidationPlan {
  // Group entries a previous consolidation already brought in (named in a plenary entry's provenance).
  const consolidated = new Map<string, string>();
  for (const p of plenary) {
    for (const src of readProvenance(p)) if (src.kind === 'group') consolidated.set(refKey(src.sourceId, src.ref), p.id);
  }

  const nodes: Node[] = plenary.map((entry) => ({ source: 'plenary', groupId: null, groupName: null, entry }));
  const alreadyConsolidated: AlreadyConsolidated[] = [];
  for (const g of groups) {
    for (const entry of g.entries) {
      const done = consolidated.get(refKey(g.groupId.slice(0, 64), entry.id.slice(0, 64)));
      if (done !== undefined) alreadyConsolidated.push({ groupId: g.groupId, groupName: g.groupName, entry, plenaryEntryId: done });
      else nodes.push({ source: 'group', groupId: g.groupId, groupName: g.groupName, entry });
    }
  }

  // Candidate pairs only within a (lever, territory) bucket.
  const buckets = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    const k = `${n.entry.lever}\u0000${n.entry.territory}`;
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  });

  const prepared = new Map<number, PreparedTitle>();
  const titleOf = (i: number): PreparedTitle => {
    let p = prepared.get(i);
    if (!p) prepared.set(i, (p = prepareTitle(nodes[i]!.entry.title)));
    return p;
  };

  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    let c = i;
    while (parent[c] !== r) {
      const next = parent[c] ?? r;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const pairs: { i: number; j: number; jaccard: number; levenshtein: number }[] = [];
  for (const members of buckets.values()) {
    if (members.length < 2) continue;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x] ?? 0;
        const j = members[y] ?? 0;
        const a = nodes[i]!;
        const b = nodes[j]!;
        if (a.source === 'plenary' && b.source === 'plenary') continue;
        if (a.source === 'group' && b.source === 'group' && a.groupId === b.groupId) continue;
        const s = titleSimilarity(titleOf(i), titleOf(j));
        if (!s.similar) continue;
        pairs.push({ i, j, jaccard: s.jaccard, levenshtein: s.levenshtein });
        parent[find(i)] = find(j);
      }
    }
  }

  // Connected components of the pairs: members in node order, pairs attached to their component's root.
  const paired = new Set<number>();
  for (const p of pairs) {
    paired.add(p.i);
    paired.add(p.j);
  }
  const components = new Map<number, { members: number[]; pairs: typeof pairs }>();
  for (let i = 0; i < nodes.length; i++) {
    if (!paired.has(i)) continue;
    const r = find(i);
    const c = components.get(r);
    if (c) c.members.push(i);
    else components.set(r, { members: [i], pairs: [] });
  }
  for (const p of pairs) components.get(find(p.i))?.pairs.push(p);

  const inCluster = new Set<number>();
  const usedIds = new Set<string>();
  const duplicates: DuplicateCluster[] = [];
  const ordered = [...components.values()].sort((a, b) => (a.members[0] ?? 0) - (b.members[0] ?? 0));
  for (const { members, pairs: own } of ordered) {
    for (const i of members) inCluster.add(i);
    const position = new Map(members.map((n, k) => [n, k]));
    const best = own.reduce((m, p) => (Math.max(p.jaccard, p.levenshtein) > Math.max(m.jaccard, m.levenshtein) ? p : m), own[0]!);
    const firstId = nodes[members[0] ?? 0]!.entry.id;
    let id = `dup-${firstId}`;
    for (let n = 2; usedIds.has(id); n++) id = `dup-${firstId}-${n}`;
    usedIds.add(id);
    const hasPlenary = members.some((i) => nodes[i]!.source === 'plenary');
    duplicates.push({
      id,
      reason:
        `Même levier et même territoire, intitulés proches (${percent(best.jaccard)} de mots en commun, ` +
        `${percent(best.levenshtein)} de ressemblance)` +
        (hasPlenary ? ' ; une entrée est déjà dans le diagnostic de la plénière' : ''),
      entries: members.map((i) => {
        const n = nodes[i]!;
        return { source: n.source, groupId: n.groupId, groupName: n.groupName, entry: n.entry };
      }),
      pairs: own.map((p) => ({ a: position.get(p.i) ?? 0, b: position.get(p.j) ?? 0, jaccard: p.jaccard, levenshtein: p.levenshtein })),
    });
  }

  const additions: PlanAddition[] = [];
  nodes.forEach((n, i) => {
    if (n.source === 'group' && !inCluster.has(i)) additions.push({ groupId: n.groupId ?? '', groupName: n.groupName ?? '', entry: n.entry });
  });
  const groupEntryCount = nodes.filter((n) => n.source === 'group').length;
  return { additions, duplicates, alreadyConsolidated, groupEntryCount };
}
