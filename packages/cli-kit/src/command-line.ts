// One way for every Robusta app to read its command line and to refuse one: node:util's parseArgs, usage, exit codes.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from './errors.js';

/** What node:util's parseArgs returns for a config `T` (it also takes the arguments). */
export type ParsedCommandLine<T extends Omit<ParseArgsConfig, 'args'>> = ReturnType<
  typeof parseArgs<T & { args: string[] }>
>;

/**
 * One app's command line: its name, which starts every message, and its usage text. Exit codes: 0 done, 1 the run
 * failed, 2 the command line or the configuration cannot run (nothing was started).
 */
export class CommandLine {
  constructor(
    readonly program: string,
    readonly usage: string,
  ) {}

  /** node:util's parseArgs over `argv`; an option it refuses (unknown, missing its value) is a usage error. */
  parse<T extends Omit<ParseArgsConfig, 'args'>>(argv: string[], config: T): ParsedCommandLine<T> {
    try {
      return parseArgs({ ...config, args: argv });
    } catch (e) {
      // node marks what it refuses in the arguments with ERR_PARSE_ARGS_*; anything else is a bug, not a usage error
      if (String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) this.fail((e as Error).message);
      throw e;
    }
  }

  /** The usage on stdout, for --help. */
  help(): void {
    process.stdout.write(`${this.usage}\n`);
  }

  /** A command line that cannot run: `program: message` and the usage on stderr, exit code 2. */
  fail(message: string): never {
    process.stderr.write(`${this.program}: ${message}\n${this.usage}\n`);
    process.exit(2);
  }

  /**
   * Runs the app's `main`. A ConfigError exits 2 with its message (the usage would bury it); any other error exits 1
   * with its message, or its stack where `stack` is set (for errors that are likelier bugs than bad input).
   */
  run(main: () => Promise<void>, { stack = false }: { stack?: boolean } = {}): Promise<void> {
    return main().catch((e: unknown) => {
      const text =
        e instanceof Error ? ((stack && !(e instanceof ConfigError) ? e.stack : undefined) ?? e.message) : String(e);
      process.stderr.write(`${this.program}: ${text}\n`);
      process.exit(e instanceof ConfigError ? 2 : 1);
    });
  }
}
