import { describe, it, expect } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry,
  changedEntryIds,
  deleteEntry,
  emptyEntryInput,
  entriesMap,
  ENTRY_FIELD_NAMES,
  EntryIdSchema,
  initDiagnosticMeta,
  metaMap,
  newEntryId,
  observeEntries,
  readEntries,
  readEntry,
  readEntryRaw,
  readMeta,
  updateEntry,
  DIAGNOSTIC_SCHEMA_VERSION,
  type EntryInput,
} from '../src/index.ts';

const NOW = 1_750_000_000_000;

function input(over: Partial<EntryInput> = {}): EntryInput {
  return {
    lever: 'lever-a',
    territory: '35',
    organisation: 'Région Bretagne',
    status: 'en-cours',
    title: 'Réseau de chaleur de Rennes',
    description: 'Extension du réseau',
    effectValue: 12.5,
    effectUnit: 'GWh',
    effectKtCO2e: -3.2,
    yearStart: 2020,
    yearEnd: 2026,
    source: 'ADEME',
    ...over,
  };
}

/** Brings `to` up to date with `from` (one direction). */
function push(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function sync(a: Y.Doc, b: Y.Doc): void {
  push(a, b);
  push(b, a);
}

/** A replica of `doc` (same content, different client id). */
function replica(doc: Y.Doc): Y.Doc {
  const r = new Y.Doc();
  Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
  return r;
}

/**
 * A document as a receiving side should hold it: its roots already accessed through the typed accessors.
 * (See the "never accessed" block below: changedEntryIds misreports adds and deletes otherwise.)
 */
function receiver(from?: Y.Doc): Y.Doc {
  const r = new Y.Doc();
  entriesMap(r);
  metaMap(r);
  if (from) Y.applyUpdate(r, Y.encodeStateAsUpdate(from));
  return r;
}

/** Applies `update` to `target` and returns what changedEntryIds said about the transactions it ran. */
function applyAndCollect(target: Y.Doc, update: Uint8Array): { entryIds: Set<string>; outside: boolean } {
  const seen: { entryIds: Set<string>; outside: boolean }[] = [];
  const handler = (tr: Y.Transaction): void => {
    seen.push(changedEntryIds(tr));
  };
  target.on('afterTransaction', handler);
  try {
    Y.applyUpdate(target, update);
  } finally {
    target.off('afterTransaction', handler);
  }
  const entryIds = new Set<string>();
  let outside = false;
  for (const s of seen) {
    for (const id of s.entryIds) entryIds.add(id);
    outside ||= s.outside;
  }
  return { entryIds, outside };
}

/** Runs `change` on `source` and returns the single update it produced. */
function captureUpdate(source: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const handler = (u: Uint8Array): void => {
    updates.push(u);
  };
  source.on('update', handler);
  try {
    change();
  } finally {
    source.off('update', handler);
  }
  return Y.mergeUpdates(updates);
}

describe('newEntryId', () => {
  it('makes valid, distinct 16-character ids', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = newEntryId();
      expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(EntryIdSchema.safeParse(id).success).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(200);
  });
});

describe('emptyEntryInput', () => {
  it('gives a blank draft with every user field and applies defaults', () => {
    const blank = emptyEntryInput();
    expect(blank.title).toBe('');
    expect(blank.status).toBe('en-cours');
    expect(blank.yearStart).toBeNull();
    // provenance is optional: set by consolidation and import only.
    const userFields = ENTRY_FIELD_NAMES.filter((k) => !['author', 'createdAt', 'updatedAt', 'provenance'].includes(k));
    expect(Object.keys(blank).sort()).toEqual([...userFields].sort());
    expect(emptyEntryInput({ lever: 'x', status: 'prevu' })).toMatchObject({ lever: 'x', status: 'prevu', title: '' });
  });
});

describe('meta', () => {
  it('initDiagnosticMeta stamps the meta map and readMeta reads it back', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc)).toEqual({});
    initDiagnosticMeta(doc, { schemaVersion: DIAGNOSTIC_SCHEMA_VERSION, workshopId: 'abcdefghijkl', regionCode: '53' });
    expect(readMeta(doc)).toEqual({ schemaVersion: 1, workshopId: 'abcdefghijkl', regionCode: '53' });
    expect(metaMap(doc).get('regionCode')).toBe('53');
  });
});

describe('addEntry / readEntry / readEntries', () => {
  it('adds an entry with author and timestamps, readable by id', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    expect(EntryIdSchema.safeParse(id).success).toBe(true);
    expect(readEntry(doc, id)).toEqual({ ...input(), author: 'Alice', createdAt: NOW, updatedAt: NOW, id });
  });

  it('stores the entry as a flat Y.Map holding exactly the schema fields', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW, 'entry-0001');
    expect(id).toBe('entry-0001');
    const m = entriesMap(doc).get(id);
    expect(m).toBeInstanceOf(Y.Map);
    expect([...m!.keys()].sort()).toEqual(ENTRY_FIELD_NAMES.filter((k) => k !== 'provenance').sort());
    for (const v of m!.values()) expect(v).not.toBeInstanceOf(Y.AbstractType);
    // nulls are kept as real fields, not dropped
    const noYears = addEntry(doc, input({ yearStart: null, yearEnd: null }), 'Bob', NOW, 'entry-0002');
    expect(entriesMap(doc).get(noYears)!.has('yearStart')).toBe(true);
    expect(readEntry(doc, noYears)!.yearStart).toBeNull();
  });

  it('adds the entry in a single transaction (one update)', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    addEntry(doc, input(), 'Alice', NOW);
    expect(updates).toBe(1);
  });

  it('returns null for unknown ids and non-map values', () => {
    const doc = new Y.Doc();
    expect(readEntry(doc, 'nope-nope-nope')).toBeNull();
    expect(readEntryRaw(doc, 'nope-nope-nope')).toBeNull();
    (entriesMap(doc) as unknown as Y.Map<unknown>).set('primitive-1', 'not a map');
    expect(readEntry(doc, 'primitive-1')).toBeNull();
    expect(readEntryRaw(doc, 'primitive-1')).toBeNull();
  });

  it('readEntryRaw returns the raw fields without the id', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    const raw = readEntryRaw(doc, id)!;
    expect(raw).not.toHaveProperty('id');
    expect(raw.title).toBe(input().title);
  });

  it('readEntries lists entries oldest first, ties broken by id, skipping non-map values', () => {
    const doc = new Y.Doc();
    addEntry(doc, input({ title: 'third' }), 'A', NOW + 20, 'zzzzzzzz-1');
    addEntry(doc, input({ title: 'first' }), 'A', NOW, 'mmmmmmmm-1');
    addEntry(doc, input({ title: 'second-b' }), 'A', NOW + 10, 'bbbbbbbb-1');
    addEntry(doc, input({ title: 'second-a' }), 'A', NOW + 10, 'aaaaaaaa-1');
    (entriesMap(doc) as unknown as Y.Map<unknown>).set('garbage-1', 42);
    expect(readEntries(doc).map((e) => e.title)).toEqual(['first', 'second-a', 'second-b', 'third']);
    expect(readEntries(doc).map((e) => e.id)).toEqual(['mmmmmmmm-1', 'aaaaaaaa-1', 'bbbbbbbb-1', 'zzzzzzzz-1']);
  });

  it('readEntries is empty on a new document', () => {
    expect(readEntries(new Y.Doc())).toEqual([]);
  });
});

describe('updateEntry', () => {
  it('changes the patched fields and bumps updatedAt, keeping createdAt', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    expect(updateEntry(doc, id, { title: 'Nouveau titre', yearEnd: null }, NOW + 1000)).toBe(true);
    const e = readEntry(doc, id)!;
    expect(e.title).toBe('Nouveau titre');
    expect(e.yearEnd).toBeNull();
    expect(e.updatedAt).toBe(NOW + 1000);
    expect(e.createdAt).toBe(NOW);
    expect(e.status).toBe('en-cours');
    expect(e.author).toBe('Alice');
  });

  it('writes only the fields that actually changed', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    const m = entriesMap(doc).get(id)!;
    const written: string[][] = [];
    m.observe((ev) => written.push([...ev.keysChanged].sort()));
    // title unchanged, status changed, description unchanged
    updateEntry(doc, id, { title: input().title, status: 'realise', description: input().description }, NOW + 5);
    expect(written).toEqual([['status', 'updatedAt']]);
  });

  it('writes nothing and keeps updatedAt when nothing differs', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(updateEntry(doc, id, { title: input().title, yearStart: 2020 }, NOW + 5)).toBe(false);
    expect(updateEntry(doc, id, {}, NOW + 6)).toBe(false);
    expect(updateEntry(doc, id, { title: undefined }, NOW + 7)).toBe(false);
    expect(updates).toBe(0);
    expect(readEntry(doc, id)!.updatedAt).toBe(NOW);
  });

  it('ignores undefined values in the patch', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    expect(updateEntry(doc, id, { title: undefined, source: 'INSEE' }, NOW + 1)).toBe(true);
    expect(readEntry(doc, id)!.title).toBe(input().title);
    expect(readEntry(doc, id)!.source).toBe('INSEE');
  });

  it('emits a single update for a multi-field patch', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, input(), 'Alice', NOW);
    let updates = 0;
    doc.on('update', () => updates++);
    updateEntry(doc, id, { title: 'a', description: 'b', effectValue: 1 }, NOW + 1);
    expect(updates).toBe(1);
  });

  it('returns false for an unknown or deleted entry and does not create it', () => {
    const doc = new Y.Doc();
    expect(updateEntry(doc, 'missing-entry', { title: 'x' })).toBe(false);
    expect(entriesMap(doc).has('missing-entry')).toBe(false);
    const id = addEntry(doc, input(), 'Alice', NOW);
    deleteEntry(doc, id);
    expect(updateEntry(doc, id, { title: 'x' })).toBe(false);
    expect(readEntry(doc, id)).toBeNull();
  });
});

describe('deleteEntry', () => {
  it('removes an entry once and reports whether it existed', () => {
    const doc = new Y.Doc();
    const a = addEntry(doc, input({ title: 'a' }), 'Alice', NOW);
    const b = addEntry(doc, input({ title: 'b' }), 'Alice', NOW + 1);
    expect(deleteEntry(doc, a)).toBe(true);
    expect(readEntry(doc, a)).toBeNull();
    expect(readEntries(doc).map((e) => e.id)).toEqual([b]);
    expect(deleteEntry(doc, a)).toBe(false);
    expect(deleteEntry(doc, 'never-existed')).toBe(false);
  });
});

describe('two replicas exchanging updates', () => {
  it('converge after adds, updates and deletes on both sides', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const x = addEntry(a, input({ title: 'from A' }), 'Alice', NOW);
    const y = addEntry(b, input({ title: 'from B' }), 'Bob', NOW + 1);
    sync(a, b);
    expect(readEntries(a)).toEqual(readEntries(b));
    expect(readEntries(a).map((e) => e.title)).toEqual(['from A', 'from B']);

    updateEntry(b, x, { status: 'realise' }, NOW + 2);
    deleteEntry(a, y);
    sync(a, b);
    expect(readEntries(a)).toEqual(readEntries(b));
    expect(readEntries(a)).toHaveLength(1);
    expect(readEntry(a, x)!.status).toBe('realise');
    expect(a.getMap('entries').toJSON()).toEqual(b.getMap('entries').toJSON());
  });

  it('keeps concurrent edits of different fields of the same entry', () => {
    const a = new Y.Doc();
    const id = addEntry(a, input(), 'Alice', NOW);
    const b = replica(a);
    // concurrent, neither has seen the other's edit
    updateEntry(a, id, { title: 'Titre par A' }, NOW + 10);
    updateEntry(b, id, { status: 'realise', effectKtCO2e: -7 }, NOW + 20);
    sync(a, b);
    for (const doc of [a, b]) {
      const e = readEntry(doc, id)!;
      expect(e.title).toBe('Titre par A');
      expect(e.status).toBe('realise');
      expect(e.effectKtCO2e).toBe(-7);
      expect(e.description).toBe(input().description);
    }
    expect(readEntry(a, id)).toEqual(readEntry(b, id));
    // updatedAt is one of the two concurrent stamps, the same on both sides
    expect([NOW + 10, NOW + 20]).toContain(readEntry(a, id)!.updatedAt);
  });

  it('converges on a single value for concurrent edits of the same field', () => {
    const a = new Y.Doc();
    const id = addEntry(a, input(), 'Alice', NOW);
    const b = replica(a);
    updateEntry(a, id, { title: 'A' }, NOW + 1);
    updateEntry(b, id, { title: 'B' }, NOW + 1);
    sync(a, b);
    expect(readEntry(a, id)!.title).toBe(readEntry(b, id)!.title);
    expect(['A', 'B']).toContain(readEntry(a, id)!.title);
  });

  it('converges the same way whatever the order updates are applied in', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ua = captureUpdate(a, () => addEntry(a, input({ title: 'A' }), 'Alice', NOW, 'entry-aaaa'));
    const ub = captureUpdate(b, () => addEntry(b, input({ title: 'B' }), 'Bob', NOW, 'entry-bbbb'));
    const c1 = new Y.Doc();
    const c2 = new Y.Doc();
    Y.applyUpdate(c1, ua);
    Y.applyUpdate(c1, ub);
    Y.applyUpdate(c2, ub);
    Y.applyUpdate(c2, ua);
    expect(readEntries(c1)).toEqual(readEntries(c2));
    expect(readEntries(c1).map((e) => e.id)).toEqual(['entry-aaaa', 'entry-bbbb']);
  });
});

describe('observeEntries', () => {
  it('fires on remote add, field change and delete, and stops after unsubscribe', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    let calls = 0;
    const stop = observeEntries(b, () => calls++);

    const id = addEntry(a, input(), 'Alice', NOW);
    push(a, b);
    expect(calls).toBe(1);

    updateEntry(a, id, { title: 'changed' }, NOW + 1);
    push(a, b);
    expect(calls).toBe(2);
    expect(readEntry(b, id)!.title).toBe('changed');

    deleteEntry(a, id);
    push(a, b);
    expect(calls).toBe(3);

    stop();
    addEntry(a, input(), 'Alice', NOW + 2);
    push(a, b);
    expect(calls).toBe(3);
    expect(readEntries(b)).toHaveLength(1);
  });

  it('fires on local changes too, but not on meta changes', () => {
    const doc = new Y.Doc();
    let calls = 0;
    const stop = observeEntries(doc, () => calls++);
    const id = addEntry(doc, input(), 'Alice', NOW);
    expect(calls).toBe(1);
    updateEntry(doc, id, { title: input().title }); // no-op
    expect(calls).toBe(1);
    initDiagnosticMeta(doc, { schemaVersion: 1, workshopId: 'abcdefghijkl', regionCode: '53' });
    expect(calls).toBe(1);
    stop();
  });

  it('unsubscribing one observer leaves the others', () => {
    const doc = new Y.Doc();
    let first = 0;
    let second = 0;
    const stopFirst = observeEntries(doc, () => first++);
    const stopSecond = observeEntries(doc, () => second++);
    stopFirst();
    addEntry(doc, input(), 'Alice', NOW);
    expect(first).toBe(0);
    expect(second).toBe(1);
    stopSecond();
  });
});

describe('changedEntryIds', () => {
  it('reports an added entry', () => {
    const client = new Y.Doc();
    const server = receiver();
    let id = '';
    const update = captureUpdate(client, () => {
      id = addEntry(client, input(), 'Alice', NOW);
    });
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([id]);
    expect(touched.outside).toBe(false);
  });

  it('reports a modified entry (a field of its nested map changed)', () => {
    const client = new Y.Doc();
    const a = addEntry(client, input({ title: 'a' }), 'Alice', NOW);
    addEntry(client, input({ title: 'b' }), 'Alice', NOW);
    const server = receiver(client);
    const update = captureUpdate(client, () => updateEntry(client, a, { title: 'a2' }, NOW + 1));
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([a]);
    expect(touched.outside).toBe(false);
  });

  it('reports a deleted entry', () => {
    const client = new Y.Doc();
    const a = addEntry(client, input(), 'Alice', NOW);
    const b = addEntry(client, input(), 'Alice', NOW);
    const server = receiver(client);
    const update = captureUpdate(client, () => deleteEntry(client, b));
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([b]);
    expect(touched.entryIds.has(a)).toBe(false);
    expect(touched.outside).toBe(false);
  });

  it('reports every entry of a mixed transaction', () => {
    const client = new Y.Doc();
    const kept = addEntry(client, input(), 'Alice', NOW, 'kept-entry');
    const gone = addEntry(client, input(), 'Alice', NOW, 'gone-entry');
    const untouched = addEntry(client, input(), 'Alice', NOW, 'same-entry');
    const server = receiver(client);
    const update = captureUpdate(client, () =>
      client.transact(() => {
        updateEntry(client, kept, { status: 'prevu' }, NOW + 1);
        deleteEntry(client, gone);
        addEntry(client, input(), 'Alice', NOW + 1, 'new-entry1');
      }),
    );
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds].sort()).toEqual(['gone-entry', 'kept-entry', 'new-entry1']);
    expect(touched.entryIds.has(untouched)).toBe(false);
    expect(touched.outside).toBe(false);
  });

  it('says outside when the meta map changes', () => {
    const client = new Y.Doc();
    const server = receiver();
    const update = captureUpdate(client, () => metaMap(client).set('regionCode', '11'));
    const touched = applyAndCollect(server, update);
    expect(touched.outside).toBe(true);
    expect(touched.entryIds.size).toBe(0);
  });

  it('says outside when an unknown root type is created', () => {
    const client = new Y.Doc();
    const server = receiver();
    const update = captureUpdate(client, () => client.getText('sneaky').insert(0, 'hello'));
    const touched = applyAndCollect(server, update);
    expect(touched.outside).toBe(true);
    expect(touched.entryIds.size).toBe(0);
    expect([...server.share.keys()]).toContain('sneaky');
  });

  it('reports both the entries and outside when one transaction does both', () => {
    const client = new Y.Doc();
    const server = receiver();
    let id = '';
    const update = captureUpdate(client, () =>
      client.transact(() => {
        id = addEntry(client, input(), 'Alice', NOW);
        client.getMap('other').set('x', 1);
      }),
    );
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([id]);
    expect(touched.outside).toBe(true);
  });

  it('reports nothing for an update the document already has', () => {
    const client = new Y.Doc();
    const update = captureUpdate(client, () => addEntry(client, input(), 'Alice', NOW));
    const server = receiver(client);
    const touched = applyAndCollect(server, update);
    expect(touched.entryIds.size).toBe(0);
    expect(touched.outside).toBe(false);
  });

  it('works on local transactions as well', () => {
    const doc = new Y.Doc();
    const results: { entryIds: Set<string>; outside: boolean }[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => results.push(changedEntryIds(tr)));
    const id = addEntry(doc, input(), 'Alice', NOW);
    updateEntry(doc, id, { title: 'x' }, NOW + 1);
    expect(results.map((r) => [...r.entryIds])).toEqual([[id], [id]]);
    expect(results.every((r) => !r.outside)).toBe(true);
  });
});

/*
 * Regression: on a document whose 'entries' root was never accessed with getMap (a fresh Y.Doc that only received
 * updates, like the server's scratch twin), Yjs keeps the root as a generic AbstractType; calling getMap inside
 * afterTransaction used to swap in a new Y.Map, so adds and deletes went unreported.
 */
describe('changedEntryIds on a document whose entries root was never accessed', () => {
  it('reports an added entry and outside: false', () => {
    const client = new Y.Doc();
    let id = '';
    const update = captureUpdate(client, () => {
      id = addEntry(client, input(), 'Alice', NOW);
    });
    const touched = applyAndCollect(new Y.Doc(), update);
    expect([...touched.entryIds]).toEqual([id]);
    expect(touched.outside).toBe(false);
  });

  it('reports a deleted entry and outside: false', () => {
    const client = new Y.Doc();
    const id = addEntry(client, input(), 'Alice', NOW);
    const server = replica(client);
    const update = captureUpdate(client, () => deleteEntry(client, id));
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([id]);
    expect(touched.outside).toBe(false);
  });

  it('reports a modified field of an existing entry (works: the nested map is re-parented)', () => {
    const client = new Y.Doc();
    const id = addEntry(client, input(), 'Alice', NOW);
    const server = replica(client);
    const update = captureUpdate(client, () => updateEntry(client, id, { title: 'x' }, NOW + 1));
    const touched = applyAndCollect(server, update);
    expect([...touched.entryIds]).toEqual([id]);
    expect(touched.outside).toBe(false);
  });
});
