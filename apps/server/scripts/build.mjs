// Compiles the server to plain JavaScript in dist/ (what `pnpm start` runs). Our code, @agora/domain (TypeScript
// source) and the pure JavaScript dependencies are bundled, so that only what the server uses is loaded: the heap is
// what every garbage collection walks, and a smaller one means shorter pauses in the realtime path (BENCHMARKS.md).
// Left as imports resolved from node_modules at run time: Yjs and its protocols (one copy per process, shared with
// the SvelteKit pages), native addons, pino (it loads its transports by file name), the territory reference data
// (read by file name), and the heavy libraries loaded on first use only (PostgreSQL, Redis, spreadsheet, PDF, CSV).
// Splitting keeps the sources' lazy imports in chunks of their own, loaded on first use as before.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = [
  // One Yjs per process: the SvelteKit pages served from the same process import it from node_modules too.
  'yjs',
  'y-protocols',
  'y-protocols/*',
  'lib0',
  'lib0/*',
  'better-sqlite3',
  '@node-rs/argon2',
  'pino',
  '@etalab/decoupage-administratif',
  '@etalab/decoupage-administratif/*',
  'pg',
  'redis',
  'exceljs',
  'pdfkit',
  'csv-parse',
  'csv-parse/*',
  'fflate',
];

// Built beside dist/ and swapped in whole, so a server running from dist/ never sees it half written (chunk names
// are content hashes: a server started from the same sources finds its lazy chunks under the same names).
const dist = path.join(root, 'dist');
const next = path.join(root, `dist.next-${process.pid}`);
const old = path.join(root, `dist.old-${process.pid}`);
rmSync(next, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', 'src/cli/create-admin.ts'],
  outdir: next,
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external,
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __agoraCreateRequire } from 'node:module';\nconst require = __agoraCreateRequire(import.meta.url);" },
  sourcemap: 'linked', // used only under `node --enable-source-maps` (see README)
  logLevel: 'warning',
});
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
