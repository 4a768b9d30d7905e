/**
 * `list`'s work: the owned numbers (owned-numbers.ts), each owner's stack read once (stack-directory.ts),
 * each number classified (classify.ts), sorted by stack, then state.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectGateway } from '../lambda/connect-gateway';
import { Logger } from '../lambda/logger';
import { Clock } from '../lambda/retry';
import { classify, InventoryEntry } from './classify';
import { findOwnedNumbers } from './owned-numbers';
import { StackDirectory } from './stack-directory';
import { STATES } from './states';

export interface InventoryContext {
  readonly connect: ConnectClient;
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
  // Tags come only with each number's description: --stack cannot narrow the Connect reads, only what follows.
  const owned = (await findOwnedNumbers(context.connect, context.gateway, context.clock, context.onProgress)).filter((number) => inStack(number.scope, stack));
  const stacks = new StackDirectory(context.cloudFormation, context.clock, context.logger, context.gateway.deadline);
  const entries = await Promise.all(owned.map(async (number) => classify(number, await stacks.facts(number.scope))));
  return entries.sort(
    (a, b) =>
      a.stackName.localeCompare(b.stackName) ||
      STATES.indexOf(a.state) - STATES.indexOf(b.state) ||
      a.logicalId.localeCompare(b.logicalId) ||
      a.phoneNumber.localeCompare(b.phoneNumber),
  );
}
