import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const apiTarget = `http://127.0.0.1:${process.env.AGORA_API_PORT ?? 3000}`;

// In development the API, health check and document WebSockets are served by apps/server;
// in production apps/server mounts the built handler on the same port, so URLs stay relative.
const proxy = {
  '/api': { target: apiTarget },
  '/healthz': { target: apiTarget },
  '/ws': { target: apiTarget, ws: true },
};

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy },
  preview: { proxy },
});
