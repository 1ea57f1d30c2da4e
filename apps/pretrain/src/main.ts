#!/usr/bin/env node
// robusta-pretrain: the command line over pretrain() (training) and fillMaskFromCheckpoint() (a quick look).

// Only these load before the arguments are checked: tfjs, the model and the trainer are imported after that
// (about 0.4 s), so --help and argument errors answer at once.
import { CommandLine } from '@robusta/cli-kit';
import { parseCommandLine } from './args.js';
import { FIELD_NAMES, PRESETS, resolveConfig } from './config.js';

const USAGE = `usage: robusta-pretrain --data SHARDS --out RUN [--preset tiny|base|large] [--config FILE] [options]
       robusta-pretrain fill-mask --checkpoint DIR [--top K] [--backend B] "text with <mask>" ...

  --data DIR            shard folder from robusta-preprocess (manifest.json, tokenizer.json)
  --out DIR             run folder: pretrain-config.json, metrics.jsonl, plot.svg, checkpoints/
  --preset NAME         tiny (default), base or large: the paper's hyperparameters for base and large
  --config FILE         JSON object of fields, applied over the preset
  --set KEY=VALUE       any field, e.g. --set peakLr=5e-4 --set model.hiddenSize=256 (repeatable)
  --FIELD VALUE         the same, as a flag: --peak-lr 5e-4 --max-updates 1000 --update-freq 16
  --resume auto|never|DIR   auto (default): continue from the newest complete checkpoint in RUN
  --backend auto|robusta|cpu   auto (default): 'robusta' when @robusta/native loads, else tfjs cpu saying why
  --max-minutes N       stop after N minutes with a last validation and a checkpoint (0, the default: no limit)
Fields: ${Object.keys(PRESETS.tiny).join(', ')}
Ctrl-C saves a checkpoint and exits; a second Ctrl-C exits at once.`;

// annotated, so that the compiler knows cli.fail() does not return
const cli: CommandLine = new CommandLine('robusta-pretrain', USAGE);

const FILL_MASK_OPTIONS = ['checkpoint', 'top', 'backend'];

async function fillMaskCommand(argv: string[]): Promise<void> {
  const { pairs, configFile, rest } = parseCommandLine(cli, argv, FILL_MASK_OPTIONS);
  const unknown = configFile === undefined ? pairs.find(([k]) => !FILL_MASK_OPTIONS.includes(k))?.[0] : 'config';
  if (unknown !== undefined)
    cli.fail(`fill-mask: unknown option --${unknown} (it takes --checkpoint DIR, --top K, --backend auto|robusta|cpu)`);
  const opts = Object.fromEntries(pairs) as Record<string, string | undefined>;
  const dir = opts.checkpoint;
  if (!dir) cli.fail('fill-mask needs --checkpoint DIR');
  if (rest.length === 0) cli.fail('fill-mask needs at least one text with <mask>');
  const k = Number(opts.top ?? 5);
  if (!Number.isInteger(k) || k < 1) cli.fail(`fill-mask: --top must be a whole number >= 1, got '${opts.top}'`);
  const wanted = opts.backend ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'robusta' && wanted !== 'cpu')
    cli.fail(`fill-mask: --backend must be one of 'auto', 'robusta', 'cpu', got '${wanted}'`);
  const { selectBackend } = await import('./backend.js');
  const { fillMaskFromCheckpoint, formatFillMask } = await import('./fill-mask.js');
  // stderr, so that stdout holds only the predictions
  const backend = await selectBackend(wanted);
  process.stderr.write(`backend: ${backend.name} (${backend.detail})\n`);
  for (const r of await fillMaskFromCheckpoint(dir, rest, k)) console.log(formatFillMask(r));
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    cli.help();
    return;
  }
  if (argv[0] === 'fill-mask') return fillMaskCommand(argv.slice(1));
  const { pairs, configFile, rest } = parseCommandLine(cli, argv, FIELD_NAMES);
  if (rest.length) cli.fail(`unexpected argument '${rest[0]}' (options are --name value; see --help)`);
  const config = resolveConfig(pairs, configFile);
  const { describeValid, pretrain } = await import('./pretrain.js');
  let stop = false;
  process.on('SIGINT', () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\ninterrupt: finishing this update and saving a checkpoint (Ctrl-C again to quit now)\n');
  });
  const r = await pretrain(config, { shouldStop: () => stop });
  console.log(
    `${r.interrupted ? 'stopped' : 'done'} at update ${r.updates} in ${r.wallSeconds.toFixed(0)}s; ` +
      `valid ${describeValid(r.firstValid)} -> ${describeValid(r.lastValid)}`,
  );
  console.log(`checkpoint: ${r.checkpoint}\nplot: ${r.plotPath}\nmetrics: ${r.metricsPath}`);
  if (r.interrupted && r.updates < config.maxUpdates) console.log('resume with the same command (--resume auto)');
  r.model.dispose();
}

cli.run(() => main(process.argv.slice(2)), { stack: true });
