// Build step: bundles tfjs-core's gradient registrations (its ESM dist uses extensionless imports that plain Node ESM
// cannot load) into one ESM file. tfjs keeps its engine and registries in globals and checks Tensor by shape, not
// class identity, so gradients bundled from a second copy of the sources register into the one engine users have.
import { build } from 'esbuild';

await build({
  stdin: {
    // chained ops too: some gradients call tensor methods (x.reshape, x.split) that tfjs-core registers only there
    contents: [
      "import '@tensorflow/tfjs-core/dist/register_all_gradients.js';",
      "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
    ].join('\n'),
    resolveDir: process.cwd(),
  },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  outfile: 'dist/gradients.js',
  logLevel: 'warning',
  legalComments: 'inline',
});
