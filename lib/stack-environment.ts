import { Stack, Token } from 'aws-cdk-lib';

/**
 * Where a stack deploys, as a key: `account/region`, each part empty when it is unresolved. Stacks with equal
 * keys deploy to the same account and Region; environment-agnostic stacks (`/`) all deploy wherever the CLI's
 * credentials point, so they are taken to share one.
 */
export function environmentKey(stack: Stack): string {
  const { account, region } = stack;
  return `${Token.isUnresolved(account) ? '' : account}/${Token.isUnresolved(region) ? '' : region}`;
}
