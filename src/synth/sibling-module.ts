/**
 * The module `name` beside the module at `from` (its `import.meta.url`), as a file URL: the
 * TypeScript source when running from source (tsx, vitest), the `.mjs` file of the CLI build
 * (src/cli/run-built.mjs), where every module sits in one folder.
 */
export function siblingModule(from: string, name: string): string {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.mjs'}`, from).href;
}
