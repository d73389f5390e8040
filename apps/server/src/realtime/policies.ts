import * as Y from 'yjs';
import {
  DIAGNOSTIC_SCHEMA_VERSION,
  liveGroupsMap,
  changedEntryIds,
  entriesMap,
  initDiagnosticMeta,
  liveVotesMap,
  liveWorkshopMap,
  readMeta,
  readStage,
  validateDiagnosticChange,
  writeStage,
  type DocumentPart,
  type ValidationResult,
  type Workshop,
  metaMap,
  readEntryRaw,
  type EntryChange,
} from '@agora/domain';
import { diagnosticRulesFor } from './rules.ts';

/** What a kind of shared document allows: how it starts, and which client edits are accepted. */
export interface DocumentPolicy {
  /** Declares the root types up front, so that they are never generic placeholders (see changedEntryIds). */
  defineRoots(doc: Y.Doc): void;
  /** Stamps a new (or older) document with what the server owns. Runs after the stored state is loaded. */
  init(doc: Y.Doc): void;
  /** False: every client change is refused (the server alone writes). */
  clientWritable: boolean;
  /** Checks a client transaction applied to the scratch twin; `before` is the document without it. */
  validate(scratch: Y.Doc, tr: Y.Transaction, before: Y.Doc): ValidationResult;
  /** Whether a transaction changed anything (a no-op sync step 2 from a read-only client is not a write). */
  changed(tr: Y.Transaction): boolean;
  /** The entry changes an accepted transaction makes, for the history (diagnostic documents only). */
  describe?(tr: Y.Transaction, before: Y.Doc, after: Y.Doc): EntryDiff[];
}

export type EntryDiff = Pick<EntryChange, 'entryId' | 'kind' | 'fields'>;

/** Field-level differences of the entries a transaction touched. */
function describeEntries(tr: Y.Transaction, before: Y.Doc, after: Y.Doc): EntryDiff[] {
  const out: EntryDiff[] = [];
  for (const id of changedEntryIds(tr).entryIds) {
    const a = readEntryRaw(before, id);
    const b = readEntryRaw(after, id);
    if (!a && !b) continue;
    const kind = !a ? 'create' : !b ? 'delete' : 'update';
    const fields: EntryDiff['fields'] = {};
    for (const k of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) {
      if (k === 'updatedAt' || k === 'createdAt') continue;
      const before = a?.[k];
      const after = b?.[k];
      if (before !== after) fields[k] = { before: before ?? null, after: after ?? null };
    }
    if (kind !== 'update' || Object.keys(fields).length > 0) out.push({ entryId: id, kind, fields });
  }
  return out;
}

const anyChange = (tr: Y.Transaction): boolean => tr.changed.size > 0 || tr.deleteSet.clients.size > 0;

function diagnosticPolicy(workshop: Workshop): DocumentPolicy {
  const rules = diagnosticRulesFor(workshop.regionCode);
  return {
    defineRoots(doc) {
      entriesMap(doc);
      metaMap(doc);
    },
    init(doc) {
      if (readMeta(doc).schemaVersion === undefined) {
        initDiagnosticMeta(doc, { schemaVersion: DIAGNOSTIC_SCHEMA_VERSION, workshopId: workshop.id, regionCode: workshop.regionCode });
      }
    },
    clientWritable: true,
    validate: (scratch, tr, before) => validateDiagnosticChange(scratch, changedEntryIds(tr), rules, before),
    changed: (tr) => {
      const c = changedEntryIds(tr);
      return c.outside || c.entryIds.size > 0;
    },
    describe: describeEntries,
  };
}

function livePolicy(workshop: Workshop): DocumentPolicy {
  return {
    defineRoots(doc) {
      liveWorkshopMap(doc);
      liveVotesMap(doc);
      liveGroupsMap(doc);
    },
    init(doc) {
      if (readStage(doc) === null) writeStage(doc, workshop.stage);
    },
    clientWritable: false,
    validate: () => ({ ok: false, issues: [{ message: 'document écrit par le serveur seulement' }] }),
    changed: anyChange,
  };
}

export function policyFor(part: DocumentPart, workshop: Workshop): DocumentPolicy {
  return part === 'live' ? livePolicy(workshop) : diagnosticPolicy(workshop);
}
