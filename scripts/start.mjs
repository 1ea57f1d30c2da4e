// `npm start`: the embedded default job. Pretraining a tiny RoBERTa on a bundled corpus arrives with issue #6.
console.log(
  'no pretraining app yet: `npm start` will pretrain a tiny RoBERTa on a bundled corpus once issue #6 lands.',
);
