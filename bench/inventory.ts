/**
 * `node bench/inventory.js [count]`: `cdk-claimed-phone-number list` over 1,000 owned numbers (or `count`), in
 * virtual time (virtual-time/virtual-clock.ts) so the run takes seconds instead of the ~500 s Connect's rate
 * imposes. Everything between the command and Connect is real: runCli, the pacer, the Connect gateway and
 * its retries, the AWS SDK (serialization, signing, error parsing), and the emulator's engine with its
 * default rate limit (2 requests/s, burst 5, per operation), reached through the in-process transport.
 * CloudFormation answers from an in-process mock of one stack that holds every number (the command reads
 * it in 1 DescribeStacks + 1 GetTemplate + ceil(n / 100) ListStackResources).
 *
 * Prints the command's wall time against the rate bound: ceil(n / 1000) list pages and n describes, each
 * operation in its own bucket, so the bound is the describes': (n - burst) / rate. Kept out of CI and out of
 * bench/run.ts (which writes BENCHMARKS.md): a standalone script.
 */
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../cli/run-cli';
import { createConnectClient } from '../lambda/connect-client';
import { ConnectEngine } from '../emulator/engine';
import { OwnershipTag, RESOURCE_TYPE } from '../lib/shared/contract';
import { InProcessTransport } from './virtual-time/in-process-transport';
import { runInVirtualTime } from './virtual-time/virtual-clock';
import { INSTANCE_ID, STACK_NAME } from './shared';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RATE = { requestsPerSecond: 2, burst: 5 };
/** Ten area codes of fictional 555-01xx numbers: 1,000 distinct numbers. */
const AREA_CODES = ['206', '425', '509', '360', '253', '564', '208', '503', '541', '971'];
const NETWORK_DELAY_MS = 30;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  if (!Number.isInteger(count) || count < 1 || count > AREA_CODES.length * 100) throw new Error(`count must be 1..${AREA_CODES.length * 100}`);
  const engine = new ConnectEngine({ claimedNumberLimit: false, claimReleaseBudget: false, instances: [INSTANCE_ID], rateLimit: RATE });
  const arns = claimOwnedNumbers(engine, count);
  mockStack(arns);
  const stdout: string[] = [];
  const run = await runInVirtualTime(async () => {
    const started = Date.now();
    const code = await runCli(
      ['list', '--json'],
      {
        env: {},
        stdout: { write: (text: string) => stdout.push(text) },
        stderr: { write: (text: string) => process.stderr.write(text) },
        stdin: process.stdin,
        isTTY: { stdin: false, stderr: false },
      },
      { clients: async () => ({ connect: connectClient(engine), cloudFormation: new CloudFormationClient({ region: 'us-east-1' }) }) },
    );
    return { code, wallMs: Date.now() - started };
  });
  const listed = JSON.parse(stdout.join('')) as { state: string }[];
  const calls = engine.calls;
  const describes = calls.filter((call) => call.operation === 'DescribePhoneNumber');
  const throttled = calls.filter((call) => call.throttled).length;
  const boundMs = ((count - RATE.burst) / RATE.requestsPerSecond) * 1000;
  const lines = [
    `list over ${count} owned numbers (exit code ${run.value.code}; ${listed.filter((entry) => entry.state === 'in-use').length} listed in-use)`,
    `  Connect calls: ${calls.length} (${describes.length} DescribePhoneNumber, ${calls.length - describes.length} ListPhoneNumbersV2), ${throttled} throttled`,
    `  wall time (virtual): ${(run.value.wallMs / 1000).toFixed(1)} s; rate bound ${(boundMs / 1000).toFixed(1)} s ` +
      `(${count} describes at ${RATE.requestsPerSecond}/s after a burst of ${RATE.burst}): ${((run.value.wallMs / boundMs) * 100).toFixed(1)} % of the bound`,
    `  computed in ${(run.realMs / 1000).toFixed(1)} s of real time`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `count` numbers claimed to the instance, each owned by its own logical id of one stack. */
function claimOwnedNumbers(engine: ConnectEngine, count: number): string[] {
  const target = engine.state.resolveTarget({ InstanceId: INSTANCE_ID }, 'us-east-1');
  const now = engine.clock.now();
  return Array.from({ length: count }, (_, i) => {
    const phoneNumber = `+1${AREA_CODES[Math.floor(i / 100)]}5550${100 + (i % 100)}`;
    const tags = { [OwnershipTag.OWNER]: `${STACK_NAME}/Number${i}`, team: 'bench' };
    return engine.state.createRecord({ phoneNumber, target, region: 'us-east-1', tags, now, completesAt: now, outOfBand: true }).arn;
  });
}

/** The stack that holds every number: what DescribeStacks, GetTemplate and ListStackResources answer. */
function mockStack(arns: string[]): void {
  const cfn = mockClient(CloudFormationClient);
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: STACK_NAME, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() } as never] });
  const resources = Object.fromEntries(
    arns.map((_, i) => [`Number${i}`, { Type: RESOURCE_TYPE, Properties: { InstanceId: INSTANCE_ID, Tags: { team: 'bench' } } }]),
  );
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: resources }) });
  cfn.on(ListStackResourcesCommand).callsFake((input: { NextToken?: string }) => {
    const offset = Number(input.NextToken ?? 0);
    const page = arns.slice(offset, offset + 100).map((arn, i) => ({ LogicalResourceId: `Number${offset + i}`, PhysicalResourceId: arn }));
    return { StackResourceSummaries: page, NextToken: offset + 100 < arns.length ? String(offset + 100) : undefined };
  });
}

function connectClient(engine: ConnectEngine): ConnectClient {
  return createConnectClient({
    region: 'us-east-1',
    endpoint: 'http://connect.virtual.invalid',
    credentials: { accessKeyId: 'AKIDEXAMPLEBENCH', secretAccessKey: 'bench-secret-key' },
    requestHandler: new InProcessTransport(engine, () => NETWORK_DELAY_MS),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
