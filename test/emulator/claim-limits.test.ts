import { ConnectClient, ReleasePhoneNumberCommand, ResourceNotFoundException, UpdatePhoneNumberCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator, DAY_MS } from '../../emulator';
import {
  caught,
  claimNumber,
  describeNumber,
  INSTANCE_ID,
  OTHER_INSTANCE_ID,
  SETTLE_MS,
  sleep,
  TDG_ID,
  tdgArn,
  useTestEmulator,
} from './helpers';

const LIMIT_MESSAGE = 'The allowed limit for claimed phone numbers has been exceeded for your instance';

describe('claims that cannot be had: numbers taken for a traffic distribution group', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  test('claiming a taken number to a traffic distribution group is ResourceNotFoundException, not InvalidParameterException', async () => {
    // GIVEN a number held by another account
    emulator.reserveNumber('+12065550100');
    // WHEN it is claimed to a traffic distribution group
    const err = await caught(claimNumber(client, '+12065550100', { TargetArn: tdgArn() }));
    // THEN 404 ResourceNotFoundException (admin guide, "Why a ClaimPhoneNumber call fails")
    expect(err.error).toBeInstanceOf(ResourceNotFoundException);
    expect(err.status).toBe(404);
  });

  test('a taken number and a missing group answer a traffic distribution group claim with the same message', async () => {
    // GIVEN a group that exists, and a taken number claimed to it
    const groupId = 'dddddddd-0000-4000-8000-000000000000';
    emulator.addTrafficDistributionGroup(groupId);
    emulator.reserveNumber('+12065550101');
    const taken = await caught(claimNumber(client, '+12065550101', { TargetArn: tdgArn(groupId) }));
    // WHEN the group is gone and a free number is claimed to it
    emulator.configure({ trafficDistributionGroups: [TDG_ID] });
    const missing = await caught(claimNumber(client, '+12065550102', { TargetArn: tdgArn(groupId) }));
    // THEN both answers are alike, so a client cannot tell the causes apart
    expect([taken.name, missing.name]).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
    expect(taken.message).toBe(missing.message);
  });
});

describe('the number limit of a target', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  async function fill(count: number, target: { InstanceId?: string; TargetArn?: string } = { InstanceId: INSTANCE_ID }): Promise<void> {
    for (let i = 0; i < count; i += 1) await claimNumber(client, `+1206555011${i}`, target);
  }

  test('by default an instance holds five numbers: a sixth claim is accepted and then ends FAILED with the limit message', async () => {
    // GIVEN five numbers claimed to the instance
    await fill(5);
    // WHEN a sixth is claimed
    const sixth = await claimNumber(client, '+12065550120');
    await sleep(SETTLE_MS);
    // THEN the claim answered an ARN, and the number is FAILED with the service's message
    expect(sixth.PhoneNumberArn).toMatch(/:phone-number\//);
    expect((await describeNumber(client, sixth.PhoneNumberId as string))?.PhoneNumberStatus).toEqual({ Status: 'FAILED', Message: LIMIT_MESSAGE });
  });

  test('numbers claimed to another target do not count', async () => {
    // GIVEN five numbers on the instance
    await fill(5);
    // WHEN a number is claimed to the other instance
    const other = await claimNumber(client, '+12065550121', { InstanceId: OTHER_INSTANCE_ID });
    await sleep(SETTLE_MS);
    // THEN it is CLAIMED
    expect((await describeNumber(client, other.PhoneNumberId as string))?.PhoneNumberStatus?.Status).toBe('CLAIMED');
  });

  test('the limit is an option', async () => {
    // GIVEN a limit of two and two numbers on the instance
    emulator.configure({ claimedNumberLimit: 2 });
    await fill(2);
    // WHEN a third is claimed
    const third = await claimNumber(client, '+12065550122');
    await sleep(SETTLE_MS);
    emulator.configure({ claimedNumberLimit: 5 });
    // THEN it ends FAILED
    expect((await describeNumber(client, third.PhoneNumberId as string))?.PhoneNumberStatus?.Status).toBe('FAILED');
  });

  test('claimedNumberLimit false removes the limit', async () => {
    // GIVEN no limit and six numbers on the instance
    emulator.configure({ claimedNumberLimit: false });
    await fill(6);
    await sleep(SETTLE_MS);
    emulator.configure({ claimedNumberLimit: 5 });
    // WHEN they are inspected THEN all six are CLAIMED
    expect(emulator.claimedNumbers().filter((r) => r.status === 'CLAIMED')).toHaveLength(6);
  });

  test('moving a number to a target at its limit ends FAILED and the number stays on its old target', async () => {
    // GIVEN five numbers on the instance and one on the other instance
    await fill(5);
    const moving = await claimNumber(client, '+12065550123', { InstanceId: OTHER_INSTANCE_ID });
    await sleep(SETTLE_MS);
    // WHEN it is moved to the full instance
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: moving.PhoneNumberId, InstanceId: INSTANCE_ID }));
    await sleep(SETTLE_MS);
    // THEN the move is FAILED with the limit message and the target is unchanged
    const summary = await describeNumber(client, moving.PhoneNumberId as string);
    expect(summary?.PhoneNumberStatus).toEqual({ Status: 'FAILED', Message: LIMIT_MESSAGE });
    expect(summary?.InstanceId).toBe(OTHER_INSTANCE_ID);
  });

  test('a number whose move FAILED was held, so releasing it starts a cooldown', async () => {
    // GIVEN a move to the full instance that ended FAILED
    await fill(5);
    const moving = await claimNumber(client, '+12065550124', { InstanceId: OTHER_INSTANCE_ID });
    await sleep(SETTLE_MS);
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: moving.PhoneNumberId, InstanceId: INSTANCE_ID }));
    await sleep(SETTLE_MS);
    // WHEN it is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: moving.PhoneNumberId }));
    // THEN it is cooling down
    expect(emulator.releasedNumbers().map((r) => r.phoneNumber)).toEqual(['+12065550124']);
  });
});

describe('a FAILED claim is held for a day', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  async function failedClaim(phoneNumber: string): Promise<string> {
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    const { PhoneNumberId } = await claimNumber(client, phoneNumber);
    await sleep(SETTLE_MS);
    return PhoneNumberId as string;
  }

  test('within the day the FAILED number is still described', async () => {
    // GIVEN a claim that ended FAILED WHEN 23 hours pass
    const id = await failedClaim('+12065550130');
    emulator.advanceClock(23 * 60 * 60 * 1000);
    // THEN it is still FAILED
    expect((await describeNumber(client, id))?.PhoneNumberStatus?.Status).toBe('FAILED');
  });

  test('within the day the same account may claim the number again', async () => {
    // GIVEN a claim that ended FAILED
    await failedClaim('+12065550131');
    // WHEN the number is claimed again
    const again = await claimNumber(client, '+12065550131');
    await sleep(SETTLE_MS);
    // THEN the retry is CLAIMED
    expect((await describeNumber(client, again.PhoneNumberId as string))?.PhoneNumberStatus?.Status).toBe('CLAIMED');
  });

  test('after a day the FAILED number is gone: DescribePhoneNumber answers ResourceNotFoundException', async () => {
    // GIVEN a claim that ended FAILED WHEN a day passes
    const id = await failedClaim('+12065550132');
    emulator.advanceClock(DAY_MS);
    // THEN it is not found and recorded as back in inventory
    const err = await caught(describeNumber(client, id));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(emulator.numbers()[0].history.map((h) => h.event)).toContain('failed-hold-expired');
  });

  test('the hold is an option', async () => {
    // GIVEN a hold of one hour and a FAILED claim
    emulator.configure({ failedHoldMs: 60 * 60 * 1000 });
    const id = await failedClaim('+12065550133');
    // WHEN an hour passes
    emulator.advanceClock(60 * 60 * 1000);
    const err = await caught(describeNumber(client, id));
    emulator.configure({ failedHoldMs: DAY_MS });
    // THEN the number is gone
    expect(err.name).toBe('ResourceNotFoundException');
  });
});
