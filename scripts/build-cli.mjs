// Builds the `cdk-claimed-phone-number` command: one self-contained, minified file with the AWS SDK inside
// (the package has no runtime dependencies), deterministic for the locked dependencies like the handler's
// bundle (build-handler.mjs). Unlike the handler, it keeps the SDK's whole default credential chain
// (profiles, SSO, process credentials): it runs on a user's machine, not in Lambda.
// Output: dist/cli/index.js (+ index.js.LEGAL.txt with the bundled packages' license comments).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleOptions, root } from './bundle-options.mjs';

const outdir = join(root, 'dist', 'cli');
const outfile = join(outdir, 'index.js');

rmSync(outdir, { recursive: true, force: true });
// package.json engines: Node.js 20 or newer.
await build(bundleOptions('cli/main.ts', outfile, 'node20'));
chmodSync(outfile, 0o755);
