// The last step of `npm run build`: compiles lib/ with jsii into the `.jsii` assembly (what Construct Hub and
// the Python, Java, .NET and Go packages are made from), failing on any jsii warning (reserved words
// included) but the two intended JSII6 warnings explained below. jsii compiles lib/ in place, like tsc, and its JavaScript is the one the package ships (it
// carries jsii's runtime type information).
//
// jsii takes 10-25 s on 2 cores, and `tsc -p tsconfig.json` (the step before) rewrites lib/*.js every time.
// So when nothing jsii reads has changed since its last run (same content hash of its inputs), the lib/
// files it wrote then are put back from dist/jsii-cache instead of running it again.
//   node scripts/build-jsii.mjs           jsii, or the cached result of the same inputs
//   node scripts/build-jsii.mjs --check   exits 1 unless `.jsii` is the result of the current inputs
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'dist', 'jsii-cache');
const hashFile = join(cacheDir, 'inputs.sha256');

/** Every file under `dir` (relative to the root), sorted, whose name passes `keep`. */
function filesUnder(dir, keep) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (keep(entry.name)) found.push(relative(root, full));
    }
  };
  walk(join(root, dir));
  return found.sort();
}

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');
const isOutput = (name) => name.endsWith('.js') || name.endsWith('.d.ts');

/** What jsii reads: the library's sources, its configuration, the README it embeds, the locked dependencies. */
function inputsHash() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder('lib', isSource), 'package.json', 'package-lock.json', 'tsconfig.jsii.json', 'README.md']) {
    hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

const current = inputsHash();
const cached = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : undefined;
const upToDate = cached === current && existsSync(join(root, '.jsii'));

if (process.argv.includes('--check')) {
  if (!upToDate) {
    console.error('.jsii is missing or older than lib/, package.json, README.md or tsconfig.jsii.json: run `npm run build`');
    process.exit(1);
  }
  process.exit(0);
}

if (upToDate) {
  for (const file of filesUnder(join('dist', 'jsii-cache', 'lib'), isOutput)) {
    cpSync(join(root, file), join(root, relative(join('dist', 'jsii-cache'), file)));
  }
  console.log('jsii: inputs unchanged since the last jsii run, its lib/ output restored');
  process.exit(0);
}

const jsii = spawnSync(join(root, 'node_modules', '.bin', 'jsii'), ['--fail-on-warnings'], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'pipe'],
  encoding: 'utf8',
  // jsii 6 prints an end-of-life banner on Node.js 20; the compilation itself is unaffected.
  env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '1' },
});
process.stdout.write(jsii.stdout ?? '');
process.stderr.write(jsii.stderr ?? '');
if (jsii.status !== 0) {
  rmSync(hashFile, { force: true });
  process.exit(jsii.status ?? 1);
}

// --fail-on-warnings fails on every warning of the compilation (reserved words in a target language among
// them), but not on the warnings jsii derives from package.json before compiling: those it only prints.
// This fails on them too, except the two JSII6 warnings below, which are true and intended: the
// devDependencies are the releases the tests run on (aws-cdk-lib 2.276.0, constructs 10.8.1), not the peer
// ranges' minimum that JSII6 asks for. The minimum is tested instead by scripts/ci-pack-install.sh, which
// installs the packed library next to aws-cdk-lib 2.226.0 and constructs 10.0.0 and synthesizes there.
const INTENDED_WARNINGS = [
  /^warning JSII6: A "peerDependency" on "aws-cdk-lib" at "\^[0-9.]+" means you should take a "devDependency" on "aws-cdk-lib" at "[0-9.]+" \(found "[0-9.]+"\)/,
  /^warning JSII6: A "peerDependency" on "constructs" at "\^[0-9.]+" means you should take a "devDependency" on "constructs" at "[0-9.]+" \(found "[0-9.]+"\)/,
];
// eslint-disable-next-line no-control-regex
const printed = `${jsii.stdout ?? ''}\n${jsii.stderr ?? ''}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim());
const warnings = printed.filter((line) => /^warning JSII\d+/.test(line));
const unintended = warnings.filter((line) => !INTENDED_WARNINGS.some((pattern) => pattern.test(line)));
const summary = printed.find((line) => /Warnings: \d+/.test(line));
if (unintended.length > 0 || (summary !== undefined && Number(/Warnings: (\d+)/.exec(summary)[1]) !== warnings.length)) {
  rmSync(hashFile, { force: true });
  console.error(`jsii warned ${unintended.length > 0 ? `beyond the two intended JSII6 warnings:\n${unintended.join('\n')}` : `more often (${summary}) than it printed warning lines (${warnings.length})`}`);
  process.exit(1);
}
console.log(`jsii: ${warnings.length} warning(s), each one of the intended JSII6 warnings (scripts/build-jsii.mjs says why); any other fails the build`);
rmSync(cacheDir, { recursive: true, force: true });
for (const file of filesUnder('lib', isOutput)) {
  const target = join(cacheDir, file);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, file), target);
}
writeFileSync(hashFile, `${current}\n`);
