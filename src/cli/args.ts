import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', default: false } } as const;

/**
 * Parses argv for a CLI that also takes `--help`: returns the values, or the exit code when the
 * run ends here (0 after printing usage for --help, 2 after printing the error and usage).
 */
export function parseCli<const O extends Options>(options: O, usage: string) {
  try {
    const { values } = parseArgs({ options: { ...options, ...HELP } });
    if ((values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      return { exit: 0 };
    }
    return { values, exit: undefined };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    return { exit: 2 };
  }
}
