import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

const config = loadConfig();
const server = await startServer(config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.log.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  });
}
