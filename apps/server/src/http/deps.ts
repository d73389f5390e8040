import type { Store } from '../store/store.ts';
import type { Logger } from '../log.ts';
import type { SessionManager } from '../auth/sessions.ts';
import type { RateLimiter } from '../auth/rate-limit.ts';
import type { DocumentServer } from '../realtime/document-server.ts';
import type { HttpSecurity } from './context.ts';
import type { VoteService } from '../votes/vote-service.ts';
import type { WorkshopActivity } from '../groups/activity.ts';

/** What the HTTP routes need, built once by the server. */
export interface RouteDeps {
  store: Store;
  sessions: SessionManager;
  documents: DocumentServer;
  votes: VoteService;
  activity: WorkshopActivity;
  /** What keeps the server from serving now (empty when ready). */
  readiness: () => Promise<string[]>;
  log: Logger;
  security: HttpSecurity;
  limits: {
    /** Sign-in attempts per client address. */
    signInByAddress: RateLimiter;
    /** Sign-in attempts per e-mail address. */
    signInByEmail: RateLimiter;
    /** Joins (and join look-ups) per client address. */
    joinByAddress: RateLimiter;
  };
}
