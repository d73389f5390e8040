// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Viewer } from '$lib/api-identity';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** Who is signed in, validated by the `handle` hook (src/hooks.server.ts) on every request. */
      viewer: Viewer;
    }
    interface PageData {
      /** From the root +layout.server.ts. */
      viewer: Viewer;
    }
  }
}

export {};
