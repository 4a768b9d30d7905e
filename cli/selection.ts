/**
 * Which listed numbers `release` acts on: those in the chosen states, plus those named by number or ARN.
 * Naming a number the library does not hold, or one a stack holds (in-use), is bad input: refused with the
 * reason before anything is released.
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
  const byState = args.states ? entries.filter((entry) => args.states!.includes(entry.state)) : [];
  return entries.filter((entry) => byName.includes(entry) || byState.includes(entry));
}
