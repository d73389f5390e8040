// The app is driven by live data (REST API and WebSocket): SvelteKit only serves the shell.
export const ssr = false;
