// Command-line arguments of robusta-pretrain: --FIELD value, --FIELD=value, --set key=value and --config FILE.
import type { CommandLine } from '@robusta/cli-kit';

export interface PretrainArgs {
  /** Field overrides in the order given (later wins), from flags and --set alike. */
  pairs: [string, unknown][];
  configFile?: string;
  /** Arguments that are not options. */
  rest: string[];
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Reads `argv` with `fields` as options that take a value (camelCase or kebab-case), --set and --config; node:util
 * splits the arguments, in order. An option that is not a field comes back as a pair with its value, so the config
 * names it; a missing value or a --set without '=' is a usage error on `cli`.
 */
export function parseCommandLine(cli: CommandLine, argv: string[], fields: readonly string[]): PretrainArgs {
  const options = Object.fromEntries(
    [...fields.flatMap((f) => [f, kebab(f)]), 'set', 'config'].map((f) => [f, { type: 'string' as const }]),
  );
  const { tokens } = cli.parse(argv, { options, strict: false, allowPositionals: true, tokens: true });
  const pairs: [string, unknown][] = [];
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'positional') rest.push(t.value);
    if (t.kind !== 'option') continue;
    let value = t.value;
    // node:util reads an option it does not know as a flag; here it takes the next argument as its value
    const next = tokens[i + 1];
    if (value === undefined && !Object.hasOwn(options, t.name) && next?.kind === 'positional') {
      value = next.value;
      i++;
    }
    if (value === undefined) cli.fail(`--${t.name} needs a value`);
    else if (t.name === 'set') {
      const e = value.indexOf('=');
      if (e <= 0) cli.fail(`--set expects KEY=VALUE, got '${value}'`);
      pairs.push([value.slice(0, e), value.slice(e + 1)]);
    } else if (t.name === 'config') configFile = value;
    else pairs.push([t.name, value]);
  }
  return { pairs, configFile, rest };
}
