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

/**
 * The `--threads` value of synth and check: undefined when absent, else a whole number >= 1;
 * anything else prints the error and usage and gives exit code 2.
 */
export function parseThreads(
  value: string | undefined,
  usage: string,
): { threads: number | undefined; exit?: undefined } | { exit: 2 } {
  if (value === undefined) return { threads: undefined };
  const threads = Number(value);
  if (Number.isInteger(threads) && threads >= 1) return { threads };
  process.stderr.write(`--threads must be a whole number >= 1, got "${value}"\n${usage}\n`);
  return { exit: 2 };
}
