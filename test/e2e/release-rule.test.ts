/**
 * The release rule end to end (issue "Release only when the stack really lets the number go"): late and
 * repeated deliveries, a forged Delete, kept numbers released by the stack's delete, and CloudFormation's
 * own read limit, through the real Provider framework code and the real handler bundle (each invocation a
 * process on the template's Node.js), with the handler reading its stack from the CloudFormation API stand-in.
 */
import { Properties } from '../../harness';
import { useE2eWorld, World } from './world';

let world: World;
let support: string;
let finder: string;
const OWNER = 'claimed-phone-number:owner';
const KEPT = 'claimed-phone-number:kept-by-rollback';

const releases = () => world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber' && call.httpStatus === 200);
const claimed = () => world.emulator.claimedNumbers();
const props = (logicalId: string, overrides: Properties = {}): Properties => ({ ...world.stack.declaredProperties(logicalId), ...overrides });
const ownedByStack = () => world.emulator.numbers().filter((n) => n.status !== 'RELEASED' && n.tags[OWNER]?.startsWith('E2eNumbers/'));

useE2eWorld((started) => {
  world = started;
  support = world.logicalId('Support');
  finder = world.logicalId('Finder');
});

/** A replacement by search that succeeded and was rolled back by an unrelated failure: the new number is kept. */
async function failedReplacement(): Promise<{ old: string; kept: string }> {
  await world.stack.deployStack({ [finder]: props(finder) });
  const old = claimed()[0].arn;
  const result = await world.stack.deployStack({ [finder]: props(finder, { PhoneNumberPrefix: '+1206555012' }) }, { failUnrelatedAfter: 1 });
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const kept = claimed().find((n) => n.arn !== old)!.arn;
  return { old, kept };
}

describe('late, repeated and forged Deletes', () => {
  test("1. a rollback cleanup's Delete delivered again after UPDATE_ROLLBACK_COMPLETE keeps the number", async () => {
    // GIVEN a failed replacement whose new number the rollback kept
    const { kept } = await failedReplacement();
    // WHEN the cleanup's Delete of that number reaches the handler again, the stack having moved on
    const late = world.stack.request('Delete', finder, props(finder, { PhoneNumberPrefix: '+1206555012' }), { PhysicalResourceId: kept });
    const response = await world.stack.send(late);
    // THEN the Delete succeeds and the number is still claimed, marked kept; nothing was ever released
    expect(response.Status).toBe('SUCCESS');
    expect(world.emulator.numbers().find((n) => n.arn === kept)).toMatchObject({ status: 'CLAIMED' });
    expect(world.emulator.numbers().find((n) => n.arn === kept)?.tags[KEPT]).toMatch(/^UPDATE_ROLLBACK_COMPLETE(_CLEANUP_IN_PROGRESS)?@/);
    expect(releases()).toHaveLength(0);
  });

  test('2. a Delete that names the number the stack holds for that logical id leaves it in use', async () => {
    // GIVEN a deployed number, the stack UPDATE_COMPLETE or CREATE_COMPLETE
    await world.stack.deployStack({ [support]: props(support) });
    const arn = world.stack.state(support)!.physicalId;
    // WHEN a Delete naming it arrives (stale, or sent by anyone allowed to invoke the function)
    const response = await world.stack.send(world.stack.request('Delete', support, props(support), { PhysicalResourceId: arn }));
    // THEN nothing is released, tagged or marked
    expect(response.Status).toBe('SUCCESS');
    expect(releases()).toHaveLength(0);
    expect(world.emulator.numbers().find((n) => n.arn === arn)?.tags[KEPT]).toBeUndefined();
  });
});

describe('a stack delete lets everything go', () => {
  test('7. a stack delete releases the numbers earlier rollbacks kept for its resources', async () => {
    // GIVEN a failed replacement left a kept number beside the one in use
    const { old, kept } = await failedReplacement();
    // WHEN the stack is deleted
    const result = await world.stack.deleteStack();
    // THEN both are released, and no number carries the stack's owner tag
    expect(result.status).toBe('DELETE_COMPLETE');
    expect(releases().map((call) => call.input?.PhoneNumberId).sort()).toEqual([kept, old].sort());
    expect(ownedByStack()).toEqual([]);
  });

  test('7b. a RETAIN number stays claimed after the stack delete, with its owner tag', async () => {
    // GIVEN a number whose DeletionPolicy is Retain
    await world.stack.deployStack({ [support]: props(support) }, { policies: { [support]: { deletionPolicy: 'Retain' } } });
    // WHEN the stack is deleted
    await world.stack.deleteStack();
    // THEN it is the only number left with the stack's owner tag
    expect(ownedByStack().map((n) => n.phoneNumber)).toEqual(['+12065550100']);
  });
});

describe("CloudFormation's own limits", () => {
  test('4. a Delete whose stack reads are throttled several times in a row still releases', async () => {
    // GIVEN a deployed number and CloudFormation answering the next 6 calls with Throttling (HTTP 400)
    await world.stack.deployStack({ [support]: props(support) });
    const arn = world.stack.state(support)!.physicalId;
    world.cloudFormation.throttle(6);
    // WHEN the stack is deleted
    const result = await world.stack.deleteStack();
    // THEN the number is released
    expect(result.status).toBe('DELETE_COMPLETE');
    expect(releases().map((call) => call.input?.PhoneNumberId)).toEqual([arn]);
  });

  test('6 (unreadable). a Delete whose stack reads are denied keeps the number, marked STACK_STATUS_UNREADABLE', async () => {
    // GIVEN a deployed number and a policy that denies every CloudFormation read
    await world.stack.deployStack({ [support]: props(support) });
    const arn = world.stack.state(support)!.physicalId;
    world.cloudFormation.addFault({ code: 'AccessDenied', message: 'explicit deny in a service control policy', httpStatus: 403, times: 1000 });
    // WHEN the stack is deleted
    await world.stack.deleteStack();
    // THEN the number is kept and marked, not released
    expect(releases()).toHaveLength(0);
    expect(world.emulator.numbers().find((n) => n.arn === arn)?.tags[KEPT]).toMatch(/^STACK_STATUS_UNREADABLE@/);
  });
});

describe('numbers tagged by 0.2.0', () => {
  test('a number 0.2.0 kept in a rollback is taken back by the new handler without a claim, and released with the stack', async () => {
    // GIVEN a number claimed and kept by 0.2.0: its owner tag and its kept-by-rollback mark in 0.2.0's format
    world.emulator.claimOutOfBand({
      phoneNumber: '+12065550100',
      instanceId: '11111111-2222-4333-8444-555555555555',
      tags: { [OWNER]: `E2eNumbers/${support}`, [KEPT]: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@2026-11-30T10:00:00.000Z' },
    });
    const claimsBefore = world.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200).length;
    // WHEN the stack that declares it is deployed, then deleted
    const deployed = await world.stack.deployStack({ [support]: props(support) });
    const inUse = world.emulator.numbers().find((n) => n.phoneNumber === '+12065550100')!;
    const taggedInUse = { ...inUse.tags };
    await world.stack.deleteStack();
    // THEN the deploy took it back (no accepted claim, mark removed), and the delete released it
    expect(deployed.status).toBe('CREATE_COMPLETE');
    expect(world.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200)).toHaveLength(claimsBefore);
    expect(taggedInUse[KEPT]).toBeUndefined();
    expect(releases().map((call) => call.input?.PhoneNumberId)).toEqual([inUse.arn]);
  });
});
