import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectEmulator, DAY_MS, variantOptions } from '../../emulator';
import { caught, claimNumber, INSTANCE_ID, OTHER_INSTANCE_ID, TOKEN_A, useTestEmulator } from './helpers';

const HOUR_MS = 60 * 60 * 1000;
const NEW_INSTANCE = 'cccccccc-0000-4000-8000-000000000000';

/** A claim refused because its instance does not exist yet, then the instance appears and the claim is retried. */
async function refuseThenRetry(emulator: ConnectEmulator, client: ConnectClient) {
  const refused = await caught(claimNumber(client, '+12065550180', { InstanceId: NEW_INSTANCE }, { ClientToken: TOKEN_A }));
  emulator.addInstance(NEW_INSTANCE);
  const retry = claimNumber(client, '+12065550180', { InstanceId: NEW_INSTANCE }, { ClientToken: TOKEN_A });
  return { refused, retry };
}

describe('rejectedClaimToken=reusable (default)', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  test('a retry with the token of a refused claim runs again and can succeed', async () => {
    // GIVEN a claim refused with token A WHEN its cause is gone and it is retried with token A
    const { refused, retry } = await refuseThenRetry(emulator, client);
    // THEN the first was 404 and the retry claims the number
    expect(refused.name).toBe('ResourceNotFoundException');
    expect((await retry).PhoneNumberId).toBeDefined();
  });
});

describe('rejectedClaimToken=spent', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, variantOptions({ rejectedClaimToken: 'spent' }));

  test('a retry with the token of a refused claim gets the same refusal, even though it would now succeed', async () => {
    // GIVEN a claim refused with token A WHEN its cause is gone and it is retried with token A
    const { refused, retry } = await refuseThenRetry(emulator, client);
    const again = await caught(retry);
    // THEN the refusal is replayed and nothing is claimed
    expect([again.name, again.message]).toEqual([refused.name, refused.message]);
    expect(emulator.numbers()).toEqual([]);
  });

  test('a claim refused for validation does not spend its token', async () => {
    // GIVEN a claim with a malformed number and token A WHEN a valid claim uses token A
    await caught(claimNumber(client, '12065550181', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A }));
    const out = await claimNumber(client, '+12065550181', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A });
    // THEN it is claimed
    expect(out.PhoneNumberId).toBeDefined();
  });
});

describe('tokenReuse=idempotencyException (default)', () => {
  let client: ConnectClient;
  useTestEmulator((_started, startedClient) => {
    client = startedClient;
  });

  test('the same token with another number is IdempotencyException', async () => {
    // GIVEN a claim with token A WHEN token A claims another number
    await claimNumber(client, '+12065550182', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A });
    const err = await caught(claimNumber(client, '+12065550183', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A }));
    // THEN 409 IdempotencyException
    expect([err.name, err.status]).toEqual(['IdempotencyException', 409]);
  });
});

describe('tokenReuse=replayFirstAnswer', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, variantOptions({ tokenReuse: 'replayFirstAnswer' }));

  test('the same token with another number answers the first claim and claims nothing new', async () => {
    // GIVEN a claim with token A WHEN token A claims another number
    const first = await claimNumber(client, '+12065550184', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A });
    const second = await claimNumber(client, '+12065550185', { InstanceId: OTHER_INSTANCE_ID }, { ClientToken: TOKEN_A });
    // THEN the first answer comes back and only the first number is claimed
    expect(second.PhoneNumberArn).toBe(first.PhoneNumberArn);
    expect(emulator.numbers().map((r) => r.phoneNumber)).toEqual(['+12065550184']);
  });
});

/** Claims with token A, lets `elapsedMs` pass, and repeats the same request. */
async function repeatAfter(emulator: ConnectEmulator, client: ConnectClient, elapsedMs: number) {
  const first = await claimNumber(client, '+12065550186', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A });
  emulator.advanceClock(elapsedMs);
  return { first, repeat: claimNumber(client, '+12065550186', { InstanceId: INSTANCE_ID }, { ClientToken: TOKEN_A }) };
}

describe('tokenMemoryMs=forever (default)', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  test('a request repeated a year later with the same token still gets the first answer', async () => {
    // GIVEN a claim with token A WHEN it is repeated 365 days later
    const { first, repeat } = await repeatAfter(emulator, client, 365 * DAY_MS);
    // THEN the first answer comes back
    expect((await repeat).PhoneNumberId).toBe(first.PhoneNumberId);
  });
});

describe.each([
  [8 * HOUR_MS, '8 hours'],
  [7 * DAY_MS, '7 days'],
])('tokenMemoryMs=%i (%s)', (memoryMs) => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, variantOptions({ tokenMemoryMs: memoryMs }));

  test('just before the token is forgotten the first answer is replayed', async () => {
    // GIVEN a claim with token A WHEN it is repeated a second before the memory ends (margin for real time passing)
    const { first, repeat } = await repeatAfter(emulator, client, memoryMs - 1000);
    // THEN the first answer comes back
    expect((await repeat).PhoneNumberId).toBe(first.PhoneNumberId);
  });

  test('once the token is forgotten the repeat is a new claim, refused because the number is taken', async () => {
    // GIVEN a claim with token A WHEN it is repeated after the memory ended
    const { repeat } = await repeatAfter(emulator, client, memoryMs);
    const err = await caught(repeat);
    // THEN it runs again and finds the number taken (by its own first claim)
    expect(err.message).toBe('Phone number not available: +12065550186');
  });
});
