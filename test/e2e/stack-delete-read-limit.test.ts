/**
 * `cdk destroy` of a stack of 30 numbers while CloudFormation's read API allows 2 calls a second (burst 5)
 * to the whole account, and `cdk destroy` itself polls the stack on that same API (twice a second here): every
 * Delete reads its stack, so the reads are throttled with HTTP 400 `Throttling`; the handler rides that out as
 * it rides out Connect's limit, and every number is released. Through the real framework code and handler bundle, each invocation a process,
 * the resources deleted 30 at a time as CloudFormation deletes independent resources.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ClaimedPhoneNumberProps } from '../../lib';
import { INSTANCE_ID, startWorld, synthesizeE2eApp, World } from './world';

const NUMBERS = 30;
const OWNER = 'claimed-phone-number:owner';
let world: World;

const extra: { [id: string]: ClaimedPhoneNumberProps } = Object.fromEntries(
  Array.from({ length: NUMBERS }, (_, i) => [`Line${i}`, { phoneNumber: `+1206555${String(200 + i).padStart(4, '0')}`, instanceId: INSTANCE_ID }]),
);

beforeAll(async () => {
  world = await startWorld(synthesizeE2eApp(extra), { emulator: { claimedNumberLimit: false, claimReleaseBudget: false } });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

test('a stack delete of 30 numbers under a CloudFormation read limit of 2/s (burst 5) releases all 30', async () => {
  // GIVEN 30 deployed numbers
  const desired = Object.fromEntries(Object.keys(extra).map((id) => [world.logicalId(id), world.stack.declaredProperties(world.logicalId(id))]));
  const deployed = await world.stack.deployStack(desired, { concurrency: 10 });
  expect(deployed.status).toBe('CREATE_COMPLETE');
  // WHEN CloudFormation's reads are limited to 2/s (burst 5), `cdk destroy` polls the stack twice a second, and
  // the stack is deleted, 30 resources at once
  world.cloudFormation.limitRate({ perSecond: 2, burst: 5 });
  const cdkDestroy = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: world.cloudFormation.url,
    credentials: { accessKeyId: 'AKIDCDKDESTROY', secretAccessKey: 'cdk-destroy' },
    maxAttempts: 1,
  });
  const poll = setInterval(() => {
    cdkDestroy.send(new DescribeStacksCommand({ StackName: world.stack.stackId })).catch(() => undefined);
  }, 500);
  const result = await world.stack.deleteStack({ concurrency: NUMBERS }).finally(() => clearInterval(poll));
  cdkDestroy.destroy();
  // THEN the stack is deleted, the handler's reads were throttled, and no number is left claimed or kept
  const throttledReads = world.cloudFormation.calls.filter((call) => call.errorCode === 'Throttling' && call.accessKeyId === world.runner.accessKeyId).length;
  console.log(`stack delete of ${NUMBERS}: ${throttledReads} throttled CloudFormation reads`);
  expect(result.status).toBe('DELETE_COMPLETE');
  expect(throttledReads).toBeGreaterThan(0);
  expect(world.emulator.numbers().filter((n) => n.status !== 'RELEASED' && n.tags[OWNER])).toEqual([]);
}, 240_000);
