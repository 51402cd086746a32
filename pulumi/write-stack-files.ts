/** `npm run pulumi:stacks`: writes pulumi/Pulumi.<env>.yaml for every environment. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../src/model/build';
import { loadSpecs } from '../src/spec/load';
import { stackFile, stackFilePath } from './stack-file';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const env of buildModel(loadSpecs(root)).environments) {
  writeFileSync(path.join(root, stackFilePath(env.name)), stackFile(env));
  console.log(`wrote ${stackFilePath(env.name)}`);
}
