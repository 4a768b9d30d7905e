/**
 * Which listed numbers `release` acts on: those in the chosen states, plus those named by number or ARN.
 * Naming a number the library does not hold, or one a stack holds (in-use), is bad input: refused with the
 * reason before anything is released. A number whose stack is in the middle of an operation is left alone
 * (named, it is refused): the operation may take it back, and what the stack holds is not settled yet.
 */
import { CliArgs } from './args';
import { InventoryEntry } from './classify';
import { UsageError } from './errors';

export function selectForRelease(args: CliArgs, entries: readonly InventoryEntry[]): InventoryEntry[] {
  const named = [...args.numbers, ...args.arns];
  const unknown = named.filter((name) => !entries.some((entry) => entry.phoneNumber === name || entry.phoneNumberArn === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `Not a number of cdk-claimed-phone-number in this account and Region${args.stack ? ` owned by stack ${args.stack}` : ''}: ${unknown.join(', ')}.`,
    );
  }
  const byName = entries.filter((entry) => named.includes(entry.phoneNumber) || named.includes(entry.phoneNumberArn));
  const inUse = byName.filter((entry) => entry.state === 'in-use');
  if (inUse.length > 0) {
    throw new UsageError(
      `Refusing to release a number in use: ${inUse.map((entry) => `${entry.phoneNumber} (${entry.reason})`).join('; ')} ` +
        'Remove it from the stack (or delete the stack) instead. Nothing was released.',
    );
  }
  const busyByName = byName.filter(isStackBusy);
  if (busyByName.length > 0) {
    throw new UsageError(
      `Refusing to release a number whose stack is being deployed: ${busyByName.map((entry) => `${entry.phoneNumber} (stack ${entry.stackName} is ${entry.stackStatus})`).join('; ')}. ` +
        'Run the command again once the stack has settled. Nothing was released.',
    );
  }
  const byState = args.states ? entries.filter((entry) => args.states!.includes(entry.state) && !isStackBusy(entry)) : [];
  return entries.filter((entry) => byName.includes(entry) || byState.includes(entry));
}

/** Numbers --state leaves out because their stack is in the middle of an operation. */
export function busyForRelease(args: CliArgs, entries: readonly InventoryEntry[]): InventoryEntry[] {
  return args.states ? entries.filter((entry) => args.states!.includes(entry.state) && isStackBusy(entry)) : [];
}

/** A stack status such as UPDATE_IN_PROGRESS or UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS. */
function isStackBusy(entry: InventoryEntry): boolean {
  return entry.stackStatus?.endsWith('_IN_PROGRESS') ?? false;
}
