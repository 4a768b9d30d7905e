/**
 * Beyond the native resource, end to end: search-and-claim (including concurrent searches and a
 * repeated delivery), adoption of a number claimed by hand, and contact-flow association.
 */
import { INSTANCE_ID, OTHER_INSTANCE_ID, useE2eWorld, World } from './world';

let world: World;
let support: string;
const OWNER = 'claimed-phone-number:owner';
const FLOW_ID = 'f1f1f1f1-0000-4000-8000-000000000001';
const FLOW_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`;

const searchProps = (prefix = '+1206555010') => ({ PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: prefix, InstanceId: INSTANCE_ID, Tags: { team: 'search' } });

useE2eWorld((started) => {
  world = started;
  support = world.logicalId('Support');
});

describe('Search and claim', () => {
  test('claims one available number matching the search and reports it as the PhoneNumber attribute', async () => {
    // WHEN a resource declares a search instead of a number
    const response = await world.stack.create(support, searchProps());
    // THEN exactly one matching number is claimed, and the attributes name it
    const claimed = world.emulator.claimedNumbers();
    expect(claimed).toHaveLength(1);
    expect(claimed[0].phoneNumber).toMatch(/^\+1206555010\d$/);
    expect(response.Data).toMatchObject({ PhoneNumber: claimed[0].phoneNumber, PhoneNumberArn: claimed[0].arn });
  });

  test('resources searching the same prefix at the same time each end with one different number', async () => {
    // (More numbers on one instance than Connect's default per-instance limit of 5.)
    world.emulator.configure({ claimedNumberLimit: false });
    // GIVEN only three candidates left, and three resources searching for them at once
    for (let i = 3; i < 10; i++) {
      world.emulator.claimOutOfBand({ phoneNumber: `+120655501${String(i).padStart(2, '0')}`, instanceId: INSTANCE_ID });
    }
    const ids = ['SearchA', 'SearchB', 'SearchC'];
    ids.forEach((id) => world.stack.addResource(id, support, searchProps()));
    // WHEN they are created concurrently
    const responses = await Promise.all(ids.map((id) => world.stack.create(id)));
    // THEN all succeed, each with its own number, and no resource holds two
    expect(responses.map((response) => response.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const numbers = responses.map((response) => response.Data?.PhoneNumber);
    expect(new Set(numbers).size).toBe(3);
    for (const id of ids) {
      expect(world.emulator.claimedNumbers().filter((record) => record.tags[OWNER] === `E2eNumbers/${id}`)).toHaveLength(1);
    }
  });

  test('a repeated delivery of a search Create ends with the same single number', async () => {
    // GIVEN a search Create delivered once
    const request = world.stack.request('Create', support, searchProps());
    const first = await world.stack.send(request);
    // WHEN it is delivered again (the first number is no longer among the available ones)
    const second = await world.stack.send(request);
    // THEN the second delivery answers with the same number, and only one claim was ever accepted
    expect(second).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.PhysicalResourceId });
    expect(world.emulator.claimedNumbers()).toHaveLength(1);
    expect(world.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200)).toHaveLength(1);
  });

  test('a repeated delivery that cannot see the first claim yet is stopped by the shared ClientToken', async () => {
    // GIVEN a Connect that shows a new claim only after 3 s (a variant: nothing public says how long), and a
    // search Create whose first delivery has just had its claim accepted
    world.emulator.setVariant('visibilityDelayMs', 3000);
    const request = world.stack.request('Create', support, searchProps());
    const first = world.stack.send(request);
    await until(() => world.emulator.calls.some((call) => call.operation === 'ClaimPhoneNumber' && call.httpStatus === 200));
    // WHEN the same request is delivered again meanwhile, before the number shows in ListPhoneNumbersV2
    const second = await world.stack.send(request);
    // THEN Connect refused the second delivery's claim for its token, and both answered the one number
    expect(second).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: (await first).PhysicalResourceId });
    expect(world.emulator.calls.some((call) => call.errorType === 'IdempotencyException')).toBe(true);
    expect(world.emulator.claimedNumbers()).toHaveLength(1);
  });

  test('changing the search criteria replaces the number, and the attributes follow', async () => {
    // GIVEN a number found by search
    const created = await world.stack.create(support, searchProps('+1206555010'));
    // WHEN the prefix changes and the update completes
    const updated = await world.stack.update(support, searchProps('+1206555011'));
    await world.stack.cleanup();
    // THEN a new number with the new prefix is the only one claimed
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    expect(updated.Data?.PhoneNumber).toMatch(/^\+1206555011\d$/);
    expect(world.emulator.claimedNumbers().map((record) => record.phoneNumber)).toEqual([updated.Data?.PhoneNumber]);
  });

  test('an in-place update of a number found by search keeps reporting the claimed number', async () => {
    // GIVEN a number found by search
    const created = await world.stack.create(support, searchProps());
    // WHEN only its description changes
    const updated = await world.stack.update(support, { ...searchProps(), PhoneNumberDescription: 'Found' });
    // THEN the same number is kept and reported
    expect(updated).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
    expect(updated.Data?.PhoneNumber).toBe(created.Data?.PhoneNumber);
  });
});

describe('Adoption', () => {
  test('adoptExisting takes over a number claimed by hand and brings its tags and description to the declared state', async () => {
    // GIVEN a number claimed in the console, with its own tags and description
    const manual = world.emulator.claimOutOfBand({ phoneNumber: '+12065550100', instanceId: INSTANCE_ID, description: 'Console', tags: { legacy: 'yes' } });
    // WHEN the resource declares it with adoptExisting
    const response = await world.stack.create(support, { ...world.stack.declaredProperties(support), AdoptExisting: true });
    // THEN it owns the same number, never released or claimed again, now as declared
    const record = world.emulator.numberByPhone('+12065550100');
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: manual.arn });
    expect(record).toMatchObject({ status: 'CLAIMED', description: 'Support line' });
    expect(record?.tags).toEqual({ team: 'support', [OWNER]: `E2eNumbers/${support}` });
    expect(world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber')).toHaveLength(0);
  });

  test('adoptExisting refuses a number claimed to another target than the declared one', async () => {
    // GIVEN a number claimed by hand to another instance
    world.emulator.claimOutOfBand({ phoneNumber: '+12065550100', instanceId: OTHER_INSTANCE_ID, tags: { legacy: 'yes' } });
    // WHEN the resource declares it with adoptExisting
    const response = await world.stack.create(support, { ...world.stack.declaredProperties(support), AdoptExisting: true });
    // THEN the Create fails explaining the target, and the number is untouched
    expect(response.Reason).toMatch(/adoptExisting takes over \+12065550100 only where it is already claimed/);
    expect(world.emulator.numberByPhone('+12065550100')?.tags).toEqual({ legacy: 'yes' });
  });
});

describe('Contact-flow association', () => {
  beforeEach(() => {
    world.emulator.addContactFlow(INSTANCE_ID, FLOW_ID);
    world.emulator.addContactFlow(OTHER_INSTANCE_ID, FLOW_ID);
  });

  test('the number is associated with the declared flow once it is claimed', async () => {
    // WHEN a number with a contact flow is created
    await world.stack.create(support, { ...world.stack.declaredProperties(support), ContactFlowArn: FLOW_ARN });
    // THEN Connect shows the association
    expect(world.emulator.numberByPhone('+12065550100')?.contactFlowId).toBe(FLOW_ID);
  });

  test('a move to another target associates the flow again (UpdatePhoneNumber drops it)', async () => {
    // GIVEN an associated number
    const props = { ...world.stack.declaredProperties(support), ContactFlowArn: FLOW_ARN };
    await world.stack.create(support, props);
    // WHEN it moves to another instance, with that instance's flow
    const otherFlowArn = `arn:aws:connect:us-east-1:123456789012:instance/${OTHER_INSTANCE_ID}/contact-flow/${FLOW_ID}`;
    const response = await world.stack.update(support, { ...props, InstanceId: OTHER_INSTANCE_ID, ContactFlowArn: otherFlowArn });
    // THEN it is associated again, in the new instance
    expect(response.Status).toBe('SUCCESS');
    expect(world.emulator.numberByPhone('+12065550100')).toMatchObject({ instanceId: OTHER_INSTANCE_ID, contactFlowId: FLOW_ID });
  });

  test('removing the flow from the props removes the association', async () => {
    // GIVEN an associated number
    const props = { ...world.stack.declaredProperties(support), ContactFlowArn: FLOW_ARN };
    await world.stack.create(support, props);
    // WHEN the flow is removed
    await world.stack.update(support, world.stack.declaredProperties(support));
    // THEN the number has no flow
    expect(world.emulator.numberByPhone('+12065550100')?.contactFlowId).toBeUndefined();
  });

  test('delete removes the association before releasing, so the release is not refused', async () => {
    // GIVEN an associated number
    await world.stack.create(support, { ...world.stack.declaredProperties(support), ContactFlowArn: FLOW_ARN });
    // WHEN it is deleted
    const response = await world.stack.delete(support);
    // THEN it was released
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(world.emulator.claimedNumbers()).toHaveLength(0);
  });
});

/** Resolves once `condition` holds (checked every 10 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
