// Builds the `cdk-claimed-phone-number` command: one self-contained, minified file with the AWS SDK inside
// (the package has no runtime dependencies), deterministic for the locked dependencies like the handler's
// bundle (build-handler.mjs). Unlike the handler, it keeps the SDK's whole default credential chain
// (profiles, SSO, process credentials): it runs on a user's machine, not in Lambda.
// Output: dist/cli/index.js (+ index.js.LEGAL.txt with the bundled packages' license comments).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const outfile = join(outdir, 'index.js');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  // package.json engines: Node.js 20 or newer.
  target: 'node20',
  format: 'cjs',
  minify: true,
  // Typed errors name themselves in messages: keep class names readable.
  keepNames: true,
  mainFields: ['module', 'main'],
  legalComments: 'external',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
