/**
 * The module `name` beside the module at `from` (its `import.meta.url`), as a file URL: the
 * TypeScript source when running from source (tsx, vitest), the `.mjs` file of the CLI build
 * (src/cli/run-built.mjs), where every module sits in one folder.
 */
export function siblingModule(from: string, name: string): string {
  return new URL(`./${name}${runsFromSource(from) ? '.ts' : '.mjs'}`, from).href;
}

/** Whether the module at `url` (its `import.meta.url`) is TypeScript source, not the CLI build. */
export function runsFromSource(url: string): boolean {
  return url.endsWith('.ts');
}
