// The run config in memory: presets, --flag/--set/--config parsing, the order preset -> file -> command line, and
// errors that name the field and where its value came from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandLine, ConfigError } from '@robusta/cli-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.js';
import { FIELD_NAMES, PRESETS, readConfigFile, resolveConfig } from './config.js';

const cli = new CommandLine('robusta-pretrain', 'usage: robusta-pretrain');
const parseArgs = (argv: string[]) => parseCommandLine(cli, argv, FIELD_NAMES);

describe('config', () => {
  it('takes the paper hyperparameters for base and large', () => {
    expect(PRESETS.base.batchSize * PRESETS.base.updateFreq).toBe(8192);
    expect([PRESETS.base.peakLr, PRESETS.base.warmupUpdates, PRESETS.base.maxUpdates]).toEqual([6e-4, 24_000, 500_000]);
    expect([PRESETS.large.peakLr, PRESETS.large.warmupUpdates]).toEqual([4e-4, 30_000]);
    expect([PRESETS.base.beta2, PRESETS.base.eps, PRESETS.base.weightDecay, PRESETS.base.clipNorm]).toEqual([
      0.98, 1e-6, 0.01, 0,
    ]);
  });

  it('reads fields as --camelCase or --kebab-case flags, model fields too, and an unknown flag with its value', () => {
    const { pairs, rest } = parseArgs(['--max-updates', '5', '--model.hidden-size=64', '--learning-rate', '1', 'x']);
    expect(pairs).toEqual([
      ['max-updates', '5'],
      ['model.hidden-size', '64'],
      ['learning-rate', '1'],
    ]);
    expect(rest).toEqual(['x']);
    expect(() => resolveConfig(pairs)).toThrow(/command line: unknown field 'learning-rate'/);
  });

  it('applies flags and --set pairs over the preset, later winning', () => {
    const { pairs } = parseArgs([
      '--preset',
      'base',
      '--data',
      'd',
      '--out',
      'o',
      '--peak-lr',
      '1e-4',
      '--set',
      'peakLr=2e-4',
    ]);
    const c = resolveConfig(pairs);
    expect(c.preset).toBe('base');
    expect(c.peakLr).toBe(2e-4);
    expect(c.seqLength).toBe(512);
  });

  it('names the field in every error', () => {
    const base: [string, unknown][] = [
      ['data', 'd'],
      ['out', 'o'],
    ];
    expect(() => resolveConfig([...base, ['peakLr', 'fast']])).toThrow(/'peakLr' must be a number, got "fast"/);
    expect(() => resolveConfig([...base, ['batch-size', '0']])).toThrow(/'batchSize' must be a whole number >= 1/);
    expect(() => resolveConfig([...base, ['masking', 'random']])).toThrow(
      /'masking' must be one of 'dynamic', 'static'/,
    );
    expect(() => resolveConfig([...base, ['format', 'pairs']])).toThrow(
      /'format' must be one of 'full-sentences', 'doc-sentences', 'segment-pair', 'sentence-pair'/,
    );
    expect(() => resolveConfig([...base, ['tokens-per-batch', '-1']])).toThrow(
      /'tokensPerBatch' must be a whole number >= 0/,
    );
    expect(() => resolveConfig([...base, ['learningRate', '1']])).toThrow(/unknown field 'learningRate'/);
    expect(() => resolveConfig([...base, ['model.hidden', '1']])).toThrow(/unknown model field 'hidden'/);
    expect(() => resolveConfig([...base, ['warmupUpdates', '900']])).toThrow(
      /'warmupUpdates' \(900\) must be below maxUpdates \(500\)/,
    );
    expect(() => resolveConfig([['out', 'o']])).toThrow(ConfigError);
    expect(() => resolveConfig([...base, ['learningRate', '1']])).toThrow(ConfigError);
    expect(() => resolveConfig([...base, ['preset', 'huge']])).toThrow(ConfigError);
    expect(() => resolveConfig([['out', 'o']])).toThrow(/'data' is required/);
  });
});

describe('--config FILE', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'robusta-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, json: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(json));
    return path;
  };

  it('reads --config FILE and --config=FILE; its preset picks the base unless the command line names one', async () => {
    const path = await file('base.json', { preset: 'base', data: 'd', out: 'o', model: { hiddenSize: 256 } });
    for (const argv of [['--config', path], [`--config=${path}`]]) {
      const { pairs, configFile, rest } = parseArgs(argv);
      expect([pairs, configFile, rest]).toEqual([[], path, []]);
      const c = resolveConfig(pairs, configFile);
      expect([c.preset, c.updateFreq, c.seqLength, c.model.hiddenSize]).toEqual(['base', 256, 512, 256]);
    }
    const { pairs } = parseArgs(['--preset', 'tiny', '--seq-length=64']);
    const c = resolveConfig(pairs, path);
    expect([c.preset, c.updateFreq, c.seqLength, c.model.hiddenSize]).toEqual(['tiny', 1, 64, 256]);
  });

  it('typed JSON values are checked like strings from the command line, naming the file', async () => {
    const path = await file('typed.json', { data: 'd', out: 'o', maxUpdates: 2.5 });
    expect(() => resolveConfig([], path)).toThrow(`${path}: 'maxUpdates' must be a whole number >= 1, got 2.5`);
    expect(readConfigFile(await file('ok.json', { seed: 3, format: 'doc-sentences' }))).toEqual([
      ['seed', 3],
      ['format', 'doc-sentences'],
    ]);
  });
});
