// The last step of `npm run build`: compiles lib/ with jsii into the `.jsii` assembly (what Construct Hub and
// the Python, Java, .NET and Go packages are made from), failing on any jsii warning (reserved words
// included). jsii compiles lib/ in place, like tsc, and its JavaScript is the one the package ships (it
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
  stdio: 'inherit',
  // jsii 6 prints an end-of-life banner on Node.js 20; the compilation itself is unaffected.
  env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '1' },
});
if (jsii.status !== 0) {
  rmSync(hashFile, { force: true });
  process.exit(jsii.status ?? 1);
}
rmSync(cacheDir, { recursive: true, force: true });
for (const file of filesUnder('lib', isOutput)) {
  const target = join(cacheDir, file);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, file), target);
}
writeFileSync(hashFile, `${current}\n`);
