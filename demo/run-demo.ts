/**
 * `npm run demo`: the example app's numbers, deployed end to end on this machine. It starts the Connect
 * emulator and the CloudFormation API stand-in on 127.0.0.1, synthesizes the example app, and plays
 * CloudFormation's requests through the real synthesized handler bundle: create → change description and
 * tags → move to another target → remove a number from the app → delete the stack. The handler reads its
 * stack's status and template from the stand-in, as it reads CloudFormation in an account, so what it
 * releases or keeps is what it would do there. Every outcome is read back from Connect, never assumed.
 * It ends with the inventory command (`cdk-claimed-phone-number list`, the built bundle) run against the
 * same endpoints. No AWS account and no network are needed.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ContactCenterNumbersStack,
  EXAMPLE_CALLBACK_FLOW_ID,
  EXAMPLE_INSTANCE_ID,
  EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN,
} from '../bin/example-stack';
import { ConnectEmulator, startConnectEmulator } from '../emulator';
import { CloudAssembly, enforceRolePolicy, LambdaRunner, StackSimulator, synthesizeToDirectory } from '../harness';
import { CloudFormationApi, startCloudFormationApi } from '../harness/cloudformation-api';
import { OwnershipTag, parseKeptMark } from '../lib/shared/contract';

const STACK_NAME = 'ContactCenterNumbers';
const TDG_ID = EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN.split('/')[1];
const ROOT = path.join(__dirname, '..');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEDEMO', AWS_SECRET_ACCESS_KEY: 'demo-secret-key' };
/** An operator's credentials for the inventory command: the handler role's policy does not apply to them. */
const OPERATOR_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEOPERATOR', AWS_SECRET_ACCESS_KEY: 'operator-secret-key' };

async function main(): Promise<void> {
  const emulator = await startConnectEmulator({
    instances: [EXAMPLE_INSTANCE_ID],
    trafficDistributionGroups: [TDG_ID],
    claimLatencyMs: 1500,
  });
  emulator.addContactFlow(EXAMPLE_INSTANCE_ID, EXAMPLE_CALLBACK_FLOW_ID);
  const cloudFormation = await startCloudFormationApi();
  let directory: string | undefined;
  try {
    say(`Connect emulator listening on ${emulator.url} (2 requests/s, burst 5; claims take 1.5 s)`);
    say(`CloudFormation API stand-in listening on ${cloudFormation.url} (the handler reads its stack there)`);
    directory = synthesizeToDirectory((app) => new ContactCenterNumbersStack(app, STACK_NAME));
    say(`Synthesized the example app into ${directory}`);
    await play(emulator, cloudFormation, CloudAssembly.load(directory));
  } finally {
    await Promise.all([emulator.close(), cloudFormation.close()]);
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  }
}

async function play(emulator: ConnectEmulator, cloudFormation: CloudFormationApi, assembly: CloudAssembly): Promise<void> {
  const runner = new LambdaRunner({
    environment: {
      AWS_REGION: 'us-east-1',
      ...CREDENTIALS,
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  // Connect and CloudFormation allow the handler only what the synthesized role's policy allows.
  enforceRolePolicy(emulator, assembly, STACK_NAME, runner.accessKeyId);
  const stack = new StackSimulator(assembly, STACK_NAME, runner);
  cloudFormation.register(stack);
  cloudFormation.setPolicies(runner.accessKeyId!, assembly.handlerRoleStatements(STACK_NAME, { references: { 'AWS::StackId': stack.stackId } }));
  const [support, sales, callback] = ['Support', 'Sales', 'Callback'].map((id) => stack.logicalIds().find((logicalId) => logicalId.startsWith(id))!);
  const seen = { calls: 0, byCommand: 0 };
  const connectCalls = () => {
    const calls = emulator.calls.slice(seen.calls);
    seen.calls = emulator.calls.length;
    return calls.length === 0 ? 'none' : calls.map((call) => `${call.operation} ${call.httpStatus}${call.throttled ? ' (throttled)' : ''}`).join(', ');
  };
  const step = async <T extends { Status: string; PhysicalResourceId?: string; Reason?: string; Data?: { [key: string]: string } }>(
    title: string,
    play: () => Promise<T>,
  ): Promise<T> => {
    const started = Date.now();
    const response = await play();
    say(`\n▶ ${title}  [${response.Status}, ${((Date.now() - started) / 1000).toFixed(1)} s, stack ${stack.status}]`);
    say(`  physical id: ${response.PhysicalResourceId}${response.Reason && response.Reason !== response.Status ? `\n  reason: ${response.Reason}` : ''}`);
    say(`  Connect calls: ${connectCalls()}`);
    if (response.Status !== 'SUCCESS') throw new Error(`${title} failed: ${response.Reason}`);
    return response;
  };
  const show = (phoneNumber: string) => {
    const record = emulator.numberByPhone(phoneNumber);
    say(
      record && record.status !== 'RELEASED'
        ? `  Connect now: ${phoneNumber} ${record.status} at ${record.instanceId ? `instance ${record.instanceId}` : record.targetArn}, ` +
            `description "${record.description ?? ''}", tags ${JSON.stringify(record.tags)}` +
            (record.contactFlowId ? `, contact flow ${record.contactFlowId}` : '')
          : `  Connect now: ${phoneNumber} is not claimed`,
    );
  };
  /** What a Delete did to a number, as Connect shows it afterwards. */
  const fate = (phoneNumber: string): string => {
    const record = emulator.numberByPhone(phoneNumber);
    if (!record || record.status === 'RELEASED') return 'released';
    const mark = record.tags[OwnershipTag.KEPT_BY_ROLLBACK];
    if (mark !== undefined) {
      const kept = parseKeptMark(mark);
      return `KEPT (reason ${kept.reason}${kept.at ? `, at ${kept.at}` : ''}): still claimed`;
    }
    return `still claimed (${record.status})`;
  };

  await step(`Create ${support} (+12065550100 to the instance, RETAIN)`, () => stack.create(support));
  show('+12065550100');
  await step(`Create ${sales} (+18335550199 to the traffic distribution group)`, () => stack.create(sales));
  show('+18335550199');
  const found = await step(`Create ${callback} (search: any US toll-free number starting +1833, with a contact flow)`, () => stack.create(callback));
  const callbackNumber = found.Data?.PhoneNumber ?? '';
  show(callbackNumber);

  const supportProps = stack.declaredProperties(support);
  await step(`Update ${support}: new description and tags`, () =>
    stack.update(support, { ...supportProps, PhoneNumberDescription: 'Support line (24/7)', Tags: { team: 'care', tier: 'gold' } }),
  );
  show('+12065550100');
  const { TargetArn: _tdg, ...salesProps } = stack.declaredProperties(sales);
  await step(`Update ${sales}: move from the traffic distribution group to the instance`, () => stack.update(sales, { ...salesProps, InstanceId: EXAMPLE_INSTANCE_ID }));
  show('+18335550199');

  say('\n$ npx cdk-claimed-phone-number list');
  await runInventory(emulator, cloudFormation);
  const before = seen.calls;
  say(`  (the command's Connect calls: ${connectCalls()})`);
  seen.byCommand += seen.calls - before;

  await step(`Remove ${callback} from the app (its Delete in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS; contact flow removed first)`, async () => {
    const removed = await stack.delete(callback);
    if (removed === 'RETAINED') throw new Error(`${callback} has no Retain policy, yet CloudFormation sent nothing`);
    return removed;
  });
  say(`  outcome: ${callbackNumber} ${fate(callbackNumber)}`);

  const started = Date.now();
  const destroyed = await stack.deleteStack();
  say(`\n▶ cdk destroy: delete the stack  [${destroyed.status}, ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${destroyed.statuses.join(' → ')}]`);
  for (const { request, response, stackStatus } of destroyed.steps) {
    say(`  ${request.RequestType} ${request.LogicalResourceId} in ${stackStatus}: ${response.Status}${response.Reason && response.Reason !== response.Status ? ` (${response.Reason})` : ''}`);
  }
  say(`  ${support}: DeletionPolicy Retain, CloudFormation sends nothing`);
  say(`  Connect calls: ${connectCalls()}`);
  say(`  outcome: +18335550199 ${fate('+18335550199')}`);
  say(`  outcome: +12065550100 ${fate('+12065550100')}`);

  const throttled = emulator.calls.filter((call) => call.throttled).length;
  say(
    `\nDone: ${emulator.calls.length - seen.byCommand} Connect calls by the handler (${throttled} throttled in all), ` +
      `${emulator.claimedNumbers().length} number(s) still claimed, ${emulator.releasedNumbers().length} released.`,
  );
  if (emulator.claimedNumbers().map((n) => n.phoneNumber).join() !== '+12065550100' || emulator.releasedNumbers().length !== 2) {
    throw new Error('The demo should end with the RETAIN number still claimed and the other two released');
  }

  say('\n$ npx cdk-claimed-phone-number list');
  await runInventory(emulator, cloudFormation);
}

/** The built command (dist/cli/index.js) as a user runs it, pointed at the emulator and the stand-in. */
function runInventory(emulator: ConnectEmulator, cloudFormation: CloudFormationApi): Promise<void> {
  // Not spawnSync: the emulator and the stand-in answer from this process.
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'index.js'), 'list'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...OPERATOR_CREDENTIALS,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cdk-claimed-phone-number list exited with ${code}`))));
  });
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
