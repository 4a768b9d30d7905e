/**
 * `release`: shows what it will release and what that costs, asks (unless --yes), releases each number
 * (release-number.ts) and reports every outcome, including the ones it could not finish.
 */
import { ConnectGateway, errorMessage } from '../lambda/connect-gateway';
import { Clock } from '../lambda/retry';
import { CliArgs } from './args';
import { InventoryEntry } from './classify';
import { AwsFailure, UsageError } from './errors';
import { CliIo, readLine } from './io';
import { releaseNumber, ReleaseTiming } from './release-number';
import { releaseToken } from './release-token';
import { renderTable } from './render';
import { busyForRelease, selectForRelease } from './selection';

export const RELEASE_WARNING =
  'A released number cannot be claimed again by anyone for up to 180 days (Connect\'s cooldown), and every claim and ' +
  'release counts against the 200% rule: when claims plus releases in 180 days exceed 200% of the account\'s ' +
  'phone-number quota, Connect blocks further claims.\n';

export interface ReleaseContext {
  readonly gateway: ConnectGateway;
  readonly clock: Clock;
  readonly io: CliIo;
  readonly timing: ReleaseTiming;
}

export async function runRelease(args: CliArgs, entries: readonly InventoryEntry[], context: ReleaseContext): Promise<number> {
  const { io } = context;
  const selected = selectForRelease(args, entries);
  for (const entry of busyForRelease(args, entries)) {
    io.stdout.write(`Leaving ${entry.phoneNumber} alone: stack ${entry.stackName} is ${entry.stackStatus}; run the command again once it has settled.\n`);
  }
  if (selected.length === 0) {
    io.stdout.write('Nothing to release.\n');
    return 0;
  }
  io.stdout.write(`${args.dryRun ? 'Would release' : 'Will release'} ${selected.length} number${selected.length === 1 ? '' : 's'}:\n`);
  io.stdout.write(renderTable(selected));
  io.stdout.write(RELEASE_WARNING);
  if (args.dryRun) {
    io.stdout.write('Dry run: nothing was released.\n');
    return 0;
  }
  if (!args.yes && !(await confirmed(io, selected.length))) {
    io.stdout.write('Nothing was released.\n');
    return 0;
  }
  const failures: string[] = [];
  for (const entry of selected) {
    try {
      const outcome = await releaseNumber(entry, releaseToken(entry.phoneNumberArn), context.gateway, context.clock, context.timing);
      io.stdout.write(`${entry.phoneNumber}  ${OUTCOME_TEXT[outcome]}\n`);
    } catch (error) {
      failures.push(`${entry.phoneNumber} (${entry.phoneNumberArn}): ${errorMessage(error)}`);
      io.stdout.write(`${entry.phoneNumber}  NOT RELEASED: ${errorMessage(error)}\n`);
    }
  }
  if (failures.length > 0) {
    throw new AwsFailure(`${failures.length} of ${selected.length} number(s) not released:\n  ${failures.join('\n  ')}`);
  }
  return 0;
}

const OUTCOME_TEXT = {
  released: 'released',
  'already-gone': 'already released (Connect no longer knows it)',
  changed: 'skipped: its tags changed since it was listed (a deploy took it back?); list again',
} as const;

async function confirmed(io: CliIo, count: number): Promise<boolean> {
  if (!io.isTTY.stdin) {
    throw new UsageError('Refusing to release without confirmation: stdin is not a terminal. Pass --yes to release, or --dry-run to look. Nothing was released.');
  }
  io.stderr.write(`Release ${count} number${count === 1 ? '' : 's'}? Type "yes" to go on: `);
  return (await readLine(io.stdin))?.trim().toLowerCase() === 'yes';
}
