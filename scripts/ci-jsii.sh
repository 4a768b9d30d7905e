#!/usr/bin/env bash
# CI: the library compiles with jsii (so it can be published for Python, Java, .NET and Go) with no
# warning silenced and every warning an error (reserved words in any target language included) but two:
# the JSII6 warnings that the devDependencies aws-cdk-lib and constructs are not the peer ranges' minimum
# (they are the releases the tests run on; ci-pack-install.sh tests the minimum), which
# scripts/build-jsii.mjs lets pass by their exact text and explains. Any other warning fails the build. And
# API.md is the one jsii-docgen generates from that assembly. jsii compiles lib/ in place with its own
# TypeScript, from tsconfig.jsii.json (user-provided tsconfig mode: jsii never touches tsconfig.json,
# and lambda/, test/, bin/... stay out of its compilation); `npm run build` runs it (scripts/build-jsii.mjs).
#   scripts/ci-jsii.sh               runs the jsii step of the build (jsii itself only if lib/ changed)
#   SKIP_BUILD=1 scripts/ci-jsii.sh  when `npm run build` has just run (as in .ci/ecosystem): jsii is
#                                    not run again, the assembly must be the one of the current sources
# Needs the devDependencies jsii and jsii-docgen and the package.json "jsii" section (README "Quality gates").
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/jsii ] && [ -x node_modules/.bin/jsii-docgen ] \
  || { echo "jsii / jsii-docgen are not installed (npm install --save-dev --save-exact jsii jsii-docgen)" >&2; exit 1; }

# Warnings are errors, and none may be silenced.
if grep -nE -- '--silence-warnings|--Wno|silenceWarnings' package.json scripts/build-jsii.mjs; then
  echo "jsii warnings are silenced above: rename what jsii warns about instead" >&2; exit 1
fi
grep -q -- "'--fail-on-warnings'" scripts/build-jsii.mjs || { echo "scripts/build-jsii.mjs does not run jsii with --fail-on-warnings" >&2; exit 1; }

if [ "${SKIP_BUILD:-}" = 1 ]; then
  node scripts/build-jsii.mjs --check
else
  node scripts/build-jsii.mjs
fi
node -e 'const a = JSON.parse(require("fs").readFileSync(".jsii", "utf8")); console.log(`jsii assembly ${a.name}@${a.version}: ${Object.keys(a.types).length} types, targets ${Object.keys(a.targets).join(", ")}`)'

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx jsii-docgen --output "$out/API.md"
if ! diff -q API.md "$out/API.md" >/dev/null 2>&1; then
  echo "API.md is missing or out of date: run \`npm run docgen\` and commit it" >&2
  diff -u API.md "$out/API.md" | head -40 >&2 || true
  exit 1
fi
echo "jsii: OK (--fail-on-warnings, no warning silenced, none but the two intended JSII6 warnings), API.md up to date"
