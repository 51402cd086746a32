import { readFileSync } from 'node:fs';
import { buildRegistry } from './app.js';
import { KubernetesCatalogSource } from './catalog/kubernetes-source.js';
import { readCatalogDir } from './catalog/load.js';
import type { Catalog } from './catalog/schema.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { ProbeServer } from './probe-server.js';
import { AuditSigner } from './services/audit-signer.js';
import { openStore } from './store/open.js';

/**
 * The only file that listens. Config is validated before anything starts; the catalog is
 * loaded before the port opens, so /readyz is green only with a catalog. The catalog is
 * reloaded without a restart: on every change of its ConfigMaps (kubernetes) or on SIGHUP
 * (files); a failed reload keeps the previous one. SIGTERM/SIGINT stop accepting work,
 * finish in-flight requests, flush usage and exit.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const keyFile = config.audit.signingKeyFile;
  // Read before the database opens: a missing or wrong key stops the start, not a later checkpoint.
  const auditSigner = keyFile
    ? AuditSigner.fromPem(readFileSync(keyFile, 'utf8'))
    : AuditSigner.ephemeral();
  if (!keyFile) logger.warn('audit checkpoints are signed with a key made at start (PGlite only)');
  const { store, applied } = await openStore(config);
  logger.info({ database: config.database.kind, applied }, 'database ready');

  const cat = config.catalog;
  let reload = (): void => undefined;
  let kube: KubernetesCatalogSource | undefined;
  let loadCatalog: () => Promise<Catalog>;
  if (cat.source === 'kubernetes') {
    kube = new KubernetesCatalogSource({
      namespace: cat.namespace,
      onChange: () => reload(),
      onError: (err) => logger.error({ err }, 'catalog watch failed; restarting it'),
    });
    await kube.start();
    const source = kube;
    loadCatalog = () => source.load();
  } else {
    loadCatalog = () => readCatalogDir(cat.dir);
  }
  const registry = await buildRegistry({ config, store, logger, loadCatalog, auditSigner });
  const { app } = registry;
  const where = cat.source === 'kubernetes' ? { namespace: cat.namespace } : { dir: cat.dir };

  // The kubelet's probes on a port and an event loop of their own (probe-server.ts).
  const probes = await ProbeServer.start({
    host: config.host,
    port: config.probePort,
    readiness: registry.readiness,
    onChange: (state, previous) => app.log.info({ state, previous }, 'readiness changed'),
    onExit: (err) => {
      app.log.fatal({ err }, 'the probe worker stopped; exiting');
      process.exit(1);
    },
  });
  // A backlog as deep as the connection cap: when many clients connect at once (a gateway
  // scaling out, a reconnect storm) the kubelet's probe SYN is not dropped and retried
  // seconds later.
  await app.listen({ host: config.host, port: config.port, backlog: config.maxConnections });
  const index = await registry.catalog.load();
  app.log.info({ ...where, ...index.size, keys: registry.keys.size }, 'catalog loaded');

  reload = () => {
    registry.catalog.refresh().then(
      (i) => app.log.info({ ...where, ...i.size }, 'catalog reloaded'),
      (err: unknown) =>
        app.log.error({ err }, 'catalog reload failed; still serving the previous one'),
    );
  };
  if (cat.source === 'files') process.on('SIGHUP', reload);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    probes.shuttingDown();
    const force = setTimeout(() => {
      app.log.error('shutdown timed out; exiting with requests in flight');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    Promise.all([app.close(), kube?.stop()]).then(
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
