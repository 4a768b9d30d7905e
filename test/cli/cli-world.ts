/**
 * Runs the command in-process against an end-to-end world (test/e2e/world.ts): the Connect emulator and the
 * CloudFormation stand-in that the handler itself reads, so what `list` sees is what the real sequences left.
 */
import * as fs from 'fs';
import { Readable } from 'stream';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import { RemovalPolicy } from 'aws-cdk-lib';
import { ClaimedPhoneNumberProps, PhoneNumberType } from '../../lib';
import { CliDependencies, runCli } from '../../cli/run-cli';
import { CloudAssembly, Properties } from '../../harness';
import { INSTANCE_ID, synthesizeE2eApp, World } from '../e2e/world';

/** The CLI signs with its own key: the stand-ins enforce the handler role's policy on the handler's key only. */
export const CLI_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLECLI', secretAccessKey: 'cli-secret-key' };

/** The end-to-end app plus a RETAIN number, so that removing it from the template leaves a retained number. */
// Outside the Finder's search prefix (+1206555013) and the failed replacement's (+1206555012).
export const RETAINED_NUMBER = '+12065550118';
export function synthesizeCliApp(): CloudAssembly {
  const extra: { [id: string]: ClaimedPhoneNumberProps } = {
    Finder: { search: { countryCode: 'US', numberType: PhoneNumberType.DID, prefix: '+1206555013' }, instanceId: INSTANCE_ID },
    Archive: { phoneNumber: RETAINED_NUMBER, instanceId: INSTANCE_ID, removalPolicy: RemovalPolicy.RETAIN },
  };
  return synthesizeE2eApp(extra);
}

/** Removes a synthesized app's temporary directory (each test file synthesizes its own). */
export function removeAssembly(assembly: CloudAssembly | undefined): void {
  if (assembly) fs.rmSync(assembly.directory, { recursive: true, force: true });
}

export function connectClientFor(world: World): ConnectClient {
  return new ConnectClient({ region: 'us-east-1', endpoint: world.emulator.url, credentials: CLI_CREDENTIALS, maxAttempts: 1 });
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Lines typed on stdin. */
  readonly input?: string;
  readonly stdinIsTTY?: boolean;
  readonly deps?: Partial<CliDependencies>;
}

export async function cli(world: World, argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      env: {},
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from(options.input === undefined ? [] : [options.input]),
      isTTY: { stdin: options.stdinIsTTY ?? false, stderr: false },
    },
    {
      clients: async () => ({
        connect: connectClientFor(world),
        cloudFormation: new CloudFormationClient({ region: 'us-east-1', endpoint: world.cloudFormation.url, credentials: CLI_CREDENTIALS, maxAttempts: 1 }),
      }),
      releaseTiming: { pollMs: 100, waitMs: 10_000 },
      ...options.deps,
    },
  );
  return { code, stdout, stderr };
}

/** The properties the template declares for a logical id, with overrides. */
export function propsOf(world: World, logicalId: string, overrides: Properties = {}): Properties {
  return { ...world.stack.declaredProperties(logicalId), ...overrides };
}

/**
 * Plays the real sequences that leave a number in each state but orphaned, in one stack:
 * a deploy (in-use), a failed search-criteria replacement rolled back by another resource's failure (kept),
 * and the RETAIN resource removed from the template (retained).
 */
export async function playStates(world: World): Promise<{ kept: string }> {
  const finder = world.logicalId('Finder');
  const archive = world.logicalId('Archive');
  const template = world.stack.declaredTemplate();
  const deployed = await world.stack.deployStack(template);
  expect({ status: deployed.status, failure: deployed.failure }).toEqual({ status: 'CREATE_COMPLETE', failure: undefined });
  const before = new Set(world.emulator.claimedNumbers().map((n) => n.phoneNumber));
  const failed = await world.stack.deployStack({ ...template, [finder]: propsOf(world, finder, { PhoneNumberPrefix: '+1206555012' }) }, { failUnrelatedAfter: 1 });
  expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const kept = world.emulator.claimedNumbers().find((n) => !before.has(n.phoneNumber));
  if (!kept) throw new Error('The failed replacement kept no number');
  const { [archive]: _removed, ...withoutArchive } = template;
  const removed = await world.stack.deployStack(withoutArchive);
  expect({ status: removed.status, failure: removed.failure }).toEqual({ status: 'UPDATE_COMPLETE', failure: undefined });
  return { kept: kept.phoneNumber };
}
