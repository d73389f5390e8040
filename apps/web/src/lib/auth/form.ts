/**
 * Small helpers shared by the identity forms: field errors, the error summary, and server errors mapped to fields.
 */
import { EmailSchema, type ActorCategory } from '@agora/domain';
import { ApiError } from '$lib/api';
import { t } from '$lib/i18n';
import type { SummaryItem } from '$lib/components/types';

export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

/** The summary above a form: the form-level error first, then each field's, in the form's order, linked to it. */
export function summaryOf<F extends string>(errors: FormErrors<F>, ids: Record<F, string>): SummaryItem[] {
  const items: SummaryItem[] = [];
  if (errors.form) items.push({ target: null, message: errors.form });
  for (const field of Object.keys(ids) as F[]) {
    const message = errors[field];
    if (message) items.push({ target: ids[field], message });
  }
  return items;
}

/**
 * A failed request as form errors: the server's field issues on their fields (capitalised), anything else on the
 * form. A 401 is the caller's business (see handleApiError).
 */
export function errorsFromApi<F extends string>(err: unknown, fields: readonly F[]): FormErrors<F> {
  const out: FormErrors<F> = {};
  if (!(err instanceof ApiError)) {
    out.form = String(err);
    return out;
  }
  // 400: schema issues, each precise. Other statuses (404, 409…): the main message says more than the issue's.
  const useMain = err.status !== 400;
  for (const issue of err.issues) {
    const p = issue.path.split('.')[0] ?? '';
    const field = fields.find((f) => f === p);
    const message = t.auth.errors.server(useMain ? err.message : issue.message);
    if (field) out[field] ??= message;
    else out.form ??= message;
  }
  if (Object.keys(out).length === 0) out.form = t.auth.errors.server(err.message);
  return out;
}

export function checkEmail(value: string): string | undefined {
  if (!value.trim()) return t.auth.errors.emailRequired;
  return EmailSchema.safeParse(value).success ? undefined : t.auth.errors.emailInvalid;
}

export function checkNewPassword(value: string): string | undefined {
  if (!value) return t.auth.errors.passwordRequired;
  if (value.length < 12) return t.auth.errors.passwordTooShort;
  if (value.length > 256) return t.auth.errors.passwordTooLong;
  return undefined;
}

export function checkName(value: string): string | undefined {
  if (!value.trim()) return t.auth.errors.nameRequired;
  return value.trim().length > 80 ? t.auth.errors.nameTooLong : undefined;
}

export function checkOrganisation(value: string): string | undefined {
  if (!value.trim()) return t.auth.errors.organisationRequired;
  return value.trim().length > 200 ? t.auth.errors.organisationTooLong : undefined;
}

/** The confirmation of a new password: only checked once the password itself is typed. */
export function checkPasswordConfirm(password: string, confirm: string): string | undefined {
  return password && confirm !== password ? t.auth.errors.passwordMismatch : undefined;
}

/** The identity of an account being created (first-run setup, or an administrator creating an organiser's). */
export type IdentityField = 'email' | 'name' | 'organisation' | 'category';

export interface IdentityValues {
  email: string;
  name: string;
  organisation: string;
  category: ActorCategory | '';
}

/** The identity fields' errors (not compacted: spread them into the form's, then `compact`). */
export function checkIdentity(values: IdentityValues): FormErrors<IdentityField> {
  return {
    email: checkEmail(values.email),
    name: checkName(values.name),
    organisation: checkOrganisation(values.organisation),
    category: values.category ? undefined : t.auth.errors.categoryRequired,
  };
}

/** Drops the fields without error. */
export function compact<F extends string>(errors: FormErrors<F>): FormErrors<F> {
  const out: FormErrors<F> = {};
  for (const [k, v] of Object.entries(errors) as [F | 'form', string | undefined][]) if (v) out[k] = v;
  return out;
}
