#!/usr/bin/env bash
# CI: the package as users get it. `npm pack`s the library, checks what the tarball holds (compiled
# library, type declarations, prebuilt handler bundle; nothing test-only) and declares (aws-cdk-lib and
# constructs as peer dependencies), then installs it into a fresh CDK app in a temporary directory,
# type-checks and compiles a TypeScript app against the installed declarations, synthesizes a stack with
# two numbers there, and checks the template and the staged handler asset.
#   scripts/ci-pack-install.sh               builds (npm run build) first
#   SKIP_BUILD=1 scripts/ci-pack-install.sh  when `npm run build` has just run (as in .ci/ecosystem)
# Network: only the npm registry, and only if the npm cache lacks aws-cdk-lib/constructs (--prefer-offline).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

[ "${SKIP_BUILD:-}" = 1 ] || npm run --silent build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Pack.
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

# 2. What the tarball holds.
tar -tzf "$tarball" | sed 's|^package/||' | sort > "$work/contents.txt"
for required in package.json README.md lib/index.js lib/index.d.ts lib/claimed-phone-number.js \
  lib/claimed-phone-number.d.ts lib/claimed-phone-number-provider.js dist/handler/index.js; do
  grep -qxF "$required" "$work/contents.txt" || { echo "tarball lacks $required" >&2; exit 1; }
done
# Only the compiled library (with its declarations), the handler bundle and the package's own docs.
unexpected="$(grep -vE '^(package\.json|README\.md|LICENSE|NOTICE|API\.md|\.jsii|lib/.+\.(js|d\.ts)|dist/handler/.+)$' "$work/contents.txt" || true)"
if [ -n "$unexpected" ]; then echo "tarball holds unexpected files:" >&2; echo "$unexpected" >&2; exit 1; fi
if grep -E '(^|/)(test|tests|__snapshots__|emulator|harness|bench|demo|bin|lambda|node_modules|cdk\.out)/' "$work/contents.txt"; then
  echo "tarball holds test-only or source directories" >&2; exit 1
fi
echo "tarball: $(wc -l < "$work/contents.txt") files, library + declarations + handler bundle only"

tar -xzf "$tarball" -C "$work" package/package.json
node - "$work/package/package.json" <<'EOF'
const pkg = require(process.argv[2]);
const fail = (msg) => { console.error(`packed package.json: ${msg}`); process.exit(1); };
for (const peer of ['aws-cdk-lib', 'constructs']) {
  if (!pkg.peerDependencies?.[peer]) fail(`${peer} is not a peer dependency`);
  if (pkg.dependencies?.[peer]) fail(`${peer} is a dependency (must be a peer dependency only)`);
}
const deps = Object.keys(pkg.dependencies ?? {});
if (deps.length > 0) fail(`unexpected runtime dependencies: ${deps.join(', ')} (the handler bundle is self-contained)`);
console.log(`peerDependencies: ${JSON.stringify(pkg.peerDependencies)}; no runtime dependencies`);
EOF

# 3. A fresh CDK app that depends on the tarball and on the CDK versions this project is tested with.
cdk_lib_version="$(node -p "require('./node_modules/aws-cdk-lib/package.json').version")"
constructs_version="$(node -p "require('./node_modules/constructs/package.json').version")"
app="$work/app"
mkdir -p "$app"
cat > "$app/package.json" <<EOF
{ "name": "pack-install-check", "version": "0.0.0", "private": true }
EOF
(cd "$app" && npm install --no-audit --no-fund --prefer-offline --save-exact \
  "aws-cdk-lib@$cdk_lib_version" "constructs@$constructs_version" "$tarball" >/dev/null)
pkg_name="$(node -p "require('$work/package/package.json').name")"
[ -f "$app/node_modules/$pkg_name/dist/handler/index.js" ] || { echo "installed package lacks the handler bundle" >&2; exit 1; }

cat > "$app/app.ts" <<EOF
import { App, Stack } from 'aws-cdk-lib';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps } from '$pkg_name';

const app = new App();
const stack = new Stack(app, 'PackInstallCheck');
const support: ClaimedPhoneNumberProps = {
  phoneNumber: '+12065550100',
  instanceId: '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d',
  tags: { team: 'support' },
};
new ClaimedPhoneNumber(stack, 'Support', support);
new ClaimedPhoneNumber(stack, 'Sales', {
  phoneNumber: '+18335550199',
  targetArn: 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
});
app.synth();
EOF
cat > "$app/tsconfig.json" <<'EOF'
{ "compilerOptions": { "target": "ES2022", "lib": ["es2022", "esnext.disposable"], "module": "commonjs", "strict": true, "skipLibCheck": false, "types": [] },
  "files": ["app.ts"] }
EOF
# The project's TypeScript, against the declarations installed in the app (skipLibCheck off: they must check).
(cd "$app" && "$root/node_modules/.bin/tsc" -p tsconfig.json)

# 4. Synthesize there with the project's CDK CLI, and check the result.
(cd "$app" && "$root/node_modules/.bin/cdk" synth --app 'node app.js' --output cdk.out --quiet --no-notices >/dev/null)
node - "$app" "$pkg_name" <<'EOF'
const fs = require('fs');
const path = require('path');
const [appDir, pkgName] = process.argv.slice(2);
const fail = (msg) => { console.error(`synthesized app: ${msg}`); process.exit(1); };
const out = path.join(appDir, 'cdk.out');
const template = JSON.parse(fs.readFileSync(path.join(out, 'PackInstallCheck.template.json'), 'utf8'));
const resources = Object.values(template.Resources);
const numbers = resources.filter((r) => r.Type === 'Custom::ClaimedPhoneNumber');
if (numbers.length !== 2) fail(`${numbers.length} Custom::ClaimedPhoneNumber resources, expected 2`);
if (new Set(numbers.map((n) => JSON.stringify(n.Properties.ServiceToken))).size !== 1) fail('the numbers do not share one provider');
if (!('ClaimedPhoneNumberProviderframeworkonEvent0B42B265' in template.Resources)) fail('the provider framework onEvent logical id changed');

// The handler functions' asset is the installed package's dist/handler, staged as is.
const { FileSystem } = require(require.resolve('aws-cdk-lib', { paths: [appDir] }));
const bundleDir = path.join(appDir, 'node_modules', pkgName, 'dist', 'handler');
const hash = FileSystem.fingerprint(bundleDir);
const handlers = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Code.S3Key === `${hash}.zip`);
if (handlers.length !== 2) fail(`${handlers.length} functions use the installed handler bundle (${hash}), expected 2`);
const staged = path.join(out, `asset.${hash}`, 'index.js');
if (fs.readFileSync(staged, 'utf8') !== fs.readFileSync(path.join(bundleDir, 'index.js'), 'utf8')) fail('staged handler differs from the bundle');
const assets = JSON.parse(fs.readFileSync(path.join(out, 'PackInstallCheck.assets.json'), 'utf8'));
if (Object.keys(assets.dockerImages ?? {}).length > 0) fail('the app has Docker image assets');
console.log(`synthesized PackInstallCheck: 2 numbers, one provider, handler asset ${hash.slice(0, 12)}… from the installed bundle`);
EOF
echo "pack-install: OK"
