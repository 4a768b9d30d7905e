#!/usr/bin/env bash
# CI: lints every CloudFormation template the example app synthesizes with cfn-lint (on the machine
# image; `pip install cfn-lint` elsewhere). Fails on any error or warning: cfn-lint exits non-zero for
# both. No .cfnlintrc: the one warning CDK itself causes (W3005, a DependsOn on a function's role next to
# the GetAtt of that role) is ignored in the metadata of the resources concerned by the construct, so that
# users linting their own templates see nothing from it either.
#   scripts/ci-cfn-lint.sh              builds (npm run build), synthesizes, lints
#   SKIP_BUILD=1 scripts/ci-cfn-lint.sh  when `npm run build` has just run (as in .ci/ecosystem)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cfn-lint >/dev/null || { echo "cfn-lint not found (pip install cfn-lint)" >&2; exit 1; }
[ "${SKIP_BUILD:-}" = 1 ] || npm run --silent build

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx cdk synth --app 'node bin/example-app.js' --quiet --output "$out" >/dev/null

mapfile -t templates < <(find "$out" -name '*.template.json' | sort)
[ "${#templates[@]}" -gt 0 ] || { echo "no template synthesized" >&2; exit 1; }
echo "cfn-lint $(cfn-lint --version | awk '{print $2}') on ${#templates[@]} template(s): ${templates[*]##*/}"
# Regions the construct is meant for: wherever Amazon Connect phone numbers can be claimed.
cfn-lint --regions us-east-1 us-west-2 eu-west-2 eu-central-1 ap-southeast-2 ap-northeast-1 ca-central-1 -- "${templates[@]}"
echo "cfn-lint: no errors, no warnings"
