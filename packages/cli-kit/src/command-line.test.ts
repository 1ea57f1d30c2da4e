// Tests for CommandLine: parsing through node:util, usage errors (exit 2 with the usage), and run()'s exit codes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommandLine } from './command-line.js';
import { ConfigError, FormatError } from './errors.js';

const cli = new CommandLine('robusta-demo', 'usage: robusta-demo --out DIR INPUT...');
const options = { out: { type: 'string' }, quiet: { type: 'boolean' } } as const;

/** Captures what a call writes and the exit code it asks for (process.exit throws here instead of exiting). */
async function exits(f: () => unknown): Promise<{ code: number | undefined; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  let code: number | undefined;
  vi.spyOn(process, 'exit').mockImplementation((c) => {
    code = Number(c);
    throw new Error('exit');
  });
  try {
    await f();
  } catch (e) {
    if ((e as Error).message !== 'exit') throw e;
  }
  return { code, stderr, stdout };
}

afterEach(() => vi.restoreAllMocks());

describe('CommandLine', () => {
  it('parses with node:util, values and positionals', () => {
    const r = cli.parse(['--out', 'o', '--quiet', 'a.txt'], { options, allowPositionals: true });
    expect(r.values).toEqual({ out: 'o', quiet: true });
    expect(r.positionals).toEqual(['a.txt']);
  });

  it("refuses what node:util refuses with the program's name, its message and the usage, exit 2", async () => {
    const unknown = await exits(() => cli.parse(['--frob'], { options, allowPositionals: true }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^robusta-demo: Unknown option '--frob'/);
    expect(unknown.stderr).toContain('\nusage: robusta-demo --out DIR INPUT...\n');
    expect(unknown.stdout).toBe('');
    const missing = await exits(() => cli.parse(['--out'], { options }));
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([
      2,
      "robusta-demo: Option '--out <value>' argument missing",
    ]);
  });

  it('fail() prints the message and the usage and exits 2; help() prints the usage on stdout', async () => {
    const r = await exits(() => cli.fail('--out is required'));
    expect(r).toEqual({
      code: 2,
      stderr: 'robusta-demo: --out is required\nusage: robusta-demo --out DIR INPUT...\n',
      stdout: '',
    });
    const h = await exits(() => cli.help());
    expect(h).toEqual({ code: undefined, stderr: '', stdout: 'usage: robusta-demo --out DIR INPUT...\n' });
  });

  it('run(): a ConfigError exits 2 with its message, any other error 1', async () => {
    const config = await exits(() =>
      cli.run(async () => Promise.reject(new ConfigError('run.json', "'seed' must be a number"))),
    );
    expect(config).toEqual({ code: 2, stderr: "robusta-demo: run.json: 'seed' must be a number\n", stdout: '' });
    const format = await exits(() =>
      cli.run(async () => Promise.reject(new FormatError('a.idx', 'index has 12 bytes'))),
    );
    expect(format).toEqual({ code: 1, stderr: 'robusta-demo: a.idx: index has 12 bytes\n', stdout: '' });
    const bug = await exits(() => cli.run(async () => Promise.reject(new Error('boom')), { stack: true }));
    expect(bug.code).toBe(1);
    expect(bug.stderr).toMatch(/^robusta-demo: Error: boom\n\s+at /);
  });
});
