/**
 * Failure handling, part 2: claims that fail or hang, deletes of things that are not (or no longer)
 * ours, releases Connect refuses, and bad input. Outcomes are asserted on the emulator's state.
 */
import { CloudAssembly } from '../../harness';
import { INSTANCE_ID, startWorld, synthesizeE2eApp, World } from './world';

let assembly: CloudAssembly;
let world: World;
let support: string;

beforeAll(() => {
  assembly = synthesizeE2eApp();
});

afterEach(async () => {
  await world.close();
});

const callCount = () => world.emulator.calls.length;

describe('Claims that fail or hang', () => {
  beforeEach(async () => {
    world = await startWorld(assembly, { environmentOverrides: { OPERATION_TIMEOUT_SECONDS: '4' } });
    support = world.logicalId('Support');
  });

  test('5. a claim that ends FAILED fails the Create with Connect\'s message and leaves nothing claimed', async () => {
    // GIVEN Connect will end the claim FAILED
    world.emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed', message: 'The carrier rejected the number' });
    // WHEN the resource is created, and the stack rolls back
    const created = await world.stack.create(support);
    const rollback = await world.stack.rollbackCreate(support, created);
    // THEN the Create failed with the message, the rollback succeeded, and no number is claimed
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toContain('The carrier rejected the number');
    expect(rollback.Status).toBe('SUCCESS');
    expect(world.emulator.claimedNumbers()).toHaveLength(0);
  });

  test('6. a claim stuck IN_PROGRESS fails clearly before the deadline, and the rollback keeps the number, marked, once Connect finishes', async () => {
    // GIVEN a claim that stays IN_PROGRESS and a 4 s operation timeout
    world.emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    const started = Date.now();
    // WHEN the resource is created
    const created = await world.stack.create(support);
    const elapsedMs = Date.now() - started;
    // ... and the stack rolls back while Connect finally finishes the claim
    const rollback = world.stack.rollbackCreate(support, created);
    setTimeout(() => world.emulator.finishStuckWork('+12065550100'), 1500);
    // THEN the Create failed with a clear reason well before the isComplete function's 2-minute timeout, the
    // rollback Delete reached the handler (the answer carried the ARN), and the number is kept: owned, marked, not released
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toMatch(/stayed IN_PROGRESS for 0.1 minutes/);
    expect(created.PhysicalResourceId).toMatch(/:phone-number\//);
    expect(elapsedMs).toBeLessThan(30_000);
    expect((await rollback).Status).toBe('SUCCESS');
    expect(world.emulator.numberByPhone('+12065550100')?.tags).toMatchObject({
      'claimed-phone-number:owner': `E2eNumbers/${support}`,
      'claimed-phone-number:kept-by-rollback': expect.stringMatching(/^ROLLBACK_IN_PROGRESS@/),
    });
    expect(world.emulator.releasedNumbers()).toEqual([]);
  });
});

describe('Deletes', () => {
  beforeEach(async () => {
    world = await startWorld(assembly);
    support = world.logicalId('Support');
  });

  test.each([
    ['the Provider framework CREATE_FAILED marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an id CloudFormation invented after a failed create', 'E2eNumbers-Support5CFB64A3-1XY2Z3ABCDEF'],
  ])('7. deleting %s succeeds without any Connect call', async (_name, physicalId) => {
    // WHEN CloudFormation deletes a resource whose physical id is not a phone number ARN
    const response = await world.stack.send(
      world.stack.request('Delete', support, world.stack.declaredProperties(support), { PhysicalResourceId: physicalId }),
    );
    // THEN it succeeds and Connect was never called
    expect(response.Status).toBe('SUCCESS');
    expect(callCount()).toBe(0);
  });

  test('8. deleting a number that was already released succeeds', async () => {
    // GIVEN a number that was released by hand after the deploy
    const created = await world.stack.create(support);
    await world.stack.send(world.stack.request('Delete', support, world.stack.declaredProperties(support), { PhysicalResourceId: created.PhysicalResourceId }));
    // WHEN CloudFormation deletes the resource (again)
    const response = await world.stack.delete(support);
    // THEN it succeeds, and only one release ever happened
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber' && call.httpStatus === 200)).toHaveLength(1);
  });

  test('9a. a release refused because an operation is in progress waits and then releases', async () => {
    // GIVEN a description update that takes 3 s, still running when the delete arrives
    await world.stack.create(support);
    world.emulator.configure({ metadataLatencyMs: 3000 });
    const props = world.stack.declaredProperties(support);
    const arn = world.stack.state(support)!.physicalId;
    await world.stack.send(
      world.stack.request('Update', support, { ...props, PhoneNumberDescription: 'slow' }, { PhysicalResourceId: arn, OldResourceProperties: props }),
      // CloudFormation sends Updates while it updates the stack (one in any other status changes nothing).
      { waiterIntervalSeconds: 60, stackStatus: 'UPDATE_IN_PROGRESS' },
    ).catch(() => undefined);
    // WHEN the resource is deleted while the number is IN_PROGRESS (onEvent of the update started it)
    world.emulator.configure({ metadataLatencyMs: 3000 });
    await world.stack.send(
      world.stack.request('Update', support, { ...props, PhoneNumberDescription: 'slower' }, { PhysicalResourceId: arn, OldResourceProperties: { ...props, PhoneNumberDescription: 'slow' } }),
      {
        stackStatus: 'UPDATE_IN_PROGRESS',
        killOnEventWhen: () => world.emulator.calls.some((call) => call.operation === 'UpdatePhoneNumberMetadata' && call.input?.PhoneNumberDescription === 'slower' && call.httpStatus === 200),
      },
    );
    expect(world.emulator.numberByPhone('+12065550100')?.status).toBe('IN_PROGRESS');
    const response = await world.stack.delete(support);
    // THEN the delete waited for the operation and then released the number
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(world.emulator.claimedNumbers()).toHaveLength(0);
  });

  test('9b. a release that Connect refuses for an association made outside the stack fails with the cause and the fix', async () => {
    // GIVEN a Connect that refuses to release a number associated with a flow (an emulator variant: the admin
    // guide says the flow is deactivated instead), and somebody associated the number in the console
    world.emulator.setVariant('releaseInUseWhen', 'operationInProgressOrFlowAssociation');
    const created = await world.stack.create(support);
    world.emulator.addContactFlow(INSTANCE_ID, 'flow-1');
    world.emulator.associateFlowOutOfBand(created.PhysicalResourceId.split('/')[1], 'flow-1');
    // WHEN the resource is deleted
    const response = await world.stack.delete(support);
    // THEN the delete fails saying why and what to do, and the number is still claimed
    expect(response).toMatchObject({ Status: 'FAILED' });
    expect(response !== 'RETAINED' && response.Reason).toMatch(/contact flow.*disassociate-phone-number-contact-flow/s);
    expect(world.emulator.numberByPhone('+12065550100')?.status).toBe('CLAIMED');
  });
});

describe('Input and ownership', () => {
  beforeEach(async () => {
    world = await startWorld(assembly);
    support = world.logicalId('Support');
  });

  test.each([
    ['a hand-edited phone number', { PhoneNumber: '206-555-0100' }, 'PhoneNumber must be in E.164 format'],
    ['a token that resolved to an empty target', { InstanceId: '' }, 'Give exactly one of InstanceId'],
    ['tags given as a CloudFormation tag list', { Tags: [{ Key: 'team', Value: 'x' }] }, 'Tags must be a map'],
  ])('15. %s fails the Create with a clear reason before any Connect call', async (_name, change, reason) => {
    // WHEN the template reaching the handler carries a bad value
    const response = await world.stack.create(support, { ...world.stack.declaredProperties(support), ...change });
    // THEN the Create failed with the reason, and Connect was never called
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(reason);
    expect(callCount()).toBe(0);
  });

  test('16. a number claimed by hand is never taken over, changed or released by the resource', async () => {
    // GIVEN the number is already claimed in the console, with its own description and tags
    const manual = world.emulator.claimOutOfBand({ phoneNumber: '+12065550100', instanceId: INSTANCE_ID, description: 'Console', tags: { owner: 'ops' } });
    // WHEN the stack declares it, fails, and rolls back
    const created = await world.stack.create(support);
    const rollback = await world.stack.rollbackCreate(support, created);
    // THEN the Create failed with a clear error, and the number is exactly as it was
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toMatch(/already claimed in this account .* but not by this resource/);
    expect(rollback.Status).toBe('SUCCESS');
    const after = world.emulator.numberByPhone('+12065550100');
    expect(after).toMatchObject({ arn: manual.arn, status: 'CLAIMED', description: 'Console', tags: { owner: 'ops' } });
    expect(world.emulator.calls.map((call) => call.operation)).not.toEqual(expect.arrayContaining(['ReleasePhoneNumber']));
  });

  test.each([false, true])('16b / 8. a number held by another stack\'s ClaimedPhoneNumber is reported as declared twice, adoptExisting %s', async (adoptExisting) => {
    // GIVEN another stack's resource claimed the number
    world.emulator.claimOutOfBand({ phoneNumber: '+12065550100', instanceId: INSTANCE_ID, tags: { 'claimed-phone-number:owner': 'OtherStack/Support5CFB64A3' } });
    // WHEN this stack declares it (with or without adoptExisting)
    const created = await world.stack.create(support, { ...world.stack.declaredProperties(support), ...(adoptExisting ? { AdoptExisting: 'true' } : {}) });
    // THEN the Create fails naming the other stack and its logical id as a duplicate, not as a number to adopt, and nothing was tagged
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toContain('is held by ClaimedPhoneNumber Support5CFB64A3 of stack OtherStack: the same number is declared twice');
    expect(created.Reason).toContain('Remove one of the two declarations');
    expect(created.Reason).not.toMatch(/To manage this number from now on, set adoptExisting/);
    expect(world.emulator.calls.filter((call) => call.operation === 'TagResource')).toHaveLength(0);
  });
});
