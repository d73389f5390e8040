import { actorName, type WorkshopAccess, type Viewer } from '../auth/access.ts';
import { randomId } from '../auth/tokens.ts';
import type { Store } from '../store/store.ts';

/** Records a moderation action in the workshop's audit log (who, what, when). */
export function audit(
  store: Store,
  access: WorkshopAccess,
  viewer: Viewer | null,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return store.appendAudit({
    id: randomId(),
    workshopId: access.workshop.id,
    actorId: access.member?.id ?? null,
    actorName: actorName(access, viewer),
    action,
    details,
    at: new Date().toISOString(),
  });
}
