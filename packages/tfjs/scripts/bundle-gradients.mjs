// Build step: bundles tfjs-core's gradient registrations (its ESM dist uses extensionless imports that plain Node ESM
// cannot load) into one ESM file. tfjs keeps its engine and registries in globals and checks Tensor by shape, not
// class identity, so gradients bundled from a second copy of the sources register into the one engine users have.
import { build } from 'esbuild';

await build({
  stdin: { contents: "import '@tensorflow/tfjs-core/dist/register_all_gradients.js';", resolveDir: process.cwd() },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  outfile: 'dist/gradients.js',
  logLevel: 'warning',
  legalComments: 'inline',
});
