// The project layout expects a Svelte config at the top; the web app's is the real one.
export { default } from './apps/web/svelte.config.js';
