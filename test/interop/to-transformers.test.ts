// Our files in Hugging Face transformers: a checkpoint of every head and the tokenizer.json our trainer writes load
// with AutoModel*/AutoTokenizer.from_pretrained and give our outputs and ids. Runs on the 'robusta' backend.
import '@robusta/native';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyRoberta,
  configFromPreset,
  createModel,
  HEAD_KINDS,
  type HeadKind,
  HF_ARCHITECTURE,
  PRETRAINING_HEAD_KINDS,
  parameterTable,
  savePretrained,
} from '@robusta/model';
import { requirement } from '@robusta/test-kit';
import * as tf from '@robusta/tfjs';
import { Tokenizer } from '@robusta/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTO_CLASS,
  asChoices,
  compareOutputs,
  describeCompared,
  HF_OUTPUTS,
  HF_TWIN,
  type HostTensor,
  idDifferences,
  PAIRS,
  padRows,
  ROBERTA_MASK,
  runOurs,
  TEXTS,
  TOLERANCE,
  trainWithCli,
} from './fixtures.js';
import {
  type LoadModelResult,
  type Op,
  resultOf,
  runTransformers,
  type TokenizeResult,
  type TransformersRun,
  transformersPython,
} from './transformers.js';

const present = requirement('transformers', transformersPython.missing);

/** Every head we save: the ones transformers has a class for, and the pretraining ones it loads in part. */
const HEADS: HeadKind[] = [...HEAD_KINDS, ...PRETRAINING_HEAD_KINDS];
/** Vocabulary the trainer is asked for: 5 specials + 256 bytes + 139 merges; the corpus has pairs to spare. */
const VOCAB_SIZE = 400;
const CHOICES = 2;
const LAYERS = configFromPreset('tiny').numHiddenLayers;

describe.skipIf(!present)('our checkpoints and tokenizer.json in transformers', () => {
  let work: string;
  let tok: Tokenizer;
  let run: TransformersRun;
  const ours = new Map<HeadKind, Record<string, HostTensor | HostTensor[]>>();

  beforeAll(async () => {
    expect(await tf.setBackend('robusta')).toBe(true);
    work = await mkdtemp(join(tmpdir(), 'robusta-to-transformers-'));
    const tokDir = join(work, 'tokenizer');
    trainWithCli(tokDir, VOCAB_SIZE);
    tok = await Tokenizer.fromTokenizerJson(join(tokDir, 'tokenizer.json'));
    expect(tok.vocabSize).toBe(VOCAB_SIZE);
    const pad = tok.specialId('<pad>') as number;
    const rows = padRows(
      TEXTS.map((t) => tok.encodeForModel(t, null, { special: 'all' }).inputIds),
      pad,
    );

    const config = configFromPreset('tiny', { vocabSize: tok.vocabSize, numLabels: 3, padTokenId: pad });
    const ops: Op[] = [];
    for (const head of HEADS) {
      const m = createModel(config, head, { seed: 7 }) as AnyRoberta;
      // move every parameter off its init pattern (zero biases, unit LayerNorm) so each one matters;
      // seeds from 1: tfjs treats seed 0 as "unseeded"
      let k = 1;
      for (const v of m.variables.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', k++)));
      const dir = join(work, head);
      await savePretrained(m, dir);
      // as a pretraining checkpoint carries it: the tokenizer beside the model
      await copyFile(join(tokDir, 'tokenizer.json'), join(dir, 'tokenizer.json'));
      const batch = head === 'multiple-choice' ? asChoices(rows, CHOICES) : rows;
      ours.set(head, runOurs(m, batch));
      m.dispose();
      ops.push({ op: 'load_model', dir, auto: AUTO_CLASS[head], batch });
    }
    ops.push(
      { op: 'tokenize', with: 'AutoTokenizer', dir: join(work, 'mlm'), texts: TEXTS, pairs: PAIRS },
      {
        op: 'tokenize',
        with: 'PreTrainedTokenizerFast',
        file: join(tokDir, 'tokenizer.json'),
        texts: TEXTS,
        pairs: PAIRS,
      },
    );
    const t0 = performance.now();
    run = runTransformers(ops);
    console.log(
      `transformers ${run.versions.transformers}, torch ${run.versions.torch}: ${ops.length} ops in ` +
        `${((performance.now() - t0) / 1e3).toFixed(1)} s`,
    );
    expect(run.results.length).toBe(ops.length);
  }, 300_000);

  afterAll(async () => {
    await tok?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const resultFor = (head: HeadKind) =>
    resultOf<LoadModelResult>(run, HEADS.indexOf(head), `${AUTO_CLASS[head]}.from_pretrained(${head})`);

  for (const head of HEADS) {
    const twin = HF_TWIN[head];
    it(`${head}: ${AUTO_CLASS[head]} builds ${HF_ARCHITECTURE[head]} from every saved parameter and gives our outputs within ${TOLERANCE}`, () => {
      const r = resultFor(head);
      expect(r.class).toBe(HF_ARCHITECTURE[head]);
      expect(r.dtype).toBe('torch.float32');
      expect(r.missing).toEqual([]);
      expect(r.mismatched).toEqual([]);
      // only what HF's class has no place for: the pooler and NSP classifier of mlm-nsp, qa-v2's answerability head
      const theirs = new Set(parameterTable(configFromPreset('tiny'), twin).map((p) => p.name));
      const extra = parameterTable(configFromPreset('tiny'), head)
        .map((p) => p.name)
        .filter((n) => !theirs.has(n));
      expect(r.unexpected).toEqual(extra.sort());
      expect(Object.keys(r.outputs).sort()).toEqual([...HF_OUTPUTS[twin]].sort());
      const compared = compareOutputs(ours.get(head)!, r.outputs);
      // every transformers output, hidden states one per layer plus the embeddings
      expect(compared.length).toBe(HF_OUTPUTS[twin].length - 1 + LAYERS + 1);
      console.log(`${head}: ${describeCompared(compared)}`);
      for (const c of compared) expect(c.rel, `${head} ${c.name}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("<mask> in our trained tokenizer.json is held as roberta-base's (lstrip), so ' <mask>' is one token", () => {
    const r = resultOf<TokenizeResult>(run, HEADS.length, 'AutoTokenizer on a checkpoint folder');
    expect(r.mask).toEqual(ROBERTA_MASK);
  });

  const tokenizerCases = [
    { index: HEADS.length, title: 'AutoTokenizer on a checkpoint folder (config.json + our tokenizer.json)' },
    { index: HEADS.length + 1, title: 'PreTrainedTokenizerFast on our tokenizer.json alone' },
  ];
  for (const { index, title } of tokenizerCases)
    it(`${title} gives our ids: with and without <s> </s>, and for pairs`, () => {
      const r = resultOf<TokenizeResult>(run, index, title);
      const encode = (a: string, b?: string) => Array.from(tok.encodeForModel(a, b, { special: 'all' }).inputIds);
      const differences = [
        ...idDifferences(
          TEXTS,
          TEXTS.map((t) => encode(t)),
          r.ids,
        ),
        ...idDifferences(
          TEXTS,
          TEXTS.map((t) => Array.from(tok.encode(t, { special: 'all' }))),
          r.plain,
        ),
        ...idDifferences(
          PAIRS.map((p) => p.join(' | ')),
          PAIRS.map(([a, b]) => encode(a, b)),
          r.pairs,
        ),
      ];
      console.log(`${title}: ${r.class}, <mask> ${JSON.stringify(r.mask)}`);
      expect(differences).toEqual([]);
    });
});
