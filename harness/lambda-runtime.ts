/**
 * What the AWS Lambda Node.js runtime gives a function besides its code: the Node.js version its `Runtime`
 * declares (`nodejs24.x` runs Node.js 24), and the AWS SDK for JavaScript v3 on NODE_PATH (the managed
 * runtimes ship it under /var/runtime/node_modules; the Provider framework's asset relies on it for
 * @aws-sdk/client-lambda and @aws-sdk/client-sfn). Source: the Lambda developer guide, "Building Lambda
 * functions with Node.js" (runtimes, SDK versions included) and "Defined runtime environment variables".
 *
 * Node.js binaries come from the npm registry: the `node` package (devDependency node@24.x) installs the
 * binary at node_modules/node/bin/node. A runtime whose major version has no binary fails with a message
 * that says which package to add, rather than silently running on the harness's own Node.js.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const binaries = new Map<string, string>();

/** The Node.js binary a Lambda `Runtime` (e.g. `nodejs24.x`) runs on. Throws when the harness has none. */
export function nodeBinaryFor(runtime: string): string {
  const cached = binaries.get(runtime);
  if (cached) return cached;
  const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  if (!major) {
    throw new Error(`The harness runs Node.js functions only; this function's runtime is "${runtime}".`);
  }
  const candidates = [packagedBinary(), process.execPath].filter((candidate): candidate is string => candidate !== undefined);
  const found = candidates.find((candidate) => majorVersionOf(candidate) === major);
  if (!found) {
    const seen = candidates.map((candidate) => `${candidate} (${versionOf(candidate) ?? 'not runnable'})`).join(', ');
    throw new Error(
      `The template declares runtime ${runtime}, but the harness has no Node.js ${major} binary (it has ${seen}). ` +
        `Install one from the npm registry as a devDependency: npm install --save-dev --save-exact node@${major}.<minor>.<patch>`,
    );
  }
  binaries.set(runtime, found);
  return found;
}

/** The binary of the `node` npm package, if it is installed. */
function packagedBinary(): string | undefined {
  try {
    const binary = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const versions = new Map<string, string | undefined>();

function versionOf(binary: string): string | undefined {
  if (binary === process.execPath) return process.version;
  if (!versions.has(binary)) {
    const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    versions.set(binary, result.status === 0 ? result.stdout.trim() : undefined);
  }
  return versions.get(binary);
}

function majorVersionOf(binary: string): string | undefined {
  return /^v(\d+)\./.exec(versionOf(binary) ?? '')?.[1];
}

let runtimeModules: string | undefined;

/**
 * A directory for NODE_PATH that holds the AWS SDK v3 (`@aws-sdk/*`, linked to this project's
 * node_modules) and nothing else, as the Lambda runtime's own node_modules does: a function can require
 * the SDK without bundling it, but not the project's other packages.
 */
export function lambdaRuntimeModules(): string {
  if (runtimeModules) return runtimeModules;
  const sdk = path.resolve(path.dirname(require.resolve('@aws-sdk/client-lambda/package.json')), '..');
  const directory = path.join(os.tmpdir(), `claimed-phone-number-lambda-runtime-${createHash('sha256').update(sdk).digest('hex').slice(0, 12)}`);
  const link = path.join(directory, '@aws-sdk');
  fs.mkdirSync(directory, { recursive: true });
  let current: string | undefined;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== sdk) {
    // Another process may create it at the same moment: a link that already points right is fine.
    fs.rmSync(link, { force: true });
    try {
      fs.symlinkSync(sdk, link, 'dir');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || fs.readlinkSync(link) !== sdk) throw error;
    }
  }
  runtimeModules = directory;
  return directory;
}

/**
 * A directory for NODE_COMPILE_CACHE, shared by every function process: Node.js keeps the compiled code
 * of the modules there, so the next cold start does not compile the SDK again. Only speed changes.
 */
export function compileCacheDirectory(): string {
  return path.join(os.tmpdir(), 'claimed-phone-number-harness-compile-cache');
}
