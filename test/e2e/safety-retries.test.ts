/**
 * Failure handling, part 1: repeated deliveries, lost answers, dead handlers, throttling and faults.
 * Every outcome is asserted on the emulator's state: never a second claim, never a leaked number.
 */
import { CloudAssembly } from '../../harness';
import { startWorld, synthesizeE2eApp, World } from './world';

let assembly: CloudAssembly;
let world: World;
let support: string;

const OWNER = 'claimed-phone-number:owner';
const claimsOf = (w: World, phoneNumber: string) => w.emulator.numbers().filter((record) => record.phoneNumber === phoneNumber);
const claimSucceeded = (w: World) => () => w.emulator.calls.some((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200);

beforeAll(() => {
  assembly = synthesizeE2eApp();
});

afterEach(async () => {
  await world.close();
});

describe('Retry safety', () => {
  beforeEach(async () => {
    world = await startWorld(assembly);
    support = world.logicalId('Support');
  });

  test('1. the same Create delivered twice claims one number and both answers carry its ARN', async () => {
    // GIVEN one Create request
    const request = world.stack.request('Create', support, world.stack.declaredProperties(support));
    // WHEN it is delivered twice (a Lambda async retry)
    const first = await world.stack.send(request);
    const second = await world.stack.send(request);
    // THEN one number exists and both deliveries answer with it
    const records = claimsOf(world, '+12065550100');
    expect(records).toHaveLength(1);
    expect(first).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: records[0].arn });
    expect(second).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: records[0].arn });
  });

  test('2. a claim whose response is lost is retried with the same token: exactly one number, owned by the resource', async () => {
    // GIVEN Connect does the claim but the connection drops before the answer
    world.emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'dropAfterWork' });
    // WHEN the resource is created
    const response = await world.stack.create(support);
    // THEN the retry got the first result: one number, CLAIMED, with the owner tag
    const records = claimsOf(world, '+12065550100');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'CLAIMED', arn: response.PhysicalResourceId });
    expect(records[0].tags[OWNER]).toBe(`E2eNumbers/${support}`);
    expect(world.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber').length).toBeGreaterThanOrEqual(2);
  });

  test('3. a handler killed after claiming, before answering, fails the deploy and the rollback keeps the number it claimed', async () => {
    // GIVEN a first deploy whose onEvent dies as soon as Connect accepted the claim
    const declared = { [support]: world.stack.declaredProperties(support) };
    // WHEN the deploy runs (the framework answers FAILED; CloudFormation never resends a Create, it rolls back)
    const result = await world.stack.deployStack(declared, { handleOptions: () => ({ killOnEventWhen: claimSucceeded(world) }) });
    // THEN the Create failed with the framework's marker, whose rollback Delete never reached the handler:
    // the number is claimed once, still owned by the resource (for the next deploy to take back, test 4), never released
    const create = result.steps.find((step) => step.request.RequestType === 'Create');
    const rollbackDelete = result.steps.find((step) => step.request.RequestType === 'Delete');
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(create?.response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED' });
    expect(rollbackDelete?.response.Status).toBe('SUCCESS');
    // (the rollback may end before Connect has finished the claim it accepted: let its 300 ms pass)
    world.emulator.advanceClock(1000);
    const records = claimsOf(world, '+12065550100');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'CLAIMED' });
    expect(records[0].tags[OWNER]).toBe(`E2eNumbers/${support}`);
    expect(world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber')).toHaveLength(0);
  });

  test('4. after an abandoned deploy left an orphaned claim, the next deploy takes the number back instead of failing or leaking', async () => {
    // GIVEN a deploy whose handler died after claiming, and that was never retried
    await world.stack.send(world.stack.request('Create', support, world.stack.declaredProperties(support)), {
      killOnEventWhen: claimSucceeded(world),
    });
    const orphan = world.emulator.numberByPhone('+12065550100');
    // WHEN the stack is deployed again (a new request, same stack, same logical id, same number)
    const response = await world.stack.create(support);
    // THEN the resource owns that very number, and there is still only one
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: orphan?.arn });
    expect(claimsOf(world, '+12065550100')).toHaveLength(1);
    expect(world.emulator.numberByPhone('+12065550100')?.tags[OWNER]).toBe(`E2eNumbers/${support}`);
  });

  test('11. 5xx answers and dropped connections on every call are retried safely, with the same outcome', async () => {
    // GIVEN one fault of each kind on every operation the lifecycle uses
    for (const operation of ['ClaimPhoneNumber', 'DescribePhoneNumber', 'UpdatePhoneNumberMetadata', 'UpdatePhoneNumber', 'TagResource', 'UntagResource', 'ReleasePhoneNumber']) {
      world.emulator.faults.add({ operation, kind: 'internalError' });
      world.emulator.faults.add({ operation, kind: 'dropBeforeWork' });
      world.emulator.faults.add({ operation, kind: 'dropAfterWork' });
    }
    // WHEN the number is created, updated (description, tags, target) and deleted
    const created = await world.stack.create(support);
    const props = world.stack.declaredProperties(support);
    const updated = await world.stack.update(support, { ...props, PhoneNumberDescription: 'After faults', Tags: { tier: '1' } });
    const { InstanceId: _old, ...rest } = props;
    const moved = await world.stack.update(support, { ...rest, PhoneNumberDescription: 'After faults', Tags: { tier: '1' }, InstanceId: '66666666-7777-4888-9999-000000000000' });
    const recordBeforeDelete = world.emulator.numberByPhone('+12065550100');
    const deleted = await world.stack.delete(support);
    // THEN every step succeeded as without faults, every fault was hit, and one number was claimed and released
    expect([created.Status, updated.Status, moved.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(deleted).toMatchObject({ Status: 'SUCCESS' });
    expect(recordBeforeDelete).toMatchObject({ description: 'After faults', instanceId: '66666666-7777-4888-9999-000000000000' });
    expect(recordBeforeDelete?.tags).toEqual({ tier: '1', [OWNER]: `E2eNumbers/${support}` });
    expect(world.emulator.faults.pending()).toEqual([]);
    expect(claimsOf(world, '+12065550100')).toHaveLength(1);
    expect(world.emulator.claimedNumbers()).toHaveLength(0);
  });
});

describe('Throttling storm', () => {
  beforeEach(async () => {
    // Twenty numbers on one instance: beyond Connect's default per-instance limit and claim/release budget.
    world = await startWorld(assembly, {
      emulator: { claimLatencyMs: 1000, rateLimit: { requestsPerSecond: 2, burst: 5 }, claimedNumberLimit: false, claimReleaseBudget: false },
    });
  });

  test('10. twenty numbers created at once at 2 requests/s, burst 5, all succeed and none is claimed twice', async () => {
    // GIVEN twenty resources of one stack, each a process of its own
    const numbers = Array.from({ length: 20 }, (_, i) => `+1206555${String(200 + i).padStart(4, '0')}`);
    const supportId = world.logicalId('Support');
    numbers.forEach((phoneNumber, i) =>
      world.stack.addResource(`Storm${i}`, supportId, { PhoneNumber: phoneNumber, InstanceId: '11111111-2222-4333-8444-555555555555' }),
    );
    // WHEN CloudFormation creates them all at once
    const responses = await Promise.all(numbers.map((_, i) => world.stack.create(`Storm${i}`)));
    // THEN all succeeded, Connect throttled some calls, and each number was claimed exactly once
    expect(responses.filter((response) => response.Status !== 'SUCCESS').map((response) => response.Reason)).toEqual([]);
    expect(world.emulator.calls.some((call) => call.throttled)).toBe(true);
    for (const phoneNumber of numbers) {
      expect(claimsOf(world, phoneNumber).map((record) => record.status)).toEqual(['CLAIMED']);
    }
  }, 240_000);
});
