/**
 * The command as a function: arguments and a process view in, an exit code out (0 done, 1 an AWS call
 * failed, 2 bad input). Clients, clock and timings are injectable, so tests run it in-process against the
 * Connect emulator and the CloudFormation stand-in; main.ts runs it on the real process.
 */
import { ConnectGateway, errorMessage, errorName } from '../lambda/connect-gateway';
import { Logger } from '../lambda/logger';
import { Clock, systemClock } from '../lambda/retry';
import { CliArgs, parseArgs } from './args';
import { AwsClients, createClients } from './clients';
import { CliError } from './errors';
import { takeInventory } from './inventory';
import { CliIo, progressReporter } from './io';
import { CONNECT_PACE, pace, PaceOptions } from './pacer';
import { runRelease } from './release-command';
import { DEFAULT_RELEASE_TIMING, ReleaseTiming } from './release-number';
import { renderJson, renderSummary, renderTable } from './render';
import { USAGE } from './usage';

export interface CliDependencies {
  /** Makes the clients (default: the SDK's chain, createClients); called once per run. */
  readonly clients?: (args: CliArgs) => Promise<AwsClients>;
  readonly clock?: Clock;
  /** Client-side pace of Connect calls; default Connect's 2 requests/s, burst 5. */
  readonly pace?: PaceOptions;
  readonly releaseTiming?: ReleaseTiming;
  /** How long after the start retries of a throttled or failing call may go on. Default 6 hours. */
  readonly retryForMs?: number;
}

/** Environment variable that sends the Connect gateway's structured logs (each call, each retry) to stderr. */
export const DEBUG_ENV = 'CDK_CLAIMED_PHONE_NUMBER_DEBUG';

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDependencies = {}): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    return await run(args, io, deps);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`AWS call failed: ${errorName(error) ?? 'Error'}: ${errorMessage(error)}\n`);
    return 1;
  }
}

async function run(args: CliArgs, io: CliIo, deps: CliDependencies): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const clients = await (deps.clients ?? ((a: CliArgs) => createClients(a.region, a.profile)))(args);
  pace(clients.connect, deps.pace ?? CONNECT_PACE, clock);
  const logger = new Logger({ tool: 'cdk-claimed-phone-number' }, io.env[DEBUG_ENV] ? (line) => io.stderr.write(`${line}\n`) : () => undefined);
  const gateway = new ConnectGateway(clients.connect, clock, logger, clock.now() + (deps.retryForMs ?? 6 * 60 * 60 * 1000));
  const progress = progressReporter(io, 'Reading phone numbers');
  const entries = await takeInventory(
    { cloudFormation: clients.cloudFormation, gateway, clock, logger, onProgress: progress.update },
    args.stack,
  ).finally(() => progress.end());
  if (args.command === 'release') {
    return runRelease(args, entries, { gateway, clock, io, timing: deps.releaseTiming ?? DEFAULT_RELEASE_TIMING });
  }
  const shown = args.states ? entries.filter((entry) => args.states!.includes(entry.state)) : entries;
  if (args.json) {
    io.stdout.write(renderJson(shown));
  } else {
    io.stdout.write(renderTable(shown));
    io.stdout.write(renderSummary(shown));
  }
  return 0;
}
