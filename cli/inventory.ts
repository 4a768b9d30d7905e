/**
 * `list`'s work: every number listed (number-listing.ts) and described (owned-numbers.ts), each owner's stack
 * read once (stack-directory.ts), each owned number classified (classify.ts), sorted by stack, then state.
 */
import { ListPhoneNumbersSummary } from '@aws-sdk/client-connect';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectGateway } from '../lambda/connect-gateway';
import { Logger } from '../lambda/logger';
import { Clock } from '../lambda/retry';
import { Property, RESOURCE_TYPE } from '../lib/shared/contract';
import { classify, InventoryEntry } from './classify';
import { describeOwned } from './owned-numbers';
import { StackDirectory, StackFacts } from './stack-directory';
import { STATES } from './states';

export interface InventoryContext {
  readonly cloudFormation: CloudFormationClient;
  readonly gateway: ConnectGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onProgress: (done: number, total: number) => void;
}

/** Whether an owner scope belongs to `stack`: the stack itself, or a nested stack under it. */
export function inStack(scope: string, stack: string | undefined): boolean {
  return stack === undefined || scope === stack || scope.startsWith(`${stack}/`);
}

export async function takeInventory(context: InventoryContext, stack?: string): Promise<InventoryEntry[]> {
  const { gateway, clock } = context;
  const stacks = new StackDirectory(context.cloudFormation, clock, context.logger, gateway.deadline);
  const listed = await listAll(gateway);
  // Tags come only with each number's description: --stack cannot narrow the Connect reads, only what follows.
  const owned = (await describeOwned(listed, gateway, context.onProgress)).filter((number) => inStack(number.scope, stack));
  const facts = await Promise.all(owned.map((number) => stacks.facts(number.scope)));
  // Without a target, ListPhoneNumbersV2 is documented to list the numbers of instances only: list the traffic
  // distribution groups the templates in force name as well (one call each; numbers already seen are not
  // described again).
  const seen = new Set(listed.map((summary) => summary.PhoneNumberArn));
  const onGroups: ListPhoneNumbersSummary[] = [];
  for (const group of trafficDistributionGroupsOf(facts)) {
    onGroups.push(...(await listAll(gateway, group)).filter((summary) => !seen.has(summary.PhoneNumberArn)));
    onGroups.forEach((summary) => seen.add(summary.PhoneNumberArn));
  }
  const more = (await describeOwned(onGroups, gateway, context.onProgress)).filter((number) => inStack(number.scope, stack));
  const all = [...owned, ...more];
  const entries = await Promise.all(all.map(async (number) => classify(number, await stacks.facts(number.scope))));
  return entries.sort(
    (a, b) =>
      a.stackName.localeCompare(b.stackName) ||
      STATES.indexOf(a.state) - STATES.indexOf(b.state) ||
      a.logicalId.localeCompare(b.logicalId) ||
      a.phoneNumber.localeCompare(b.phoneNumber),
  );
}

/** Every number of the account and Region (or claimed to `targetArn`), 1,000 a page: the API's maximum. */
async function listAll(gateway: ConnectGateway, targetArn?: string): Promise<ListPhoneNumbersSummary[]> {
  const all: ListPhoneNumbersSummary[] = [];
  for await (const summary of gateway.listPhoneNumbers({ TargetArn: targetArn }, 1000)) {
    all.push(summary);
  }
  return all;
}

/** The traffic distribution group ARNs (plain strings) the claimed numbers of these templates are declared on. */
function trafficDistributionGroupsOf(facts: readonly StackFacts[]): Set<string> {
  const groups = new Set<string>();
  for (const stackFacts of facts) {
    if (!stackFacts.exists) continue;
    for (const resource of Object.values(stackFacts.template)) {
      const target = resource.Type === RESOURCE_TYPE ? resource.Properties?.[Property.TARGET_ARN] : undefined;
      if (typeof target === 'string' && /:traffic-distribution-group\//.test(target)) groups.add(target);
    }
  }
  return groups;
}
