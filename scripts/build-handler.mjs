// Builds the handler's Lambda bundle: one self-contained, minified file with the AWS SDK inside, so that
// synth never bundles, never needs Docker, and the asset hash depends only on the locked dependencies.
// Output: dist/handler/index.js (+ index.js.LEGAL.txt with the bundled packages' license comments).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleOptions, root } from './bundle-options.mjs';

const outdir = join(root, 'dist', 'handler');

rmSync(outdir, { recursive: true, force: true });
await build({
  ...bundleOptions('lambda/index.ts', join(outdir, 'index.js'), 'node22'),
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
