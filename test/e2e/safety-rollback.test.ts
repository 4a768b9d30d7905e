/**
 * Failure handling, part 3: what CloudFormation sends when a stack update rolls back, and when a
 * construct moves in the tree. The number must never be released by mistake.
 */
import { OTHER_INSTANCE_ID, TDG_ARN, useE2eWorld, World } from './world';

let world: World;
let support: string;
const OWNER = 'claimed-phone-number:owner';
const HANDOVER = 'claimed-phone-number:handover-from';
const releases = () => world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber');

useE2eWorld((started) => {
  world = started;
  support = world.logicalId('Support');
});

test('12. an update rolled back restores description, tags and target, and never releases the number', async () => {
  // GIVEN a created number, updated in every way that works in place
  await world.stack.create(support);
  const before = world.emulator.numberByPhone('+12065550100');
  const { InstanceId: _instance, ...props } = world.stack.declaredProperties(support);
  const updated = await world.stack.update(support, { ...props, TargetArn: TDG_ARN, PhoneNumberDescription: 'New', Tags: { team: 'care', extra: 'y' } });
  // WHEN a later failure rolls the stack back (CloudFormation sends the reverse update)
  const rollback = await world.stack.rollbackUpdate(support);
  // THEN everything is as before, on the same number, which was never released
  const after = world.emulator.numberByPhone('+12065550100');
  expect([updated.Status, rollback.Status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect(after).toMatchObject({ arn: before?.arn, status: 'CLAIMED', instanceId: before?.instanceId, description: 'Support line' });
  expect(after?.tags).toEqual(before?.tags);
  expect(releases()).toHaveLength(0);
});

test('13. a replacement rolled back keeps the new number, owned and marked, and keeps the old one in use', async () => {
  // GIVEN a created number, replaced by another number
  const created = await world.stack.create(support);
  const replaced = await world.stack.update(support, { ...world.stack.declaredProperties(support), PhoneNumber: '+12065550177' });
  // WHEN the stack update rolls back (CloudFormation deletes the new physical id)
  const rollback = await world.stack.rollbackUpdate(support);
  // THEN nothing is released: the old number is untouched, the new one stays claimed, owned and marked as kept
  expect(replaced.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
  expect(rollback.Status).toBe('SUCCESS');
  expect(world.emulator.numberByPhone('+12065550100')).toMatchObject({ arn: created.PhysicalResourceId, status: 'CLAIMED' });
  expect(world.emulator.numberByPhone('+12065550177')?.tags).toMatchObject({
    [OWNER]: `E2eNumbers/${support}`,
    'claimed-phone-number:kept-by-rollback': expect.stringMatching(/ROLLBACK/),
  });
  expect(releases()).toHaveLength(0);
});

test('13b. a replacement that succeeds releases the old number in the cleanup phase', async () => {
  // GIVEN a created number, replaced by another
  const created = await world.stack.create(support);
  await world.stack.update(support, { ...world.stack.declaredProperties(support), PhoneNumber: '+12065550177' });
  // WHEN the stack update completes (cleanup phase)
  const [cleanup] = await world.stack.cleanup();
  // THEN the old number is released and the new one stays
  expect(cleanup.Status).toBe('SUCCESS');
  expect(releases().map((call) => call.input?.PhoneNumberId)).toEqual([created.PhysicalResourceId]);
  expect(world.emulator.numberByPhone('+12065550177')?.status).toBe('CLAIMED');
});

test('14. a construct moved in the tree keeps its number: the new logical id owns it, the old one\'s Delete does not release it', async () => {
  // GIVEN a created number
  const created = await world.stack.deployStack({ [support]: world.stack.declaredProperties(support) });
  // WHEN the construct moves (the template declares a new logical id with the same number instead of the old one):
  // CloudFormation creates the new logical id, then deletes the old one in the cleanup phase
  world.stack.addResource('MovedSupport1234ABCD', support);
  const moved = await world.stack.deployStack({ MovedSupport1234ABCD: world.stack.declaredProperties(support) });
  // THEN the same number stays claimed, owned by the new resource, and nothing was released
  const record = world.emulator.numberByPhone('+12065550100');
  expect([created.status, moved.status]).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  expect(world.stack.state('MovedSupport1234ABCD')?.physicalId).toBe(record?.arn);
  expect(record?.status).toBe('CLAIMED');
  expect(record?.tags[OWNER]).toBe('E2eNumbers/MovedSupport1234ABCD');
  expect(record?.tags[HANDOVER]).toBeUndefined();
  expect(releases()).toHaveLength(0);
  // ... and the new owner releases it when it is removed for good
  await world.stack.deployStack({});
  expect(world.emulator.claimedNumbers()).toHaveLength(0);
});

test('14b. a move rolled back hands the number back to the old logical id', async () => {
  // GIVEN a created number
  await world.stack.deployStack({ [support]: world.stack.declaredProperties(support) });
  // WHEN the construct moves, the new logical id takes the number over, and an unrelated failure rolls the update back
  world.stack.addResource('MovedSupport1234ABCD', support);
  const move = await world.stack.deployStack({ MovedSupport1234ABCD: world.stack.declaredProperties(support) }, { failUnrelatedAfter: 1 });
  // THEN the number is still claimed and owned by the old logical id again, which can still release it
  expect(move.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(world.emulator.numberByPhone('+12065550100')?.tags[OWNER]).toBe(`E2eNumbers/${support}`);
  expect(world.emulator.numberByPhone('+12065550100')?.tags[HANDOVER]).toBeUndefined();
  expect(releases()).toHaveLength(0);
  await world.stack.deployStack({});
  expect(world.emulator.claimedNumbers()).toHaveLength(0);
});

test('a move to another instance, rolled back, moves the number back', async () => {
  // GIVEN a number moved to another instance
  await world.stack.create(support);
  await world.stack.update(support, { ...world.stack.declaredProperties(support), InstanceId: OTHER_INSTANCE_ID });
  // WHEN the update rolls back
  await world.stack.rollbackUpdate(support);
  // THEN it is back at the first instance
  expect(world.emulator.numberByPhone('+12065550100')?.instanceId).toBe(world.stack.declaredProperties(support).InstanceId);
});
