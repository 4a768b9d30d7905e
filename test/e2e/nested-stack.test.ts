/**
 * Numbers in a nested stack, end to end: the nested stack's real synthesized template (its provider, role and
 * OWNER_SCOPE) played by the stack model under the name CloudFormation gives a nested stack, with its parent
 * (the root) a stub whose status the test sets, as DescribeStacks shows it through ParentId and RootId. A
 * nested stack reports DELETE_IN_PROGRESS whatever its parent does: only the parent tells a rollback's delete
 * (keep) from a delete the user asked for (release). Through the real Provider framework code and handler
 * bundle, each invocation a process, under the synthesized role policy for Connect and CloudFormation.
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import { ConnectEmulator, startConnectEmulator } from '../../emulator';
import { CloudAssembly, enforceRolePolicy, LambdaRunner, StackSimulator, startFrameworkServices, synthesizeToDirectory } from '../../harness';
import { ParentStackStub } from '../../harness/cfn/parent-stack-stub';
import { CloudFormationApi, startCloudFormationApi } from '../../harness/cloudformation-api';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID } from './world';

const OWNER = 'claimed-phone-number:owner';
const KEPT = 'claimed-phone-number:kept-by-rollback';
const NUMBER = '+12065550100';

let assembly: CloudAssembly;
let nestedTemplate: string;
let emulator: ConnectEmulator;
let cloudFormation: CloudFormationApi;
let runner: LambdaRunner;
let services: { close(): Promise<void> };
let root: ParentStackStub;
let incarnations = 0;

beforeAll(() => {
  assembly = CloudAssembly.load(
    synthesizeToDirectory((app) => {
      const rootStack = new Stack(app, 'Root');
      new ClaimedPhoneNumber(new NestedStack(rootStack, 'Numbers'), 'Support', { phoneNumber: NUMBER, instanceId: INSTANCE_ID });
    }),
  );
  [nestedTemplate] = assembly.nestedStackNames();
});

beforeEach(async () => {
  emulator = await startConnectEmulator({ claimLatencyMs: 300, instances: [INSTANCE_ID] });
  cloudFormation = await startCloudFormationApi();
  runner = new LambdaRunner({
    environment: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLENESTED',
      AWS_SECRET_ACCESS_KEY: 'nested-secret-key',
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  services = await startFrameworkServices(runner);
  enforceRolePolicy(emulator, assembly, nestedTemplate, runner.accessKeyId);
  root = new ParentStackStub('Root', 'UPDATE_IN_PROGRESS');
  cloudFormation.register(root);
});

afterEach(async () => {
  await services.close();
  await Promise.all([emulator.close(), cloudFormation.close()]);
});

/** The nested stack as CloudFormation creates it (again): a new generated name and StackId each time. */
function nestedStack(): StackSimulator {
  incarnations += 1;
  const stack = new StackSimulator(assembly, nestedTemplate, runner, {
    deployedName: `Root-NumbersNestedStackNumbersNestedStackResource-${String(incarnations).padStart(12, 'X')}`,
    nesting: { parentId: root.stackId, rootId: root.stackId },
  });
  cloudFormation.register(stack);
  cloudFormation.setPolicies(runner.accessKeyId!, assembly.handlerRoleStatements(nestedTemplate, { references: { 'AWS::StackId': stack.stackId } }));
  return stack;
}

const supportOf = (stack: StackSimulator) => stack.logicalIds()[0];
const number = () => emulator.numbers().find((n) => n.phoneNumber === NUMBER)!;
const acceptedClaims = () => emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200);
const releases = () => emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber');

describe('a nested stack deleted by its parent', () => {
  test("3. keeps its number when the parent's failed update had added it", async () => {
    // GIVEN the parent's update created the nested stack and its number
    const nested = nestedStack();
    await nested.deployStack();
    // WHEN the parent's update fails and its cleanup deletes the nested stack
    root.status = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    const result = await nested.deleteStack();
    // THEN the nested stack is deleted, and its number is kept, marked with the parent's status
    expect(result.status).toBe('DELETE_COMPLETE');
    expect(releases()).toHaveLength(0);
    expect(number().status).toBe('CLAIMED');
    expect(number().tags[KEPT]).toMatch(/^parent:UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@/);
  });

  test("3b. keeps its number when the parent's first create fails", async () => {
    // GIVEN the parent's first create created the nested stack
    root.status = 'CREATE_IN_PROGRESS';
    const nested = nestedStack();
    await nested.deployStack();
    // WHEN the parent's create fails and rolls back
    root.status = 'ROLLBACK_IN_PROGRESS';
    await nested.deleteStack();
    // THEN the number is kept
    expect(releases()).toHaveLength(0);
    expect(number().tags[KEPT]).toMatch(/^parent:ROLLBACK_IN_PROGRESS@/);
  });

  test('3c. releases its number when the parent is deleted', async () => {
    // GIVEN a deployed nested stack
    const nested = nestedStack();
    await nested.deployStack();
    // WHEN the user deletes the root stack
    root.status = 'DELETE_IN_PROGRESS';
    await nested.deleteStack();
    // THEN the number is released
    expect(releases()).toHaveLength(1);
    expect(emulator.claimedNumbers()).toEqual([]);
  });

  test("3d. releases its number when the parent's successful update removed it", async () => {
    // GIVEN a deployed nested stack
    const nested = nestedStack();
    await nested.deployStack();
    // WHEN the parent's update that removed it succeeds and cleans up
    root.status = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await nested.deleteStack();
    // THEN the number is released
    expect(releases()).toHaveLength(1);
  });
});

describe('a nested stack created again', () => {
  test('6. takes back, without claiming, what its previous incarnation kept', async () => {
    // GIVEN the first incarnation's number was kept when the parent's failed update deleted it
    const first = nestedStack();
    await first.deployStack();
    const arn = first.state(supportOf(first))!.physicalId;
    root.status = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    await first.deleteStack();
    // WHEN the parent's update is deployed again, creating the nested stack under a new generated name
    root.status = 'UPDATE_IN_PROGRESS';
    const second = nestedStack();
    const result = await second.deployStack();
    // THEN the new incarnation holds the same number, claimed once in all, owned under the scope, no longer marked kept
    expect(result.status).toBe('CREATE_COMPLETE');
    expect(second.state(supportOf(second))!.physicalId).toBe(arn);
    expect(acceptedClaims()).toHaveLength(1);
    expect(number().tags[OWNER]).toMatch(/^Root\/NumbersNestedStack[^/]*\/Support[0-9A-F]{8}$/);
    expect(number().tags[KEPT]).toBeUndefined();
  });
});
