import * as z from 'zod';

/** A breakout group: its own part of the diagnostic, on a theme (sectors or levers). */
export interface Group {
  id: string;
  workshopId: string;
  name: string;
  /** Sectors (catalogue sector ids) the group works on; empty: any. */
  sectors: string[];
  /** Levers the group works on; empty: any lever of its sectors. */
  leverIds: string[];
  createdAt: string;
}

export const CreateGroupInputSchema = z.strictObject({
  name: z.string().trim().min(2, 'le nom du groupe doit faire au moins 2 caractères').max(80),
  sectors: z.array(z.string().min(1).max(40)).max(20).default([]),
  leverIds: z.array(z.string().min(1).max(64)).max(100).default([]),
});
export type CreateGroupInput = z.infer<typeof CreateGroupInputSchema>;

export const UpdateGroupInputSchema = CreateGroupInputSchema.partial();

/** Puts members in a group (or takes them out with `groupId: null`). */
export const AssignGroupInputSchema = z.strictObject({
  memberIds: z.array(z.string().min(1).max(64)).min(1).max(500),
  groupId: z.string().min(1).max(16).nullable(),
});

/** What the control room shows of a group, kept live by the server in the live document (`groups` map). */
export interface GroupActivity {
  groupId: string;
  /** Members with the group's document open right now (observers excluded). */
  online: { memberId: string; name: string }[];
  entries: number;
  /** Entries per status. */
  byStatus: Record<string, number>;
  /** Distinct levers the group's entries cover. */
  leversCovered: string[];
  /** ISO time of the last accepted edit, or null. */
  lastActivity: string | null;
}

/** One accepted change of one diagnostic entry, as kept in its history. */
export interface EntryChange {
  entryId: string;
  document: string;
  kind: 'create' | 'update' | 'delete';
  /** Changed fields with their values before and after (create: after only; delete: before only). */
  fields: Record<string, { before: unknown; after: unknown }>;
  memberId: string | null;
  authorName: string;
  at: string;
}
