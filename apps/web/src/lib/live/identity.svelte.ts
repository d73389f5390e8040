/**
 * The participant's display name and organisation, asked once per browser and kept in localStorage.
 */
import type { Identity } from './diagnostic-session.svelte.ts';

const STORAGE_KEY = 'agora-cop:identity';

/** Same limits as the presence schema of the domain (user.name ≤ 80, organisation ≤ 120). */
export const IDENTITY_LIMITS = { name: 80, organisation: 120 } as const;

function load(): Identity | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { name, organisation } = value as Record<string, unknown>;
    if (typeof name !== 'string' || !name.trim() || name.trim().length > IDENTITY_LIMITS.name) return null;
    const org = typeof organisation === 'string' ? organisation.trim().slice(0, IDENTITY_LIMITS.organisation) : '';
    return { name: name.trim(), organisation: org };
  } catch {
    return null; // storage disabled or corrupted: ask again
  }
}

class IdentityStore {
  current = $state<Identity | null>(null);
  #loaded = false;

  /** Reads localStorage (browser only; call from onMount or an effect). */
  init(): Identity | null {
    if (!this.#loaded) {
      this.#loaded = true;
      this.current = load();
    }
    return this.current;
  }

  save(identity: Identity): void {
    const value = { name: identity.name.trim(), organisation: identity.organisation.trim() };
    this.current = value;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch {
      // Private mode or quota: keep it for this page only.
    }
  }
}

export const identity = new IdentityStore();
