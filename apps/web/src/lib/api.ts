/**
 * Typed client of the Agora COP REST API (served by apps/server on the same origin).
 * Every failure is thrown as an ApiError carrying a French message for the user.
 */
import type { CreateWorkshopInput, Workshop, WorkshopRole } from '@agora/domain';
import { t } from '$lib/i18n';

/** A field-level problem reported by the server (400 responses). */
export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RegionSummary {
  code: string;
  name: string;
  hasCatalogue: boolean;
}

export type PanoramaId = 'attenuation' | 'biodiversite-ressources';

export interface LeverObjective {
  objectiveKtCO2e: number | null;
  physical: { startPoint2019: number; ratio: number; unit: string; relative: boolean } | null;
  enabled: boolean;
}

/** One SGPE lever as declined for a region (shape of `GET /api/regions/:code/catalogue`). */
export interface RegionLever {
  id: string;
  name: string;
  sector: string;
  chantier: string;
  panorama: PanoramaId;
  indicator: string;
  unit: string;
  objective: LeverObjective | null;
}

export interface CatalogueSector {
  id: string;
  label: string;
}

export interface RegionCatalogue {
  regionCode: string;
  levers: RegionLever[];
  sectors: CatalogueSector[];
  source: { caveat: string; licence: string; [key: string]: unknown };
}

export interface RegionTerritories {
  region: { code: string; name: string };
  departements: { code: string; name: string }[];
  epcis: { siren: string; name: string }[];
  crtes: { code: string; name: string; epciSirens: string[] }[];
}

type Fetch = typeof fetch;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readIssues(body: unknown): ApiIssue[] {
  if (!isRecord(body) || !Array.isArray(body.issues)) return [];
  return body.issues.flatMap((i: unknown) =>
    isRecord(i) && typeof i.message === 'string'
      ? [{ path: typeof i.path === 'string' ? i.path : '', message: i.message }]
      : [],
  );
}

/** Calls the API and returns its JSON body; every failure is an ApiError (also used by api-identity.ts). */
export async function request<T>(fetchFn: Fetch, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(path, {
      ...init,
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.headers },
    });
  } catch {
    throw new ApiError(t.api.unreachable, 0);
  }
  let body: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const message = isRecord(body) && typeof body.error === 'string' ? body.error : t.api.httpError(res.status);
    throw new ApiError(message, res.status, readIssues(body));
  }
  if (body === null) throw new ApiError(t.api.badResponse, res.status);
  return body as T;
}

export async function listWorkshops(fetchFn: Fetch = fetch): Promise<Workshop[]> {
  const body = await request<{ workshops: Workshop[] }>(fetchFn, '/api/workshops');
  return body.workshops;
}

export async function getWorkshop(id: string, fetchFn: Fetch = fetch): Promise<Workshop> {
  const body = await request<{ workshop: Workshop }>(fetchFn, `/api/workshops/${encodeURIComponent(id)}`);
  return body.workshop;
}

/** The seat the creator takes in a new workshop. */
export type CreatorRole = Extract<WorkshopRole, 'animateur' | 'copresident-etat' | 'copresident-region'>;

export async function createWorkshop(input: CreateWorkshopInput & { creatorRole?: CreatorRole }, fetchFn: Fetch = fetch): Promise<Workshop> {
  const body = await request<{ workshop: Workshop }>(fetchFn, '/api/workshops', {
    method: 'POST',
    body: JSON.stringify(input),
  });
  return body.workshop;
}

export async function listRegions(fetchFn: Fetch = fetch): Promise<RegionSummary[]> {
  const body = await request<{ regions: RegionSummary[] }>(fetchFn, '/api/regions');
  return body.regions;
}

export function getCatalogue(regionCode: string, fetchFn: Fetch = fetch): Promise<RegionCatalogue> {
  return request<RegionCatalogue>(fetchFn, `/api/regions/${encodeURIComponent(regionCode)}/catalogue`);
}

export function getTerritories(regionCode: string, fetchFn: Fetch = fetch): Promise<RegionTerritories> {
  return request<RegionTerritories>(fetchFn, `/api/regions/${encodeURIComponent(regionCode)}/territories`);
}

/** The viewer's membership and rights in a workshop, when the server knows them (`GET /api/workshops/:id/me`). */
export interface WorkshopMe {
  member: { id: string; name: string; organisation: string; groupId?: string | null } | null;
  /** The viewer's role (null: an administrator who is not a member). */
  role: WorkshopRole | null;
  isAdmin: boolean;
  rights: string[];
}

export async function getMyAccess(id: string, fetchFn: Fetch = fetch): Promise<WorkshopMe> {
  const body = await request<Partial<WorkshopMe>>(fetchFn, `/api/workshops/${encodeURIComponent(id)}/me`);
  const m = body.member;
  return {
    member:
      m && typeof m.name === 'string'
        ? {
            id: typeof m.id === 'string' ? m.id : '',
            name: m.name,
            organisation: typeof m.organisation === 'string' ? m.organisation : '',
            // The breakout group the member is in (null: none).
            groupId: typeof m.groupId === 'string' ? m.groupId : null,
          }
        : null,
    role: typeof body.role === 'string' ? body.role : null,
    isAdmin: body.isAdmin === true,
    rights: Array.isArray(body.rights) ? body.rights.filter((r): r is string => typeof r === 'string') : [],
  };
}
