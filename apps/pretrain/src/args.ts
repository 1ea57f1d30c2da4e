// Command-line arguments of robusta-pretrain: --flag value, --flag=value and --set key=value pairs.
import { ConfigError } from '@robusta/cli-kit';

/** --flag value, --flag=value and --set k=v pairs, in order (later wins). */
export function parseArgs(argv: string[]): { pairs: [string, unknown][]; configFile?: string; rest: string[] } {
  const pairs: [string, unknown][] = [];
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    let key = a.slice(2);
    let value: string | undefined;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      value = key.slice(eq + 1);
      key = key.slice(0, eq);
    } else {
      value = argv[++i];
      if (value === undefined) throw new ConfigError(undefined, `--${key} needs a value`);
    }
    if (key === 'set') {
      const e = value.indexOf('=');
      if (e <= 0) throw new ConfigError(undefined, `--set expects KEY=VALUE, got '${value}'`);
      pairs.push([value.slice(0, e), value.slice(e + 1)]);
    } else if (key === 'config') configFile = value;
    else pairs.push([key, value]);
  }
  return { pairs, configFile, rest };
}
