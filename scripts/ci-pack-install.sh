#!/usr/bin/env bash
# CI: the package as users get it. `npm pack`s the library, checks what the tarball holds (the jsii
# assembly, API.md, README.md, LICENSE, the compiled library with its declarations, the prebuilt handler
# bundle; nothing from test/, emulator/, harness/, bench/, .ci/, scripts/, demo/, integ/...) and declares
# (aws-cdk-lib and constructs as peer dependencies, no runtime dependency), then installs it into a fresh
# CDK app in a temporary directory next to the OLDEST aws-cdk-lib and constructs its peer ranges admit,
# type-checks a TypeScript app against the installed declarations (skipLibCheck off), synthesizes every
# kind of number there with the CDK CLI (specific number, search, typed instance and traffic distribution
# group targets, contact flow, Tags.of, provider settings, an imported number) and checks the template
# and the staged handler asset; then has cdk-nag v2 (an Aspect) check the numbers there: it must report nothing.
# Last, installs it next to the NEWEST aws-cdk-lib and cdk-nag v3, as locked in test/ecosystem/newest-aws-cdk-lib,
# where cdk-nag must find nothing in any kind of number either.
#   scripts/ci-pack-install.sh               packs as `npm pack` does for a user: prepack builds first
#   SKIP_BUILD=1 scripts/ci-pack-install.sh  when `npm run build` has just run (as in .ci/ecosystem):
#                                            packs without running prepack again
# Network: only the npm registry, and only if the npm cache lacks the minimum aws-cdk-lib/constructs or the
# locked newest releases (--prefer-offline).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Pack. A user's `npm pack` (and `npm publish`) runs prepack, which must build everything the package ships.
node -e 'const s = require("./package.json").scripts ?? {}; if (!/\bnpm run build\b/.test(s.prepack ?? "")) { console.error("package.json has no prepack script running `npm run build`"); process.exit(1); }'
if [ "${SKIP_BUILD:-}" = 1 ]; then
  node scripts/build-jsii.mjs --check
  tarball="$work/$(npm pack --silent --ignore-scripts --pack-destination "$work" | tail -n 1)"
else
  tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
fi
echo "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

# 2. What the tarball holds.
tar -tzf "$tarball" | sed 's|^package/||' | sort > "$work/contents.txt"
for required in package.json README.md LICENSE API.md .jsii lib/index.js lib/index.d.ts lib/claimed-phone-number.js \
  lib/claimed-phone-number.d.ts lib/claimed-phone-number-provider.js lib/phone-number-search.js lib/shared/contract.js \
  lib/shared/validation.js dist/handler/index.js dist/cli/index.js; do
  grep -qxF "$required" "$work/contents.txt" || { echo "tarball lacks $required" >&2; exit 1; }
done
# Only the compiled library (with its declarations), the handler and command bundles and the package's own docs.
unexpected="$(grep -vE '^(package\.json|README\.md|LICENSE|NOTICE|API\.md|\.jsii|lib/.+\.(js|d\.ts)|dist/(handler|cli)/.+)$' "$work/contents.txt" || true)"
if [ -n "$unexpected" ]; then echo "tarball holds unexpected files:" >&2; echo "$unexpected" >&2; exit 1; fi
if grep -E '(^|/)(test|tests|__snapshots__|emulator|harness|bench|demo|bin|integ|scripts|\.ci|lambda|node_modules|cdk\.out|jsii-cache)/' "$work/contents.txt"; then
  echo "tarball holds test-only or source directories" >&2; exit 1
fi
if grep -E '\.ts$' "$work/contents.txt" | grep -vE '\.d\.ts$'; then echo "tarball holds TypeScript sources" >&2; exit 1; fi
echo "tarball: $(wc -l < "$work/contents.txt") files: .jsii, API.md, README.md, LICENSE, library + declarations, handler bundle, command bundle"

tar -xzf "$tarball" -C "$work" package/package.json package/.jsii package/LICENSE package/lib/claimed-phone-number.js
node - "$work/package" <<'EOF'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const pkg = require(path.join(dir, 'package.json'));
const fail = (msg) => { console.error(`packed package: ${msg}`); process.exit(1); };
for (const peer of ['aws-cdk-lib', 'constructs']) {
  if (!pkg.peerDependencies?.[peer]) fail(`${peer} is not a peer dependency`);
  if (pkg.dependencies?.[peer]) fail(`${peer} is a dependency (must be a peer dependency only)`);
}
const deps = Object.keys(pkg.dependencies ?? {});
if (deps.length > 0) fail(`unexpected runtime dependencies: ${deps.join(', ')} (the handler bundle is self-contained)`);
for (const keyword of ['cdk', 'awscdk', 'aws-cdk', 'amazon-connect']) {
  if (!pkg.keywords?.includes(keyword)) fail(`keyword ${keyword} is missing (Construct Hub indexes it)`);
}
const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8'));
if (assembly.name !== pkg.name || assembly.version !== pkg.version) fail(`.jsii is ${assembly.name}@${assembly.version}, the package ${pkg.name}@${pkg.version}`);
if (!assembly.types?.[`${pkg.name}.ClaimedPhoneNumber`]) fail('.jsii lacks the ClaimedPhoneNumber type');
// The shipped JavaScript is jsii's (it carries the runtime type information the other languages rely on), not tsc's.
if (!fs.readFileSync(path.join(dir, 'lib', 'claimed-phone-number.js'), 'utf8').includes('jsii.rtti')) fail('lib/ is not the jsii compiler output');
if (!/Apache License\s+Version 2\.0/.test(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8'))) fail('LICENSE is not the Apache 2.0 text');
console.log(`peerDependencies: ${JSON.stringify(pkg.peerDependencies)}; no runtime dependencies; .jsii ${Object.keys(assembly.types).length} types`);
EOF

# 3. A fresh CDK app that depends on the tarball and on the OLDEST aws-cdk-lib and constructs the peer ranges admit.
min_of() {
  node -e 'const r = require(process.argv[1]).peerDependencies[process.argv[2]]; const m = /^\^(\d+\.\d+\.\d+)$/.exec(r);
    if (!m) { console.error(`peer range ${r} of ${process.argv[2]} is not ^x.y.z: teach scripts/ci-pack-install.sh its minimum`); process.exit(1); }
    console.log(m[1]);' "$work/package/package.json" "$1"
}
cdk_lib_version="$(min_of aws-cdk-lib)"
constructs_version="$(min_of constructs)"
app="$work/app"
mkdir -p "$app"
cat > "$app/package.json" <<EOF
{ "name": "pack-install-check", "version": "0.0.0", "private": true }
EOF
# No --legacy-peer-deps: npm must find the tarball's peer ranges satisfied by these versions.
(cd "$app" && npm install --no-audit --no-fund --prefer-offline --save-exact \
  "aws-cdk-lib@$cdk_lib_version" "constructs@$constructs_version" "$tarball" >/dev/null)
pkg_name="$(node -p "require('$work/package/package.json').name")"
installed="$(node -p "require('$app/node_modules/aws-cdk-lib/package.json').version")"
[ "$installed" = "$cdk_lib_version" ] || { echo "the app got aws-cdk-lib $installed, not $cdk_lib_version" >&2; exit 1; }
[ -f "$app/node_modules/$pkg_name/dist/handler/index.js" ] || { echo "installed package lacks the handler bundle" >&2; exit 1; }
# The inventory command, as a user runs it from the app (the package's bin entry, the prebuilt bundle).
(cd "$app" && npx --no-install cdk-claimed-phone-number --help >/dev/null) || { echo "the installed package's cdk-claimed-phone-number command does not run" >&2; exit 1; }
echo "installed $pkg_name next to aws-cdk-lib@$cdk_lib_version and constructs@$constructs_version (the peer ranges' minimum)"

cat > "$app/app.ts" <<EOF
import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps, PhoneNumberType } from '$pkg_name';

const app = new App();
const stack = new Stack(app, 'PackInstallCheck');
const instance = new connect.CfnInstance(stack, 'Instance', {
  identityManagementType: 'CONNECT_MANAGED',
  instanceAlias: 'pack-install-check',
  attributes: { inboundCalls: true, outboundCalls: true },
});
const group = new connect.CfnTrafficDistributionGroup(stack, 'Group', { instanceArn: instance.attrArn, name: 'pack-install-check' });
const flow = new connect.CfnContactFlow(stack, 'Flow', { instanceArn: instance.attrArn, name: 'callback', type: 'CONTACT_FLOW', content: '{}' });

// A specific number to an instance id, as a typed props object (the declarations must check).
const support: ClaimedPhoneNumberProps = {
  phoneNumber: '+12065550100',
  instanceId: '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d',
  description: 'Support line',
  tags: { team: 'support' },
  removalPolicy: RemovalPolicy.RETAIN,
};
new ClaimedPhoneNumber(stack, 'Support', support);
// A specific number to a traffic distribution group by ARN.
new ClaimedPhoneNumber(stack, 'Sales', {
  phoneNumber: '+18335550199',
  targetArn: 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
});
// Search and claim, to a typed instance, routed to a contact flow construct.
new ClaimedPhoneNumber(stack, 'Callback', {
  search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE, prefix: '+1833' },
  instance,
  contactFlow: flow,
});
// A typed traffic distribution group.
new ClaimedPhoneNumber(stack, 'Global', { phoneNumber: '+18335550177', trafficDistributionGroup: group });
// A number managed elsewhere, referenced only.
const legacy = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Legacy', 'arn:aws:connect:us-east-1:123456789012:phone-number/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
if (legacy.phoneNumberId !== '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d') throw new Error('fromPhoneNumberArn: wrong phoneNumberId');

ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.DESTROY });
Tags.of(stack).add('cost-center', 'contact-center');
app.synth();
EOF
cat > "$app/tsconfig.json" <<'EOF'
{ "compilerOptions": { "target": "ES2022", "lib": ["es2022", "esnext.disposable"], "module": "commonjs", "strict": true, "skipLibCheck": false, "types": [] },
  "files": ["app.ts"] }
EOF
# The project's TypeScript, against the declarations installed in the app (skipLibCheck off: they must check).
(cd "$app" && "$root/node_modules/.bin/tsc" -p tsconfig.json)

# 4. Synthesize there with the project's CDK CLI, and check the result.
# (The CLI's note on unconfigured feature flags goes to stderr: shown only if the synth fails.)
(cd "$app" && "$root/node_modules/.bin/cdk" synth --app 'node app.js' --output cdk.out --quiet --no-notices >/dev/null 2>"$work/synth.err") \
  || { cat "$work/synth.err" >&2; exit 1; }
node - "$app" "$pkg_name" <<'EOF'
const fs = require('fs');
const path = require('path');
const [appDir, pkgName] = process.argv.slice(2);
const fail = (msg) => { console.error(`synthesized app: ${msg}`); process.exit(1); };
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const out = path.join(appDir, 'cdk.out');
const template = JSON.parse(fs.readFileSync(path.join(out, 'PackInstallCheck.template.json'), 'utf8'));
const resources = template.Resources;
const numbers = Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'Custom::ClaimedPhoneNumber'));
const byPrefix = (prefix) => Object.entries(numbers).find(([id]) => id.startsWith(prefix))?.[1] ?? fail(`no number ${prefix}`);
if (Object.keys(numbers).length !== 4) fail(`${Object.keys(numbers).length} Custom::ClaimedPhoneNumber resources, expected 4`);
if (new Set(Object.values(numbers).map((n) => JSON.stringify(n.Properties.ServiceToken))).size !== 1) fail('the numbers do not share one provider');
if (!('ClaimedPhoneNumberProviderframeworkonEvent0B42B265' in resources)) fail('the provider framework onEvent logical id changed');

const support = byPrefix('Support');
if (support.Properties.PhoneNumber !== '+12065550100' || support.Properties.InstanceId !== '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d') fail('Support: wrong number or instance');
if (support.DeletionPolicy !== 'Retain') fail('Support: RETAIN did not reach the template');
if (!byPrefix('Sales').Properties.TargetArn.startsWith('arn:aws:connect:')) fail('Sales: wrong TargetArn');
const callback = byPrefix('Callback').Properties;
if (callback.PhoneNumberCountryCode !== 'US' || callback.PhoneNumberType !== 'TOLL_FREE' || callback.PhoneNumberPrefix !== '+1833') fail('Callback: wrong search criteria');
if (!same(callback.TargetArn, { 'Fn::GetAtt': ['Instance', 'Arn'] }) && !same(callback.TargetArn, { Ref: 'Instance' })) fail(`Callback: TargetArn ${JSON.stringify(callback.TargetArn)} is not the instance`);
if (!same(callback.ContactFlowArn, { Ref: 'Flow' }) && !same(callback.ContactFlowArn, { 'Fn::GetAtt': ['Flow', 'ContactFlowArn'] })) fail(`Callback: ContactFlowArn ${JSON.stringify(callback.ContactFlowArn)} is not the flow`);
const global = byPrefix('Global').Properties;
if (!same(global.TargetArn, { Ref: 'Group' }) && !same(global.TargetArn, { 'Fn::GetAtt': ['Group', 'TrafficDistributionGroupArn'] })) fail(`Global: TargetArn ${JSON.stringify(global.TargetArn)} is not the group`);
for (const [id, number] of Object.entries(numbers)) {
  if (number.Properties.Tags?.['cost-center'] !== 'contact-center') fail(`${id}: Tags.of() did not reach the number`);
}
if (support.Properties.Tags.team !== 'support') fail('Support: its own tags are missing');
const logGroups = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
if (logGroups.length !== 4 || logGroups.some((g) => g.DeletionPolicy !== 'Delete')) fail('configureProvider did not make the four provider log groups DESTROY');

// The handler functions' asset is the installed package's dist/handler, staged as is.
const { FileSystem } = require(require.resolve('aws-cdk-lib', { paths: [appDir] }));
const bundleDir = path.join(appDir, 'node_modules', pkgName, 'dist', 'handler');
const hash = FileSystem.fingerprint(bundleDir);
const handlers = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Code.S3Key === `${hash}.zip`);
if (handlers.length !== 2) fail(`${handlers.length} functions use the installed handler bundle (${hash}), expected 2`);
if (handlers.some((h) => h.Properties.Runtime !== 'nodejs24.x')) fail('the handler functions are not on Node.js 24');
const staged = path.join(out, `asset.${hash}`, 'index.js');
if (fs.readFileSync(staged, 'utf8') !== fs.readFileSync(path.join(bundleDir, 'index.js'), 'utf8')) fail('staged handler differs from the bundle');
const assets = JSON.parse(fs.readFileSync(path.join(out, 'PackInstallCheck.assets.json'), 'utf8'));
if (Object.keys(assets.dockerImages ?? {}).length > 0) fail('the app has Docker image assets');
console.log(`synthesized PackInstallCheck: 4 numbers (specific, by TDG ARN, search to a typed instance with a flow, typed TDG), ` +
  `one provider, Tags.of on all, log groups DESTROY, handler asset ${hash.slice(0, 12)}… from the installed bundle`);
EOF

# 5. cdk-nag v2 (an Aspect: what users of aws-cdk-lib releases whose Validations.acknowledge cannot take IAM5
# finding ids run) in the same app: the provider's acknowledgements must reach it as cdk_nag metadata.
# cdk-nag 2.x wants constructs ^10.0.5, so constructs may move up within the peer range for this step.
nag_v2_version=2.37.55
nag_constructs="$(node -e 'const [a, b] = process.argv.slice(1); const n = (v) => v.split(".").map(Number);
  console.log(n(a)[0] === n(b)[0] && n(a)[1] === n(b)[1] && n(a)[2] < n(b)[2] ? b : a);' "$constructs_version" 10.0.5)"
(cd "$app" && npm install --no-audit --no-fund --prefer-offline --save-exact "cdk-nag@$nag_v2_version" "constructs@$nag_constructs" >/dev/null)
cat > "$app/nag-v2.js" <<EOF
const { App, Aspects, Stack } = require('aws-cdk-lib');
const { AwsSolutionsChecks } = require('cdk-nag');
const { ClaimedPhoneNumber, PhoneNumberType } = require('$pkg_name');
const app = new App({ outdir: 'cdk.out.nag-v2' });
const stack = new Stack(app, 'NagV2Check');
const instanceId = '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d';
new ClaimedPhoneNumber(stack, 'Support', { phoneNumber: '+12065550100', instanceId });
new ClaimedPhoneNumber(stack, 'Sales', {
  phoneNumber: '+18335550199',
  targetArn: 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
});
new ClaimedPhoneNumber(stack, 'Callback', {
  search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE, prefix: '+1833' },
  instanceId,
  contactFlowArn: 'arn:aws:connect:us-east-1:123456789012:instance/' + instanceId + '/contact-flow/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
});
Aspects.of(app).add(new AwsSolutionsChecks());
const findings = app.synth().getStackArtifact(stack.artifactId).messages
  .filter((m) => m.level !== 'info' && /^AwsSolutions-/.test(String(m.entry.data)))
  .map((m) => m.id + ' ' + String(m.entry.data).split(':')[0]);
// No finding at all: the provider acknowledges IAM5 and SF2, and AwsSolutions-L1 where this release knows a newer
// runtime than a function's (the framework's functions run on the Node.js this release picks for them).
if (findings.length > 0) { console.error('cdk-nag v2 reports findings the user would have to suppress:\n' + findings.join('\n')); process.exit(1); }
console.log('cdk-nag v2 (' + require('cdk-nag/package.json').version + '): no finding');
EOF
(cd "$app" && node nag-v2.js)
echo "minimum aws-cdk-lib: done in ${SECONDS}s"

# 6. The NEWEST aws-cdk-lib and cdk-nag v3, locked in test/ecosystem/newest-aws-cdk-lib (package.json and
# package-lock.json, installed with `npm ci`): a release that knows a Lambda runtime newer than the handler's
# must give no finding either (the construct acknowledges AwsSolutions-L1 exactly when it occurs). To move
# to newer releases: edit the versions in that package.json, then run `npm install --package-lock-only` there.
step_start=$SECONDS
fixture="$root/test/ecosystem/newest-aws-cdk-lib"
newest="$work/newest"
mkdir -p "$newest"
cp "$fixture/package.json" "$fixture/package-lock.json" "$fixture/nag-v3.js" "$newest/"
(cd "$newest" && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
# The packed library next to them, the locked versions untouched (npm checks the tarball's peer ranges).
(cd "$newest" && npm install --no-save --no-audit --no-fund --prefer-offline "$tarball" >/dev/null)
for dep in aws-cdk-lib cdk-nag constructs; do
  locked="$(node -p "require('$newest/package-lock.json').packages['node_modules/$dep'].version")"
  installed="$(node -p "require('$newest/node_modules/$dep/package.json').version")"
  [ "$installed" = "$locked" ] || { echo "the newest-release app got $dep $installed, not the locked $locked" >&2; exit 1; }
done
# On the Node.js of the `node` devDependency (24, as the test suite), where steps 3-5 ran on the machine's (20 in CI).
node24="$root/node_modules/.bin/node"
[ -x "$node24" ] || { echo "node_modules/.bin/node (the node devDependency) is missing: npm ci" >&2; exit 1; }
(cd "$newest" && "$node24" nag-v3.js "$pkg_name")
echo "newest aws-cdk-lib: done in $((SECONDS - step_start))s"
echo "pack-install: OK"
