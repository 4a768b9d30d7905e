import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  InternalServiceException,
  ListPhoneNumbersV2Command,
  ThrottlingException,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, clientFor, INSTANCE_ID, instanceArn, OTHER_INSTANCE_ID, SETTLE_MS, sleep, startTestEmulator, useTestEmulator } from './helpers';

describe('fault injection', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const claim = (phoneNumber = '+12065550180') =>
    client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: phoneNumber }));

  test('throttle answers ThrottlingException 429 with the given message, once by default', async () => {
    // GIVEN a throttle fault on ListPhoneNumbersV2
    emulator.faults.add({ operation: 'ListPhoneNumbersV2', kind: 'throttle', message: 'Slow down' });
    // WHEN listing twice
    const err = await caught(client.send(new ListPhoneNumbersV2Command({})));
    const ok = await client.send(new ListPhoneNumbersV2Command({}));
    // THEN the first is throttled and the second passes
    expect(err.error).toBeInstanceOf(ThrottlingException);
    expect(err.status).toBe(429);
    expect(err.message).toBe('Slow down');
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  test('internalError answers InternalServiceException 500 for as many calls as `times`', async () => {
    // GIVEN an internal error fault for two claims
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'internalError', times: 2 });
    // WHEN claiming three times
    const first = await caught(claim());
    const second = await caught(claim());
    const third = await claim();
    // THEN two 500s, then success, and no record came from the failed calls
    expect(first.error).toBeInstanceOf(InternalServiceException);
    expect(first.status).toBe(500);
    expect(second.status).toBe(500);
    expect(third.PhoneNumberId).toBeDefined();
    expect(emulator.numbers()).toHaveLength(1);
  });

  test('a fault for one operation does not affect another', async () => {
    // GIVEN a throttle for Describe WHEN claiming
    emulator.faults.add({ operation: 'DescribePhoneNumber', kind: 'throttle' });
    const out = await claim();
    // THEN the claim works and the fault is still pending
    expect(out.PhoneNumberId).toBeDefined();
    expect(emulator.faults.pending()).toEqual([{ operation: 'DescribePhoneNumber', kind: 'throttle', times: 1 }]);
  });

  test('dropBeforeWork closes the connection and does nothing', async () => {
    // GIVEN a dropBeforeWork fault on claims
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'dropBeforeWork' });
    // WHEN claiming
    const err = await caught(claim());
    // THEN the client sees a network error, nothing was claimed, and the log says so
    expect(err.status).toBeUndefined();
    expect(emulator.numbers()).toHaveLength(0);
    expect(emulator.calls.at(-1)).toMatchObject({ operation: 'ClaimPhoneNumber', fault: 'dropBeforeWork', httpStatus: 0 });
  });

  test('dropAfterWork does the work but the client never sees the response', async () => {
    // GIVEN a dropAfterWork fault on claims
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'dropAfterWork' });
    // WHEN claiming
    const err = await caught(claim());
    // THEN the client got no HTTP response, yet the number is claimed
    expect(err.status).toBeUndefined();
    expect(emulator.numberByPhone('+12065550180')?.status).toBe('IN_PROGRESS');
    expect(emulator.calls.at(-1)).toMatchObject({ fault: 'dropAfterWork', httpStatus: 200 });
  });

  test('claimFailed accepts the claim, then the number ends FAILED with the message and is free again', async () => {
    // GIVEN a claimFailed fault with a custom message
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed', message: 'Carrier rejected the number' });
    // WHEN claiming and waiting out the latency
    const { PhoneNumberId } = await claim();
    await sleep(SETTLE_MS);
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN it is FAILED with the message, and the number can be claimed again
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberStatus).toEqual({ Status: 'FAILED', Message: 'Carrier rejected the number' });
    expect((await claim()).PhoneNumberId).not.toBe(PhoneNumberId);
  });

  test('claimFailed without a message uses the default failure message', async () => {
    // GIVEN a claimFailed fault without message WHEN the claim completes
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    const { PhoneNumberId } = await claim();
    await sleep(SETTLE_MS);
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN the default message is used
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Message).toBe('The phone number could not be claimed');
  });

  test('claimStuck keeps the claim IN_PROGRESS past its latency', async () => {
    // GIVEN a claimStuck fault WHEN claiming and waiting well past the latency
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    const { PhoneNumberId } = await claim();
    await sleep(SETTLE_MS + 100);
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN it is still IN_PROGRESS
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
  });

  test('faults.clear removes pending faults', async () => {
    // GIVEN a pending throttle WHEN cleared
    emulator.faults.add({ kind: 'throttle', times: 5 });
    emulator.faults.clear();
    // THEN calls pass
    expect((await client.send(new ListPhoneNumbersV2Command({}))).$metadata.httpStatusCode).toBe(200);
  });

  test('an unknown fault kind is refused', () => {
    // GIVEN a misspelt kind WHEN added THEN it throws naming the valid kinds
    expect(() => emulator.faults.add({ kind: 'explode' as never })).toThrow(/Unknown fault kind explode/);
  });
});

describe('claimStuck on UpdatePhoneNumber', () => {
  test('an update hit by claimStuck stays IN_PROGRESS on its old target', async () => {
    // GIVEN a CLAIMED number and a claimStuck fault for updates
    const emulator = await startTestEmulator({ claimLatencyMs: 0 });
    const client = clientFor(emulator);
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550181' }),
    );
    emulator.faults.add({ operation: 'UpdatePhoneNumber', kind: 'claimStuck' });
    // WHEN it is moved and the update latency has long passed
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId, InstanceId: OTHER_INSTANCE_ID }));
    await sleep(SETTLE_MS + 100);
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    client.destroy();
    await emulator.close();
    // THEN it is still IN_PROGRESS and still on the old instance
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect(out.ClaimedPhoneNumberSummary?.TargetArn).toBe(instanceArn());
  });
});
