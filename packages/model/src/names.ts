// The one table between our modules and Hugging Face parameter names, shapes and initialisation.
// H hidden, F FFN size, V vocab, P max positions, Y token types, C labels.
import type { RobertaConfig } from './config.js';

export type HeadKind = 'base' | 'mlm' | 'mlm-nsp' | 'classification' | 'qa' | 'qa-v2' | 'multiple-choice';
/** The heads HF's RoBERTa classes have (what the parity tests cover); see PRETRAINING_HEAD_KINDS for the rest. */
export const HEAD_KINDS: readonly HeadKind[] = ['base', 'mlm', 'classification', 'qa', 'qa-v2', 'multiple-choice'];
/**
 * `mlm-nsp`: the MLM model plus BERT's next-sentence head for the paper's SEGMENT-/SENTENCE-PAIR+NSP ablation. HF's
 * RoBERTa has no such class; we name it as HF's `BertForPreTraining` does (`cls.seq_relationship` on the pooler).
 */
export const PRETRAINING_HEAD_KINDS: readonly HeadKind[] = ['mlm-nsp'];

/** HF class written to `architectures`, so transformers' AutoModel picks the matching head. */
export const HF_ARCHITECTURE: Record<HeadKind, string> = {
  base: 'RobertaModel',
  mlm: 'RobertaForMaskedLM',
  // transformers loads the MLM part and reports roberta.pooler.* and cls.seq_relationship.* as unused
  'mlm-nsp': 'RobertaForMaskedLM',
  classification: 'RobertaForSequenceClassification',
  qa: 'RobertaForQuestionAnswering',
  // HF has no answerability head; transformers loads the span part and reports qa_classifier.* as unused
  'qa-v2': 'RobertaForQuestionAnswering',
  'multiple-choice': 'RobertaForMultipleChoice',
};

/** Module paths (HF prefixes); Linear and LayerNorm modules own `<prefix>.weight` and `<prefix>.bias`. */
export const HF = {
  basePrefix: 'roberta.',
  embeddings: {
    word: 'roberta.embeddings.word_embeddings.weight',
    position: 'roberta.embeddings.position_embeddings.weight',
    tokenType: 'roberta.embeddings.token_type_embeddings.weight',
    layerNorm: 'roberta.embeddings.LayerNorm',
  },
  layer: (i: number) => {
    const p = `roberta.encoder.layer.${i}`;
    return {
      query: `${p}.attention.self.query`,
      key: `${p}.attention.self.key`,
      value: `${p}.attention.self.value`,
      attentionOutput: `${p}.attention.output.dense`,
      attentionNorm: `${p}.attention.output.LayerNorm`,
      intermediate: `${p}.intermediate.dense`,
      output: `${p}.output.dense`,
      outputNorm: `${p}.output.LayerNorm`,
    };
  },
  pooler: 'roberta.pooler.dense',
  lmHead: {
    dense: 'lm_head.dense',
    layerNorm: 'lm_head.layer_norm',
    bias: 'lm_head.bias',
    // tied to the word embeddings: accepted on load when equal to them, never written
    tiedDecoderWeight: 'lm_head.decoder.weight',
    tiedDecoderBias: 'lm_head.decoder.bias',
  },
  /** BERT's NSP classifier [2, H] on the pooled `<s>` state (HF BertForPreTraining); index 0 = "is next". */
  nsp: { seqRelationship: 'cls.seq_relationship' },
  classifier: { dense: 'classifier.dense', outProj: 'classifier.out_proj' },
  qa: { outputs: 'qa_outputs', answerDense: 'qa_classifier.dense', answerOutProj: 'qa_classifier.out_proj' },
  choice: { classifier: 'classifier' },
  /** Buffers older checkpoints carry that hold no parameters. */
  buffers: ['roberta.embeddings.position_ids', 'roberta.embeddings.token_type_ids'],
} as const;

/** Prefixes of head parameters: what "initialise a new head" may create, and what a different head may drop. */
export const HEAD_PREFIXES = ['lm_head.', 'cls.', 'classifier.', 'qa_outputs.', 'qa_classifier.', 'roberta.pooler.'];

export type Init = 'normal' | 'zeros' | 'ones' | 'normal-zero-pad-row';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: Init;
}

/** Every parameter of a model with this config and head, in a stable order. */
export function parameterTable(c: RobertaConfig, head: HeadKind): ParamSpec[] {
  const H = c.hiddenSize;
  const out: ParamSpec[] = [];
  const tensor = (name: string, shape: number[], init: Init) => out.push({ name, shape, init });
  const linear = (prefix: string, inDim: number, outDim: number) => {
    tensor(`${prefix}.weight`, [outDim, inDim], 'normal');
    tensor(`${prefix}.bias`, [outDim], 'zeros');
  };
  const norm = (prefix: string, dim: number) => {
    tensor(`${prefix}.weight`, [dim], 'ones');
    tensor(`${prefix}.bias`, [dim], 'zeros');
  };
  tensor(HF.embeddings.word, [c.vocabSize, H], 'normal-zero-pad-row');
  tensor(HF.embeddings.position, [c.maxPositionEmbeddings, H], 'normal-zero-pad-row');
  tensor(HF.embeddings.tokenType, [c.typeVocabSize, H], 'normal');
  norm(HF.embeddings.layerNorm, H);
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = HF.layer(i);
    linear(l.query, H, H);
    linear(l.key, H, H);
    linear(l.value, H, H);
    linear(l.attentionOutput, H, H);
    norm(l.attentionNorm, H);
    linear(l.intermediate, H, c.intermediateSize);
    linear(l.output, c.intermediateSize, H);
    norm(l.outputNorm, H);
  }
  if (head === 'base' || head === 'multiple-choice' || head === 'mlm-nsp') linear(HF.pooler, H, H);
  if (head === 'mlm' || head === 'mlm-nsp') {
    linear(HF.lmHead.dense, H, H);
    norm(HF.lmHead.layerNorm, H);
    tensor(HF.lmHead.bias, [c.vocabSize], 'zeros');
  }
  if (head === 'mlm-nsp') linear(HF.nsp.seqRelationship, H, 2);
  if (head === 'classification') {
    linear(HF.classifier.dense, H, H);
    linear(HF.classifier.outProj, H, c.numLabels);
  }
  if (head === 'qa' || head === 'qa-v2') linear(HF.qa.outputs, H, 2);
  if (head === 'qa-v2') {
    linear(HF.qa.answerDense, H, H);
    linear(HF.qa.answerOutProj, H, 1);
  }
  if (head === 'multiple-choice') linear(HF.choice.classifier, H, 1);
  return out;
}
