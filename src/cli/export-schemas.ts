import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { specJsonSchemas } from '../spec/json-schema';

// Writes schemas/spec/*.schema.json, which the spec files reference for editor support.
const dir = path.join(process.cwd(), 'schemas', 'spec');
mkdirSync(dir, { recursive: true });
for (const [name, content] of specJsonSchemas()) writeFileSync(path.join(dir, name), content);
process.stderr.write(
  `schemas: wrote ${[...specJsonSchemas().keys()].map((n) => `schemas/spec/${n}`).join(', ')}\n`,
);
