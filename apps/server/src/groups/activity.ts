import {
  documentName,
  groupDocumentName,
  liveGroupsMap,
  parseDocumentName,
  readEntries,
  type DiagnosticEntry,
  type EntryChange,
  type GroupActivity,
  type Group,
} from '@agora/domain';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { ChangeAuthor, DocumentRoom, RoomHooks } from '../realtime/room.ts';
import type { RoomRegistry } from '../realtime/rooms.ts';
import type { EntryDiff } from '../realtime/policies.ts';

/** History is written in batches, at most this long after a change; updates within it are merged. */
const HISTORY_WINDOW_MS = 1000;

/** The group and its activity, as the control room reads it from the live document. */
export type PublicGroupState = Group & { activity: GroupActivity };

/**
 * Keeps the control room live: when a breakout group's document changes or people come and go, the group's
 * activity is recomputed (debounced) and written into the workshop's live document. Also stores the history
 * of accepted entry changes, batched (and successive updates of an entry by one person merged) over a second.
 */
export class WorkshopActivity implements RoomHooks {
  private rooms: RoomRegistry | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastEdit = new Map<string, string>();
  private history: EntryChange[] = [];
  /** The last pending update per entry, which later updates by the same person merge into. */
  private readonly openUpdates = new Map<string, EntryChange>();
  private historyFlush: NodeJS.Timeout | null = null;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    // Presence (who has the group open) changes without edits: refresh loaded groups every few seconds.
    this.sweeper = setInterval(() => {
      for (const room of this.rooms?.loadedRooms() ?? []) if (parseDocumentName(room.name)?.part === 'group') this.touch(room);
    }, 5_000);
    this.sweeper.unref();
  }

  attach(rooms: RoomRegistry): void {
    this.rooms = rooms;
  }

  changed(room: DocumentRoom, author: ChangeAuthor, diffs: EntryDiff[]): void {
    const at = new Date().toISOString();
    for (const d of diffs) {
      const change: EntryChange = { ...d, document: room.name, memberId: author.memberId, authorName: author.name, at };
      const key = `${room.name}\u0000${d.entryId}`;
      const open = this.openUpdates.get(key);
      // Successive updates of one entry by one person within the window are one change (first before, last after):
      // a burst of edits to a title is one line of history, not one per keystroke.
      if (open && d.kind === 'update' && open.kind === 'update' && open.memberId === change.memberId && open.authorName === change.authorName) {
        for (const [field, v] of Object.entries(d.fields)) {
          const prev = open.fields[field];
          open.fields[field] = { before: prev ? prev.before : v.before, after: v.after };
        }
        open.at = at;
        continue;
      }
      if (open) this.openUpdates.delete(key);
      this.history.push(change);
      if (d.kind === 'update') this.openUpdates.set(key, change);
    }
    this.historyFlush ??= setTimeout(() => void this.flushHistory(), HISTORY_WINDOW_MS);
    this.lastEdit.set(room.name, at);
    this.touch(room);
  }

  connections(room: DocumentRoom): void {
    this.touch(room);
  }

  /** Stores the pending history now (before it is read, and at shutdown). */
  async flushHistory(): Promise<void> {
    if (this.historyFlush) clearTimeout(this.historyFlush);
    this.historyFlush = null;
    const batch = this.history;
    this.history = [];
    this.openUpdates.clear();
    if (batch.length === 0) return;
    try {
      await this.store.appendHistory(batch);
    } catch (err) {
      this.log.error('history not stored', { error: String(err), changes: batch.length });
    }
  }

  /** Schedules a recomputation of a group's activity. */
  touch(room: DocumentRoom): void {
    const parsed = parseDocumentName(room.name);
    if (parsed?.part !== 'group' || this.timers.has(room.name)) return;
    const t = setTimeout(() => {
      this.timers.delete(room.name);
      void this.publish(room, parsed.groupId).catch((err: unknown) => this.log.warn('group activity not published', { error: String(err) }));
    }, 300);
    t.unref();
    this.timers.set(room.name, t);
  }

  /** Writes a group (and, when its room is loaded, its activity) into the live document. */
  async publishGroup(group: Group, room: DocumentRoom | null): Promise<void> {
    if (!this.rooms) return;
    const workshop = await this.store.getWorkshop(group.workshopId);
    if (!workshop) return;
    const activity = room ? this.activityOf(room, group.id) : await this.storedActivity(group);
    const state: PublicGroupState = { ...group, activity };
    await this.rooms.write(documentName(workshop.id, 'live'), workshop, (live) => {
      live.doc.transact(() => liveGroupsMap(live.doc).set(group.id, JSON.stringify(state)), 'server');
    });
  }

  async removeGroup(workshopId: string, groupId: string): Promise<void> {
    const workshop = await this.store.getWorkshop(workshopId);
    if (!workshop || !this.rooms) return;
    await this.rooms.write(documentName(workshop.id, 'live'), workshop, (live) => {
      live.doc.transact(() => liveGroupsMap(live.doc).delete(groupId), 'server');
    });
  }

  private async publish(room: DocumentRoom, groupId: string): Promise<void> {
    if (room.destroyed) return;
    const group = await this.store.getGroup(groupId);
    if (group) await this.publishGroup(group, room);
  }

  private activityOf(room: DocumentRoom, groupId: string): GroupActivity {
    const entries = readEntries(room.doc);
    const byStatus: Record<string, number> = {};
    for (const e of entries) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    // Present = announced in presence; someone looking in from the control room announces nothing.
    const present = new Map<string, string>();
    const announced = new Set(room.presence.states().map((s) => s.clientId));
    for (const c of room.connections) {
      const id = c.identity;
      if (id?.memberId && [...c.clientIds].some((cid) => announced.has(cid))) present.set(id.memberId, id.name);
    }
    return {
      groupId,
      online: [...present].map(([memberId, name]) => ({ memberId, name })),
      entries: entries.length,
      byStatus,
      leversCovered: [...new Set(entries.map((e) => e.lever))].sort(),
      lastActivity: latest(this.lastEdit.get(room.name) ?? null, entries),
    };
  }

  /** The activity of a group whose document is not loaded here: read from its stored document. */
  private async storedActivity(group: Group): Promise<GroupActivity> {
    const workshop = await this.store.getWorkshop(group.workshopId);
    if (!workshop || !this.rooms) return { groupId: group.id, online: [], entries: 0, byStatus: {}, leversCovered: [], lastActivity: null };
    return this.rooms.write(groupDocumentName(workshop.id, group.id), workshop, (room) => this.activityOf(room, group.id));
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    void this.flushHistory();
  }
}

/**
 * Last activity: the last edit seen by this instance, or else the latest change stored in the entries
 * (so that it survives a restart and is the same on every instance). Deletions leave no trace in entries.
 */
function latest(seen: string | null, entries: readonly DiagnosticEntry[]): string | null {
  let max = 0;
  for (const e of entries) if (e.updatedAt > max) max = e.updatedAt;
  const stored = max > 0 ? new Date(max).toISOString() : null;
  if (seen === null) return stored;
  if (stored === null) return seen;
  return seen > stored ? seen : stored;
}
