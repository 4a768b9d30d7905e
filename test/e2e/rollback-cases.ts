/**
 * The CloudFormation sequences that used to lose, leak or swap a number (issue "Rollback-proof lifecycle",
 * cases 1–6 and 8), each played as whole deploys by the stack model (harness/cfn): its phases, statuses and
 * rollbacks, through the real Provider framework code and the real handler bundle, against the Connect
 * emulator under the synthesized role policy, with the handler reading its stack from the CloudFormation API
 * stand-in. Defined here once, run as documented (rollback-cases.test.ts) and under Connect's undocumented
 * behaviours (rollback-cases-variants.test.ts).
 */
import { Properties } from '../../harness';
import { OTHER_INSTANCE_ID, STACK_NAME, useE2eWorld, World, WorldOptions } from './world';

let world: World;
let support: string;
let finder: string;
const OWNER = 'claimed-phone-number:owner';
const HANDOVER = 'claimed-phone-number:handover-from';
const KEPT = 'claimed-phone-number:kept-by-rollback';

const callsOf = (operation: string) => world.emulator.calls.filter((call) => call.operation === operation);
const acceptedClaims = () => callsOf('ClaimPhoneNumber').filter((call) => call.httpStatus === 200);
const releases = () => callsOf('ReleasePhoneNumber');
const claimed = () => world.emulator.claimedNumbers();
const props = (logicalId: string, overrides: Properties = {}): Properties => ({ ...world.stack.declaredProperties(logicalId), ...overrides });

const start = (started: World): void => {
  world = started;
  support = world.logicalId('Support');
  finder = world.logicalId('Finder');
};

/** A fresh world for each test of the enclosing describe, with these options. */
export function useRollbackWorld(options: WorldOptions = {}): void {
  useE2eWorld(start, options);
}

/** Case 2, played under each way CloudFormation may treat the new physical id of a FAILED Update answer. */
export function failedReplacementWithMove(): void {
  test('2. a failed replacement that also moved the target rolls back without a claim and without a release', async () => {
    // GIVEN a number on the first instance
    await world.stack.deployStack({ [support]: props(support) });
    const old = claimed()[0];
    // WHEN a new number on the other instance is claimed but ends FAILED (the Update fails after onEvent answered its ARN)
    world.emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed', message: 'The target is at its limit' });
    const result = await world.stack.deployStack({ [support]: props(support, { PhoneNumber: '+12065550177', InstanceId: OTHER_INSTANCE_ID }) });
    // THEN the rollback completes and restores the old number; the only claims are the create's and the replacement's
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(world.stack.state(support)?.physicalId).toBe(old.arn);
    expect(world.emulator.numberByPhone('+12065550100')).toMatchObject({ arn: old.arn, status: 'CLAIMED' });
    expect(callsOf('ClaimPhoneNumber')).toHaveLength(2);
    expect(releases().filter((call) => call.input?.PhoneNumberId === old.arn)).toHaveLength(0);
  });
}

/** Cases 1, 1b, 1c, 3, 3b, 4, 5, 5b and 6. */
export function rollbackCases(): void {

  test('1. a failed search-criteria change rolls back in place: the number customers dial stays, nothing is claimed or released', async () => {
    // GIVEN a number found by search
    await world.stack.deployStack({ [finder]: props(finder) });
    const before = claimed();
    const claimsBefore = acceptedClaims().length;
    // WHEN the criteria change to a prefix with no available number (the Update fails) and the stack rolls back
    const result = await world.stack.deployStack({ [finder]: props(finder, { PhoneNumberPrefix: '+1999' }) });
    // THEN the swapped rollback Update restores it in place: same number, claimed, nothing claimed or released
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(claimed()).toEqual(before);
    expect(world.stack.state(finder)?.physicalId).toBe(before[0].arn);
    expect(acceptedClaims()).toHaveLength(claimsBefore);
    expect(releases()).toHaveLength(0);
  });

  test('1b. a replacement that succeeded, rolled back by another resource\'s failure, keeps the new number marked and the old one in use', async () => {
    // GIVEN a number found by search
    await world.stack.deployStack({ [finder]: props(finder) });
    const old = claimed()[0];
    // WHEN the criteria change (a new number is claimed) and an unrelated resource of the same deploy fails
    const result = await world.stack.deployStack({ [finder]: props(finder, { PhoneNumberPrefix: '+1206555012' }) }, { failUnrelatedAfter: 1 });
    // THEN the old number is the resource's again, the new one is kept (owned, marked), and nothing was released
    const kept = claimed().find((record) => record.arn !== old.arn);
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(world.stack.state(finder)?.physicalId).toBe(old.arn);
    expect(kept?.tags[OWNER]).toBe(`${STACK_NAME}/${finder}`);
    expect(kept?.tags[KEPT]).toMatch(/^UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@/);
    expect(releases()).toHaveLength(0);
  });

  test('1c. the next deploy of the same change takes the kept number back without claiming, and releases the old one', async () => {
    // GIVEN a replacement rolled back, which kept its new number
    await world.stack.deployStack({ [finder]: props(finder) });
    const old = claimed()[0];
    const changed = props(finder, { PhoneNumberPrefix: '+1206555012' });
    await world.stack.deployStack({ [finder]: changed }, { failUnrelatedAfter: 1 });
    const kept = claimed().find((record) => record.arn !== old.arn)!;
    const claimsBefore = acceptedClaims().length;
    // WHEN the same change is deployed again and succeeds
    const result = await world.stack.deployStack({ [finder]: changed });
    // THEN the resource holds the kept number (no claim), unmarked, and the cleanup released the old one
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(world.stack.state(finder)?.physicalId).toBe(kept.arn);
    expect(acceptedClaims()).toHaveLength(claimsBefore);
    expect(world.emulator.numberByPhone(kept.phoneNumber)?.tags[KEPT]).toBeUndefined();
    expect(releases().map((call) => call.input?.PhoneNumberId)).toEqual([old.arn]);
  });

  test('3. a search claim interrupted after Connect accepted it is taken back by the next deploy: one number, one claim', async () => {
    // GIVEN a first deploy whose search Create dies right after Connect accepted the claim (the framework answers CREATE_FAILED)
    const interrupted = await world.stack.deployStack(
      { [finder]: props(finder) },
      { handleOptions: () => ({ killOnEventWhen: () => acceptedClaims().length > 0 }) },
    );
    const orphan = claimed()[0];
    // WHEN the stack is deployed again
    const result = await world.stack.deployStack({ [finder]: props(finder) });
    // THEN the resource holds the number the interrupted attempt claimed; nothing else was claimed or released
    expect(interrupted.status).toBe('ROLLBACK_COMPLETE');
    expect(result.status).toBe('CREATE_COMPLETE');
    expect(world.stack.state(finder)?.physicalId).toBe(orphan.arn);
    expect(acceptedClaims()).toHaveLength(1);
    expect(claimed()).toHaveLength(1);
    expect(releases()).toHaveLength(0);
  });

  test('3b. a search added by an update whose Create died after the claim is taken back by a deploy right after: one number, one claim', async () => {
    // GIVEN a stack with a number, and an update adding a search whose Create dies right after Connect accepted its claim
    await world.stack.deployStack({ [support]: props(support) });
    const supportArn = world.stack.state(support)?.physicalId;
    const claimsBefore = acceptedClaims().length;
    const interrupted = await world.stack.deployStack(
      { [support]: props(support), [finder]: props(finder) },
      { handleOptions: (request) => (request.LogicalResourceId === finder ? { killOnEventWhen: () => acceptedClaims().length > claimsBefore } : undefined) },
    );
    const orphan = claimed().find((record) => record.arn !== supportArn)!;
    // WHEN the same update is deployed again at once (Connect may not show the claimed number yet)
    const result = await world.stack.deployStack({ [support]: props(support), [finder]: props(finder) });
    // THEN the search resource holds the number the interrupted attempt claimed; nothing else was claimed or released
    expect(interrupted.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(world.stack.state(finder)?.physicalId).toBe(orphan.arn);
    expect(acceptedClaims()).toHaveLength(claimsBefore + 1);
    expect(claimed()).toHaveLength(2);
    expect(releases()).toHaveLength(0);
  });

  test('4. a search construct moved in the tree keeps its number: no claim, no release, owned by the new logical id', async () => {
    // GIVEN a number found by search
    await world.stack.deployStack({ [finder]: props(finder) });
    const before = claimed()[0];
    // WHEN the construct moves (the template declares a new logical id with the same properties instead of the old one)
    world.stack.addResource('MovedFinder1234ABCD', finder);
    const result = await world.stack.deployStack({ MovedFinder1234ABCD: props(finder) });
    // THEN the new logical id holds the same number, handed over for good, and nothing was claimed again or released
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(world.stack.state('MovedFinder1234ABCD')?.physicalId).toBe(before.arn);
    expect(world.emulator.numberByPhone(before.phoneNumber)?.tags).toMatchObject({ [OWNER]: `${STACK_NAME}/MovedFinder1234ABCD` });
    expect(world.emulator.numberByPhone(before.phoneNumber)?.tags[HANDOVER]).toBeUndefined();
    expect(acceptedClaims()).toHaveLength(1);
    expect(releases()).toHaveLength(0);
  });

  test('5. a handover whose new resource died after retagging leaves the number with the old resource, which still releases it when removed', async () => {
    // GIVEN a number, and a move whose new resource dies right after it rewrote the owner tag (its Create fails, the update rolls back)
    await world.stack.deployStack({ [support]: props(support) });
    world.stack.addResource('MovedSupport1234ABCD', support);
    // The handover's TagResource is applied but its answer lost: the handler backs off to retry, and dies there.
    world.emulator.faults.add({ operation: 'TagResource', kind: 'dropAfterWork', times: 3 });
    const retagged = () => world.emulator.numberByPhone('+12065550100')?.tags[HANDOVER] === support;
    const move = await world.stack.deployStack(
      { MovedSupport1234ABCD: props(support) },
      { handleOptions: (request) => (request.LogicalResourceId === 'MovedSupport1234ABCD' ? { killOnEventWhen: retagged } : undefined) },
    );
    // WHEN the construct is later removed for good
    const removal = await world.stack.deployStack({});
    // THEN the old resource's Delete recognised the number as its own and released it
    expect(move.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(move.failure?.reason).toMatch(/killed|timed out|exited/i);
    expect(removal.status).toBe('UPDATE_COMPLETE');
    expect(releases()).toHaveLength(1);
    expect(claimed()).toHaveLength(0);
  });

  test('5b. the same number declared twice through tokens fails clearly and takes nothing from the first resource', async () => {
    // GIVEN a deployed number
    await world.stack.deployStack({ [support]: props(support) });
    const before = claimed()[0];
    // WHEN a second resource declares the same number (a token hid the duplicate from the synth-time check)
    world.stack.addResource('SupportTwin1234ABCD', support);
    const result = await world.stack.deployStack({ [support]: props(support), SupportTwin1234ABCD: props(support) });
    // THEN the deploy fails with "declared twice", and the number stays the first resource's, untouched
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toMatch(/declared twice, by \S+ and by SupportTwin1234ABCD\. Remove one of them\./);
    expect(world.emulator.numberByPhone('+12065550100')?.tags).toEqual(before.tags);
    expect(releases()).toHaveLength(0);
  });

  test('6. a first deploy that fails elsewhere keeps the number it claimed, and the next deploy takes it back without claiming', async () => {
    // GIVEN a first deploy whose unrelated resource fails after the number was claimed (the stack rolls back)
    const failed = await world.stack.deployStack({ [support]: props(support) }, { failUnrelatedAfter: 1 });
    const kept = world.emulator.numberByPhone('+12065550100');
    // WHEN the stack is deployed again
    const result = await world.stack.deployStack({ [support]: props(support) });
    // THEN the rollback kept the number (owned, marked), and the new deploy holds it with no further accepted claim
    expect(failed.status).toBe('ROLLBACK_COMPLETE');
    expect(kept?.tags[KEPT]).toMatch(/^ROLLBACK_IN_PROGRESS@/);
    expect(result.status).toBe('CREATE_COMPLETE');
    expect(world.stack.state(support)?.physicalId).toBe(kept?.arn);
    expect(acceptedClaims()).toHaveLength(1);
    expect(world.emulator.numberByPhone('+12065550100')?.tags[KEPT]).toBeUndefined();
    expect(releases()).toHaveLength(0);
  });
}
