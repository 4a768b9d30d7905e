import { ConnectClient, ListTagsForResourceCommand, UpdatePhoneNumberCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator, EmulatorVariants, variantOptions } from '../../emulator';
import {
  caught,
  claimNumber,
  describeNumber,
  INSTANCE_ID,
  listedNumbers,
  OTHER_INSTANCE_ID,
  SETTLE_MS,
  sleep,
  tdgArn,
  useTestEmulator,
} from './helpers';

/** One emulator per describe block, started with `variants`; `use` receives it and its client. */
function withVariants(variants: Partial<EmulatorVariants>, use: (emulator: ConnectEmulator, client: ConnectClient) => void): void {
  useTestEmulator(use, variantOptions(variants));
}

describe('visibilityDelayMs=0 (default)', () => {
  let client: ConnectClient;
  withVariants({}, (_e, c) => (client = c));

  test('a new claim is described and listed at once', async () => {
    // GIVEN a claim just answered WHEN it is described and listed
    const { PhoneNumberId } = await claimNumber(client, '+12065550100');
    // THEN both show it
    expect((await describeNumber(client, PhoneNumberId as string))?.PhoneNumber).toBe('+12065550100');
    expect(await listedNumbers(client)).toEqual(['+12065550100']);
  });
});

describe.each([1000, 15_000])('visibilityDelayMs=%i', (delayMs) => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ visibilityDelayMs: delayMs }, (e, c) => {
    emulator = e;
    client = c;
  });

  test('a new claim is ResourceNotFoundException to DescribePhoneNumber until the delay has passed', async () => {
    // GIVEN a claim just answered WHEN it is described before and after the delay
    const { PhoneNumberId } = await claimNumber(client, '+12065550101');
    const before = await caught(describeNumber(client, PhoneNumberId as string));
    emulator.advanceClock(delayMs);
    const after = await describeNumber(client, PhoneNumberId as string);
    // THEN 404 first, then the number
    expect(before.name).toBe('ResourceNotFoundException');
    expect(after?.PhoneNumber).toBe('+12065550101');
  });

  test('a new claim is missing from ListPhoneNumbersV2 until the delay has passed', async () => {
    // GIVEN a claim just answered WHEN listed before and after the delay
    await claimNumber(client, '+12065550102');
    const before = await listedNumbers(client);
    emulator.advanceClock(delayMs);
    // THEN it shows up only afterwards
    expect(before).toEqual([]);
    expect(await listedNumbers(client)).toEqual(['+12065550102']);
  });

  test('a moved number is ResourceNotFoundException to DescribePhoneNumber until the delay has passed', async () => {
    // GIVEN a visible, CLAIMED number
    const { PhoneNumberId } = await claimNumber(client, '+12065550103');
    emulator.advanceClock(delayMs);
    await sleep(SETTLE_MS);
    // WHEN it is moved and described at once
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId, InstanceId: OTHER_INSTANCE_ID }));
    const err = await caught(describeNumber(client, PhoneNumberId as string));
    // THEN 404
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('the number is held while invisible: claiming it again is refused', async () => {
    // GIVEN an invisible new claim WHEN the number is claimed again
    await claimNumber(client, '+12065550104');
    const err = await caught(claimNumber(client, '+12065550104'));
    // THEN it is not available
    expect(err.message).toBe('Phone number not available: +12065550104');
  });
});

describe('listIncludesInProgress=true, listIncludesFailed=false (defaults)', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({}, (e, c) => {
    emulator = e;
    client = c;
  });

  test('IN_PROGRESS numbers are listed', async () => {
    // GIVEN a claim stuck IN_PROGRESS WHEN listing THEN it is listed
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    await claimNumber(client, '+12065550105');
    expect(await listedNumbers(client)).toEqual(['+12065550105']);
  });

  test('FAILED numbers are not listed', async () => {
    // GIVEN a FAILED claim WHEN listing THEN it is not listed
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    await claimNumber(client, '+12065550106');
    await sleep(SETTLE_MS);
    expect(await listedNumbers(client)).toEqual([]);
  });
});

describe('listIncludesInProgress=false', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ listIncludesInProgress: false }, (e, c) => {
    emulator = e;
    client = c;
  });

  test('IN_PROGRESS numbers are not listed until they are CLAIMED', async () => {
    // GIVEN a claim just answered WHEN listed during and after IN_PROGRESS
    await claimNumber(client, '+12065550107');
    const during = await listedNumbers(client);
    await sleep(SETTLE_MS);
    // THEN only the CLAIMED number is listed
    expect(during).toEqual([]);
    expect(await listedNumbers(client)).toEqual(['+12065550107']);
    expect(emulator.numberByPhone('+12065550107')?.status).toBe('CLAIMED');
  });
});

describe('listIncludesFailed=true', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ listIncludesFailed: true }, (e, c) => {
    emulator = e;
    client = c;
  });

  test('FAILED numbers are listed', async () => {
    // GIVEN a FAILED claim WHEN listing THEN it is listed
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    await claimNumber(client, '+12065550108');
    await sleep(SETTLE_MS);
    expect(await listedNumbers(client)).toEqual(['+12065550108']);
  });
});

describe('listWithoutTargetIncludesTdgNumbers=true (default)', () => {
  let client: ConnectClient;
  withVariants({}, (_e, c) => (client = c));

  test('a list without a target includes numbers of traffic distribution groups', async () => {
    // GIVEN a number on the instance and one on a group WHEN listing without a target
    await claimNumber(client, '+12065550109');
    await claimNumber(client, '+12065550110', { TargetArn: tdgArn() });
    // THEN both are listed
    expect(await listedNumbers(client)).toEqual(['+12065550109', '+12065550110']);
  });
});

describe('listWithoutTargetIncludesTdgNumbers=false', () => {
  let client: ConnectClient;
  withVariants({ listWithoutTargetIncludesTdgNumbers: false }, (_e, c) => (client = c));

  test('a list without a target has only numbers of instances', async () => {
    // GIVEN a number on the instance and one on a group WHEN listing without a target
    await claimNumber(client, '+12065550111');
    await claimNumber(client, '+12065550112', { TargetArn: tdgArn() });
    // THEN only the instance's number is listed
    expect(await listedNumbers(client)).toEqual(['+12065550111']);
  });

  test('a list by the group ARN still has its numbers', async () => {
    // GIVEN a number on a group WHEN listing by the group THEN it is listed
    await claimNumber(client, '+12065550113', { TargetArn: tdgArn() });
    expect(await listedNumbers(client, { TargetArn: tdgArn() })).toEqual(['+12065550113']);
  });
});

/** Tags of a number claimed with team=a, read through DescribePhoneNumber and ListTagsForResource. */
async function tagsSeen(client: ConnectClient, id: string, arn: string): Promise<Array<Record<string, string> | undefined>> {
  const described = (await describeNumber(client, id))?.Tags;
  const listed = (await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
  return [described, listed];
}

describe.each([
  ['always', { inProgress: { team: 'a' }, failed: { team: 'a' } }],
  ['hiddenWhileInProgress', { inProgress: {}, failed: { team: 'a' } }],
  ['claimedOnly', { inProgress: {}, failed: {} }],
] as const)('tagsVisibility=%s', (value, expected) => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ tagsVisibility: value }, (e, c) => {
    emulator = e;
    client = c;
  });

  test(`tags while IN_PROGRESS are ${JSON.stringify(expected.inProgress)}`, async () => {
    // GIVEN a claim with tags, still IN_PROGRESS WHEN its tags are read
    const { PhoneNumberId, PhoneNumberArn } = await claimNumber(client, '+12065550114', { InstanceId: INSTANCE_ID }, { Tags: { team: 'a' } });
    // THEN both operations agree with the variant
    expect(await tagsSeen(client, PhoneNumberId as string, PhoneNumberArn as string)).toEqual([expected.inProgress, expected.inProgress]);
  });

  test(`tags while FAILED are ${JSON.stringify(expected.failed)}`, async () => {
    // GIVEN a claim with tags that ended FAILED WHEN its tags are read
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    const { PhoneNumberId, PhoneNumberArn } = await claimNumber(client, '+12065550115', { InstanceId: INSTANCE_ID }, { Tags: { team: 'a' } });
    await sleep(SETTLE_MS);
    // THEN both operations agree with the variant
    expect(await tagsSeen(client, PhoneNumberId as string, PhoneNumberArn as string)).toEqual([expected.failed, expected.failed]);
  });

  test('tags of a CLAIMED number are visible', async () => {
    // GIVEN a CLAIMED number with tags WHEN its tags are read THEN they are shown
    const { PhoneNumberId, PhoneNumberArn } = await claimNumber(client, '+12065550116', { InstanceId: INSTANCE_ID }, { Tags: { team: 'a' } });
    await sleep(SETTLE_MS);
    expect(await tagsSeen(client, PhoneNumberId as string, PhoneNumberArn as string)).toEqual([{ team: 'a' }, { team: 'a' }]);
  });
});
