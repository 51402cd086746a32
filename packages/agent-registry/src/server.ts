import { buildRegistry } from './app.js';
import { readCatalogFile } from './catalog/load.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openStore } from './store/open.js';

/**
 * The only file that listens. Config is validated before anything starts; the catalog is
 * loaded before the port opens, so /readyz is green only with a catalog; SIGHUP reloads it;
 * SIGTERM/SIGINT stop accepting work, finish in-flight requests, flush usage and exit.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const { store, applied } = await openStore(config);
  logger.info({ database: config.database.kind, applied }, 'database ready');
  const registry = await buildRegistry({
    config,
    store,
    logger,
    loadCatalog: () => readCatalogFile(config.catalogFile),
  });
  const { app } = registry;

  await app.listen({ host: config.host, port: config.port });
  const index = await registry.catalog.load();
  app.log.info({ file: config.catalogFile, ...index.size }, 'catalog loaded');

  process.on('SIGHUP', () => {
    registry.catalog.load().then(
      (i) => app.log.info({ file: config.catalogFile, ...i.size }, 'catalog reloaded'),
      (err: unknown) =>
        app.log.error({ err }, 'catalog reload failed; still serving the previous one'),
    );
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown timed out; exiting with requests in flight');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // Before the logger exists (bad config) stderr is the only place to say why.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
