#!/usr/bin/env bash
# CI: the library compiles with jsii (so it can be published for Python, Java, .NET and Go), and API.md
# is the one jsii-docgen generates from that assembly. jsii compiles lib/ in place with its own
# TypeScript, from tsconfig.jsii.json (user-provided tsconfig mode: jsii never touches tsconfig.json,
# and lambda/, test/, bin/... stay out of its compilation).
# Needs the devDependencies jsii and jsii-docgen and the package.json "jsii" section (README "Quality gates").
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/jsii ] && [ -x node_modules/.bin/jsii-docgen ] \
  || { echo "jsii / jsii-docgen are not installed (npm install --save-dev --save-exact jsii jsii-docgen)" >&2; exit 1; }

# jsii 6 prints an end-of-life banner on Node 20; the compilation itself is unaffected.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
npx jsii --fail-on-warnings --silence-warnings=reserved-word
node -e 'const a = JSON.parse(require("fs").readFileSync(".jsii", "utf8")); console.log(`jsii assembly ${a.name}@${a.version}: ${Object.keys(a.types).length} types, targets ${Object.keys(a.targets).join(", ")}`)'

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx jsii-docgen --output "$out/API.md"
if ! diff -q API.md "$out/API.md" >/dev/null 2>&1; then
  echo "API.md is missing or out of date: run \`npm run docgen\` and commit it" >&2
  diff -u API.md "$out/API.md" | head -40 >&2 || true
  exit 1
fi
echo "jsii: OK, API.md up to date"
