// Builds the handler's Lambda bundle: one self-contained, minified file with the AWS SDK inside, so that
// synth never bundles, never needs Docker, and the asset hash depends only on the locked dependencies.
// Output: dist/handler/index.js (+ index.js.LEGAL.txt with the bundled packages' license comments).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'handler');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['lambda/index.ts'],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  // Error classes report their names in CloudFormation failure reasons: keep them readable.
  keepNames: true,
  // Prefer the SDK's ES modules: they tree-shake to a smaller, faster-loading bundle.
  mainFields: ['module', 'main'],
  legalComments: 'external',
  logLevel: 'warning',
  plugins: [
    {
      // The client's credentials come from the environment, as Lambda provides them (env-credentials.mjs).
      name: 'lambda-environment-credentials',
      setup(builder) {
        builder.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
          path: join(root, 'scripts', 'env-credentials.mjs'),
        }));
      },
    },
  ],
});
