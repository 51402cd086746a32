// Builds the image's JavaScript: one bundle a program (the server, the migration command run by
// the init container) plus constants.js, which the image smoke test reads MIGRATE_COMMAND from.
// Bundled rather than installed: the runtime dependencies' node_modules held 63 MB
// (@kubernetes/client-node's generated models above all), the bundles hold what the programs
// import. Type checking is tsc's job (`npm run build` runs it first); this only emits.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/server.ts', 'src/migrate.ts', 'src/constants.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Stack traces name the source files (the ENTRYPOINT runs node --enable-source-maps).
  sourcemap: true,
  minifySyntax: true,
  minifyWhitespace: true,
  // PGlite is a development database (open.ts says so when it is absent); pg-native is pg's
  // optional native binding, which the image does not use.
  external: ['@electric-sql/pglite', 'pg-native'],
  // The CommonJS dependencies (pg, fastify's, client-node's) call require() for node: modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
