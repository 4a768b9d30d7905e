// The esbuild options both shipped bundles share (build-handler.mjs: the Lambda handler; build-cli.mjs: the
// command): one self-contained, minified CommonJS file for Node.js with the AWS SDK inside, deterministic for
// the locked dependencies, so that the handler's asset hash depends on nothing else.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Options for bundling `entryPoint` into `outfile` for Node.js `target` (e.g. node22). */
export function bundleOptions(entryPoint, outfile, target) {
  return {
    absWorkingDir: root,
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    minify: true,
    // Error classes report their names in messages and CloudFormation failure reasons: keep them readable.
    keepNames: true,
    // Prefer the SDK's ES modules: they tree-shake to a smaller, faster-loading bundle.
    mainFields: ['module', 'main'],
    legalComments: 'external',
    logLevel: 'warning',
  };
}
