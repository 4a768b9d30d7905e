/**
 * Typed targets end to end: the number's target and contact flow are constructs of the same stack
 * (CfnInstance, CfnTrafficDistributionGroup, CfnContactFlow). The harness resolves their Refs as
 * CloudFormation would, for the properties the handler receives and for the role policy Connect enforces.
 */
import { aws_connect as connect, Stack } from 'aws-cdk-lib';
import { CloudAssembly, synthesizeToDirectory } from '../../harness';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID, STACK_NAME, startWorld, TDG_ARN, TDG_ID, World } from './world';

const INSTANCE_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`;
const FLOW_ID = 'f3f3f3f3-0000-4000-8000-000000000003';
const FLOW_ARN = `${INSTANCE_ARN}/contact-flow/${FLOW_ID}`;

let assembly: CloudAssembly;
let world: World;

beforeAll(() => {
  assembly = CloudAssembly.load(
    synthesizeToDirectory((app) => {
      const stack = new Stack(app, STACK_NAME);
      const instance = new connect.CfnInstance(stack, 'Instance', {
        identityManagementType: 'CONNECT_MANAGED',
        attributes: { inboundCalls: true, outboundCalls: true },
      });
      const tdg = new connect.CfnTrafficDistributionGroup(stack, 'Tdg', { instanceArn: instance.attrArn, name: 'numbers' });
      const flow = new connect.CfnContactFlow(stack, 'Flow', { instanceArn: instance.attrArn, name: 'welcome', type: 'CONTACT_FLOW', content: '{}' });
      new ClaimedPhoneNumber(stack, 'Support', { phoneNumber: '+12065550100', instance, contactFlow: flow });
      new ClaimedPhoneNumber(stack, 'Sales', { phoneNumber: '+18335550101', trafficDistributionGroup: tdg });
    }),
  );
});

beforeEach(async () => {
  world = await startWorld(assembly, { references: { Instance: INSTANCE_ARN, Tdg: TDG_ARN, Flow: FLOW_ARN } });
  world.emulator.addContactFlow(INSTANCE_ID, FLOW_ID);
});

afterEach(async () => {
  await world.close();
});

test('a number claimed to a CfnInstance and routed to a CfnContactFlow lands on that instance, with the flow', async () => {
  // WHEN the resource is created
  const response = await world.stack.create(world.logicalId('Support'));
  // THEN Connect holds it on the instance, associated with the flow, and nothing was denied by the synthesized policy
  expect(response.Status).toBe('SUCCESS');
  expect(world.emulator.numberByPhone('+12065550100')).toMatchObject({ status: 'CLAIMED', instanceId: INSTANCE_ID, contactFlowId: FLOW_ID });
  expect(world.emulator.calls.filter((call) => call.errorType === 'AccessDeniedException')).toEqual([]);
});

test('a number claimed to a CfnTrafficDistributionGroup lands on that group', async () => {
  // WHEN the resource is created
  const response = await world.stack.create(world.logicalId('Sales'));
  // THEN Connect holds it on the group
  expect(response.Status).toBe('SUCCESS');
  expect(world.emulator.numberByPhone('+18335550101')).toMatchObject({ status: 'CLAIMED', targetArn: `arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/${TDG_ID}` });
});
