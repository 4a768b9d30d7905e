import { SECRET_RESPONSE_URL_MARKER } from '../../harness';
import { INSTANCE_ID, OTHER_INSTANCE_ID, TDG_ARN, useE2eWorld, World } from './world';

let world: World;
let support: string;
useE2eWorld((started) => {
  world = started;
  support = world.logicalId('Support');
});

describe('The synthesized handler bundle, driven like CloudFormation and the Provider framework', () => {
  test('create claims the number, waits for CLAIMED and answers its ARN and attributes', async () => {
    // WHEN CloudFormation creates the resource
    const response = await world.stack.create(support);
    // THEN the number is CLAIMED in Connect, to the instance, with the declared metadata and owner tag
    const record = world.emulator.numberByPhone('+12065550100');
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: record?.arn });
    expect(response.Data).toEqual({ PhoneNumberArn: record?.arn, PhoneNumberId: record?.id, PhoneNumber: '+12065550100' });
    expect(record).toMatchObject({ status: 'CLAIMED', instanceId: INSTANCE_ID, description: 'Support line' });
    expect(record?.tags).toEqual({ team: 'support', 'claimed-phone-number:owner': `E2eNumbers/${support}` });
  });

  test('a description and tag change is applied in place, without claiming or releasing', async () => {
    // GIVEN a created number
    const created = await world.stack.create(support);
    const props = world.stack.declaredProperties(support);
    // WHEN the description and tags change
    const response = await world.stack.update(support, { ...props, PhoneNumberDescription: 'Support (24/7)', Tags: { team: 'care', tier: '1' } });
    // THEN the same number carries the new values
    const record = world.emulator.numberByPhone('+12065550100');
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(record).toMatchObject({ status: 'CLAIMED', description: 'Support (24/7)' });
    expect(record?.tags).toMatchObject({ team: 'care', tier: '1' });
    expect(world.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber' || call.operation === 'ReleasePhoneNumber')).toHaveLength(1);
  });

  test('a new target moves the number, and it stays the same claimed number', async () => {
    // GIVEN a created number
    const created = await world.stack.create(support);
    // WHEN it moves to another instance, then to a traffic distribution group
    const props = world.stack.declaredProperties(support);
    await world.stack.update(support, { ...props, InstanceId: OTHER_INSTANCE_ID });
    const moved = world.emulator.numberByPhone('+12065550100');
    const { InstanceId: _id, ...rest } = props;
    const response = await world.stack.update(support, { ...rest, TargetArn: TDG_ARN });
    // THEN both moves kept the number, and it ends on the traffic distribution group
    expect(moved?.instanceId).toBe(OTHER_INSTANCE_ID);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(world.emulator.numberByPhone('+12065550100')).toMatchObject({ status: 'CLAIMED', targetArn: TDG_ARN });
    expect(world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber')).toHaveLength(0);
  });

  test('delete releases the number', async () => {
    // GIVEN a created number
    await world.stack.create(support);
    // WHEN the resource is deleted
    const response = await world.stack.delete(support);
    // THEN Connect released it and nothing is claimed
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(world.emulator.claimedNumbers()).toHaveLength(0);
    expect(world.emulator.releasedNumbers().map((record) => record.phoneNumber)).toEqual(['+12065550100']);
  });

  test('the handler never logs the ResponseURL', async () => {
    // WHEN a number goes through create, update and delete
    await world.stack.create(support);
    await world.stack.update(support, { ...world.stack.declaredProperties(support), PhoneNumberDescription: 'x' });
    await world.stack.delete(support);
    // THEN no output of any invocation contains the pre-signed URL's signature
    const output = world.runner.invocations.flatMap((invocation) => invocation.outcome.logLines).join('\n');
    expect(output).toContain('onEvent');
    expect(output).not.toContain(SECRET_RESPONSE_URL_MARKER);
  });
});
