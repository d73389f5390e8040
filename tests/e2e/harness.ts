import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { projectStartFlags } from '../../bench/lib/servers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const requireServices = process.env.REQUIRE_SERVICES === '1';

/**
 * Whether browser tests can run here. Without Chromium or the web build they are skipped with a message,
 * except under REQUIRE_SERVICES=1 (CI), where the test fails instead.
 */
export function browserTestsAvailable(): boolean {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  if (!fs.existsSync(path.join(root, 'apps/web/build/handler.js'))) missing.push('the web build (pnpm build)');
  if (missing.length === 0) return true;
  if (requireServices) return true; // let the test run and fail loudly
  console.warn(`Skipping browser tests: missing ${missing.join(' and ')}.`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real app (`pnpm start` equivalent) as a child process on a free port with its own data dir. */
export async function startApp(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-e2e-'))): Promise<AppProcess> {
  const port = await freePort();
  // As `pnpm start` runs it: the compiled server (`pnpm build` first), with the start script's Node flags.
  const serverDir = path.join(root, 'apps/server');
  if (!fs.existsSync(path.join(serverDir, 'dist/main.js'))) throw new Error('apps/server/dist/main.js is missing: run `pnpm build` first');
  const child: ChildProcess = spawn(process.execPath, [...projectStartFlags(), 'dist/main.js'], {
    cwd: serverDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('app did not start within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A fresh headless Chromium profile (Debian's Chromium; playwright-core never downloads a browser). */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
