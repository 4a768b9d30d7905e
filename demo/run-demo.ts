/**
 * `npm run demo`: the example app's numbers, deployed end to end on this machine. It starts the Connect
 * emulator on 127.0.0.1, synthesizes the example app, and plays CloudFormation's requests through the
 * real synthesized handler bundle: create → change description and tags → move to another target →
 * delete. No AWS account and no network are needed.
 */
import {
  ContactCenterNumbersStack,
  EXAMPLE_CALLBACK_FLOW_ID,
  EXAMPLE_INSTANCE_ID,
  EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN,
} from '../bin/example-stack';
import { startConnectEmulator } from '../emulator';
import { CfnResponse, CloudAssembly, enforceRolePolicy, LambdaRunner, StackSimulator, synthesizeToDirectory } from '../harness';

const STACK_NAME = 'ContactCenterNumbers';
const TDG_ID = EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN.split('/')[1];

async function main(): Promise<void> {
  const emulator = await startConnectEmulator({
    instances: [EXAMPLE_INSTANCE_ID],
    trafficDistributionGroups: [TDG_ID],
    claimLatencyMs: 1500,
  });
  emulator.addContactFlow(EXAMPLE_INSTANCE_ID, EXAMPLE_CALLBACK_FLOW_ID);
  try {
    say(`Connect emulator listening on ${emulator.url} (2 requests/s, burst 5; claims take 1.5 s)`);
    const directory = synthesizeToDirectory((app) => new ContactCenterNumbersStack(app, STACK_NAME));
    say(`Synthesized the example app into ${directory}`);

    const assembly = CloudAssembly.load(directory);
    const runner = new LambdaRunner({
      environment: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEDEMO',
        AWS_SECRET_ACCESS_KEY: 'demo-secret-key',
        AWS_ENDPOINT_URL_CONNECT: emulator.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    // The emulator allows the handler only what the synthesized role's policy allows.
    enforceRolePolicy(emulator, assembly, STACK_NAME, runner.accessKeyId);
    const stack = new StackSimulator(assembly, STACK_NAME, runner);
    const [support, sales, callback] = ['Support', 'Sales', 'Callback'].map((id) => stack.logicalIds().find((logicalId) => logicalId.startsWith(id))!);
    const seen = { calls: 0 };
    const step = async (title: string, play: () => Promise<CfnResponse | 'RETAINED'>): Promise<CfnResponse | 'RETAINED'> => {
      const started = Date.now();
      const response = await play();
      const calls = emulator.calls.slice(seen.calls);
      seen.calls = emulator.calls.length;
      const outcome = response === 'RETAINED' ? 'RETAINED (DeletionPolicy Retain: CloudFormation sends nothing)' : response.Status;
      say(`\n▶ ${title}  [${outcome}, ${((Date.now() - started) / 1000).toFixed(1)} s]`);
      if (response !== 'RETAINED') {
        say(`  physical id: ${response.PhysicalResourceId}${response.Reason ? `\n  reason: ${response.Reason}` : ''}`);
      }
      say(`  Connect calls: ${calls.length === 0 ? 'none' : calls.map((call) => `${call.operation} ${call.httpStatus}${call.throttled ? ' (throttled)' : ''}`).join(', ')}`);
      if (response !== 'RETAINED' && response.Status !== 'SUCCESS') {
        throw new Error(`${title} failed: ${response.Reason}`);
      }
      return response;
    };
    const show = (phoneNumber: string) => {
      const record = emulator.numberByPhone(phoneNumber);
      say(
        record
          ? `  Connect now: ${phoneNumber} ${record.status} at ${record.instanceId ? `instance ${record.instanceId}` : record.targetArn}, ` +
              `description "${record.description ?? ''}", tags ${JSON.stringify(record.tags)}` +
              (record.contactFlowId ? `, contact flow ${record.contactFlowId}` : '')
          : `  Connect now: ${phoneNumber} is not claimed`,
      );
    };

    await step(`Create ${support} (+12065550100 to the instance, RETAIN)`, () => stack.create(support));
    show('+12065550100');
    await step(`Create ${sales} (+18335550199 to the traffic distribution group)`, () => stack.create(sales));
    show('+18335550199');

    const found = await step(`Create ${callback} (search: any US toll-free number starting +1833, with a contact flow)`, () =>
      stack.create(callback),
    );
    const callbackNumber = found === 'RETAINED' ? '' : (found.Data?.PhoneNumber ?? '');
    show(callbackNumber);

    const supportProps = stack.declaredProperties(support);
    await step(`Update ${support}: new description and tags`, () =>
      stack.update(support, { ...supportProps, PhoneNumberDescription: 'Support line (24/7)', Tags: { team: 'care', tier: 'gold' } }),
    );
    show('+12065550100');

    const { TargetArn: _tdg, ...salesProps } = stack.declaredProperties(sales);
    await step(`Update ${sales}: move from the traffic distribution group to the instance`, () =>
      stack.update(sales, { ...salesProps, InstanceId: EXAMPLE_INSTANCE_ID }),
    );
    show('+18335550199');

    await step(`Delete ${callback} (contact flow removed first, then released)`, () => stack.delete(callback));
    show(callbackNumber);
    await step(`Delete ${sales} (removal policy DESTROY: released)`, () => stack.delete(sales));
    show('+18335550199');
    await step(`Delete ${support} (removal policy RETAIN: kept)`, () => stack.delete(support));
    show('+12065550100');

    const throttled = emulator.calls.filter((call) => call.throttled).length;
    say(`\nDone: ${emulator.calls.length} Connect calls (${throttled} throttled), ${emulator.claimedNumbers().length} number(s) still claimed, ${emulator.releasedNumbers().length} released.`);
  } finally {
    await emulator.close();
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
