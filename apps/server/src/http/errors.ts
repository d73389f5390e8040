import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import { CONTROL_CHARACTER_MESSAGE, findControlCharacter } from '@agora/domain';

export interface ApiErrorBody {
  error: string;
  /** Machine-readable reason where a client must tell errors apart (e.g. `not-open`, `already-voted`). */
  code?: string;
  issues?: { path: string; message: string }[];
}

export function apiError(c: Context, status: ContentfulStatusCode, error: string, issues?: ApiErrorBody['issues'], code?: string) {
  const body: ApiErrorBody = { error, ...(issues ? { issues } : {}), ...(code ? { code } : {}) };
  if (status === 503) c.header('Retry-After', '2');
  return c.json(body, status);
}

/** Reads a JSON body and validates it with a domain schema; returns the data or the 400 response to send. */
export async function readBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, response: apiError(c, 400, 'corps de requête JSON invalide') };
  }
  const control = findControlCharacter(raw);
  if (control !== null) return { ok: false, response: apiError(c, 400, 'données invalides', [{ path: control, message: CONTROL_CHARACTER_MESSAGE }]) };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { ok: false, response: apiError(c, 400, 'données invalides', issues) };
  }
  return { ok: true, data: parsed.data };
}
