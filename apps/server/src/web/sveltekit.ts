import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Loads the SvelteKit app built by adapter-node (`handler.js`), to serve the pages on the same port as the API.
 * Without a build, answers with a page saying how to make one.
 */
export async function loadWebHandler(buildDir: string): Promise<{ handler: NodeHandler; built: boolean }> {
  const file = path.join(buildDir, 'handler.js');
  if (fs.existsSync(file)) {
    const mod = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
    return { handler: mod.handler, built: true };
  }
  const handler: NodeHandler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end("L'application web n'est pas construite : lancez `pnpm build` puis redémarrez le serveur.\n");
  };
  return { handler, built: false };
}
