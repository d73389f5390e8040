/**
 * API client of breakout groups and of the tools around the diagnostic: groups and their members, group invitation
 * links, per-entry history, exports, consolidation of the groups into the plenary diagnostic, and import of a file.
 * Failures are ApiErrors (see $lib/api) with a French message.
 */
import type { DiagnosticEntry, DuplicateDecision, EntryChange, Group, ImportDefaults, ImportMapping } from '@agora/domain';
import { ApiError, request } from '$lib/api';
import type { InvitationRow } from '$lib/api-identity';
import { t } from '$lib/i18n';

type Fetch = typeof fetch;

const enc = encodeURIComponent;
const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
const base = (workshopId: string): string => `/api/workshops/${enc(workshopId)}`;

/** `diagnostic` or `group-<groupId>`: which document of a workshop (history, exports, import). */
export type DocumentRef = 'diagnostic' | `group-${string}`;

/** The document part of a document name (`<workshopId>:diagnostic` → `diagnostic`). */
export function documentRefOf(documentName: string): { workshopId: string; document: DocumentRef } {
  const i = documentName.indexOf(':');
  const part = documentName.slice(i + 1);
  return { workshopId: documentName.slice(0, i), document: part.startsWith('group-') ? (part as DocumentRef) : 'diagnostic' };
}

// ---------- Groups ----------

export interface GroupInput {
  name: string;
  sectors: string[];
  leverIds: string[];
}

export async function listGroups(workshopId: string, fetchFn: Fetch = fetch): Promise<Group[]> {
  return (await request<{ groups: Group[] }>(fetchFn, `${base(workshopId)}/groups`)).groups;
}

export async function createGroup(workshopId: string, input: GroupInput, fetchFn: Fetch = fetch): Promise<Group> {
  return (await request<{ group: Group }>(fetchFn, `${base(workshopId)}/groups`, post(input))).group;
}

export async function updateGroup(workshopId: string, groupId: string, input: Partial<GroupInput>, fetchFn: Fetch = fetch): Promise<Group> {
  const init: RequestInit = { method: 'PATCH', body: JSON.stringify(input) };
  return (await request<{ group: Group }>(fetchFn, `${base(workshopId)}/groups/${enc(groupId)}`, init)).group;
}

/** Refused (409, with the server's French reason) while the group's document holds entries. */
export async function deleteGroup(workshopId: string, groupId: string, fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, `${base(workshopId)}/groups/${enc(groupId)}`, { method: 'DELETE' });
}

/** Puts members in a group, or takes them out (`groupId: null`). */
export async function assignMembers(workshopId: string, memberIds: string[], groupId: string | null, fetchFn: Fetch = fetch): Promise<void> {
  await request(fetchFn, `${base(workshopId)}/groups-assign`, post({ memberIds, groupId }));
}

/** An invitation link whose people land in the group (participants). */
export async function createGroupInvitation(
  workshopId: string,
  group: Pick<Group, 'id' | 'name'>,
  expiresInHours = 72,
  fetchFn: Fetch = fetch,
): Promise<InvitationRow> {
  const body = { role: 'participant', label: t.groups.manage.invitationLabel(group.name).slice(0, 80), groupId: group.id, expiresInHours, maxUses: null };
  return (await request<{ invitation: InvitationRow }>(fetchFn, `${base(workshopId)}/invitations`, post(body))).invitation;
}

// ---------- History and exports ----------

export type HistoryItem = Pick<EntryChange, 'kind' | 'fields' | 'authorName' | 'at'>;

export async function getEntryHistory(workshopId: string, entryId: string, document: DocumentRef, fetchFn: Fetch = fetch): Promise<HistoryItem[]> {
  const path = `${base(workshopId)}/entries/${enc(entryId)}/history?document=${enc(document)}`;
  const body = await request<{ history?: unknown }>(fetchFn, path);
  return Array.isArray(body.history) ? (body.history as HistoryItem[]) : [];
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ods', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportUrl(workshopId: string, format: ExportFormat, document: DocumentRef): string {
  return `${base(workshopId)}/diagnostic/export/${format}?document=${enc(document)}`;
}

// ---------- Consolidation ----------

export interface PlanAddition {
  groupId: string;
  groupName: string;
  entry: DiagnosticEntry;
}

export interface PlanDuplicateEntry {
  source: 'plenary' | 'group';
  groupId: string | null;
  groupName: string | null;
  entry: DiagnosticEntry;
}

export interface PlanDuplicate {
  id: string;
  reason: string;
  entries: PlanDuplicateEntry[];
}

export interface ConsolidationPlan {
  additions: PlanAddition[];
  duplicates: PlanDuplicate[];
}

export function getConsolidationPlan(workshopId: string, fetchFn: Fetch = fetch): Promise<ConsolidationPlan> {
  return request<ConsolidationPlan>(fetchFn, `${base(workshopId)}/consolidation/plan`, { method: 'POST' }).then((p) => ({
    additions: Array.isArray(p.additions) ? p.additions : [],
    duplicates: Array.isArray(p.duplicates) ? p.duplicates : [],
  }));
}

export interface ConsolidationResult {
  added: number;
  merged: number;
  /** Merges that could not be written whole and kept every entry instead (French, one per cluster). */
  warnings: { clusterId: string; message: string }[];
}

export function applyConsolidation(
  workshopId: string,
  decisions: Record<string, DuplicateDecision>,
  fetchFn: Fetch = fetch,
): Promise<ConsolidationResult> {
  return request<Partial<ConsolidationResult>>(fetchFn, `${base(workshopId)}/consolidation/apply`, post({ decisions })).then((r) => ({
    added: typeof r.added === 'number' ? r.added : 0,
    merged: typeof r.merged === 'number' ? r.merged : 0,
    warnings: Array.isArray(r.warnings) ? r.warnings : [],
  }));
}

// ---------- Import ----------

// The import fields, mapping, defaults and limits are the domain's (the server checks the same ones).
export { IMPORT_FIELDS, IMPORT_MAX_BYTES, type ImportDefaults, type ImportField, type ImportMapping } from '@agora/domain';
export type { DuplicateDecision } from '@agora/domain';

export interface ImportPreview {
  importId: string;
  fileName: string;
  header: string[];
  sample: string[][];
  total: number;
  mapping: ImportMapping;
}

export interface ImportValidation {
  valid: { rowNumber: number; input: Record<string, unknown> }[];
  errors: { rowNumber: number; field?: string; message: string }[];
  total: number;
}

export const IMPORT_EXTENSIONS = ['.csv', '.xlsx'] as const;

/** Uploads the file (multipart, field `file`): nothing is written yet. */
export async function previewImport(workshopId: string, file: File, fetchFn: Fetch = fetch): Promise<ImportPreview> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    // Not through `request`: the browser sets the multipart content type (with its boundary) itself.
    res = await fetchFn(`${base(workshopId)}/import/preview`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(t.api.unreachable, 0);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (!res.ok) {
    if (res.status === 413) throw new ApiError(t.groups.import.tooLarge, 413);
    throw new ApiError(typeof record.error === 'string' ? record.error : t.api.httpError(res.status), res.status);
  }
  if (typeof record.importId !== 'string' || !Array.isArray(record.header)) throw new ApiError(t.api.badResponse, res.status);
  return {
    importId: record.importId,
    fileName: typeof record.fileName === 'string' ? record.fileName : file.name,
    header: (record.header as unknown[]).map(String),
    sample: Array.isArray(record.sample) ? (record.sample as unknown[][]).map((row) => (Array.isArray(row) ? row.map((c) => (c == null ? '' : String(c))) : [])) : [],
    total: typeof record.total === 'number' ? record.total : 0,
    mapping: typeof record.mapping === 'object' && record.mapping !== null ? (record.mapping as ImportMapping) : {},
  };
}

export function validateImport(
  workshopId: string,
  input: { importId: string; mapping: ImportMapping; defaults: ImportDefaults },
  fetchFn: Fetch = fetch,
): Promise<ImportValidation> {
  return request<ImportValidation>(fetchFn, `${base(workshopId)}/import/validate`, post(input)).then((v) => ({
    valid: Array.isArray(v.valid) ? v.valid : [],
    errors: Array.isArray(v.errors) ? v.errors : [],
    total: typeof v.total === 'number' ? v.total : 0,
  }));
}

export function commitImport(
  workshopId: string,
  input: { importId: string; mapping: ImportMapping; defaults: ImportDefaults; document: DocumentRef },
  fetchFn: Fetch = fetch,
): Promise<{ written: number; errors: unknown }> {
  return request<{ written: number; errors: unknown }>(fetchFn, `${base(workshopId)}/import/commit`, post(input));
}

/** Forgets an uploaded file when the person cancels (nothing was written; uploads also expire after an hour). */
export function cancelImport(workshopId: string, importId: string, fetchFn: Fetch = fetch): void {
  void fetchFn(`${base(workshopId)}/import/${enc(importId)}`, { method: 'DELETE', keepalive: true, headers: { accept: 'application/json' } }).catch(
    () => undefined,
  );
}
