import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  IdempotencyException,
  ReleasePhoneNumberCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, OTHER_INSTANCE_ID, SETTLE_MS, sleep, TOKEN_A, TOKEN_B, useTestEmulator } from './helpers';

describe('ClientToken idempotency', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const claim = (token: string, phoneNumber = '+12065550170', extra: Record<string, unknown> = {}) =>
    client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: phoneNumber, ClientToken: token, ...extra }));

  test('a claim repeated with the same token and parameters returns the first response and creates one record', async () => {
    // GIVEN a claim with token A
    const first = await claim(TOKEN_A);
    // WHEN the same request is sent again
    const second = await claim(TOKEN_A);
    // THEN the same id comes back and only one record exists
    expect(second.PhoneNumberId).toBe(first.PhoneNumberId);
    expect(emulator.numbers()).toHaveLength(1);
  });

  test('the same token does not depend on the order of map keys', async () => {
    // GIVEN a claim with tags {a, b}
    const first = await claim(TOKEN_A, '+12065550170', { Tags: { a: '1', b: '2' } });
    // WHEN repeated with the tags in the other order
    const second = await claim(TOKEN_A, '+12065550170', { Tags: { b: '2', a: '1' } });
    // THEN it is the same request
    expect(second.PhoneNumberId).toBe(first.PhoneNumberId);
  });

  test('the same token with different parameters is IdempotencyException', async () => {
    // GIVEN a claim with token A
    await claim(TOKEN_A);
    // WHEN token A is reused for another number
    const err = await caught(claim(TOKEN_A, '+12065550171'));
    // THEN 409 IdempotencyException and the second number is not claimed
    expect(err.error).toBeInstanceOf(IdempotencyException);
    expect(err.status).toBe(409);
    expect(emulator.numberByPhone('+12065550171')).toBeUndefined();
  });

  test('a different token for the same number is a new claim and is refused as not available', async () => {
    // GIVEN a claim with token A WHEN the number is claimed with token B
    await claim(TOKEN_A);
    const err = await caught(claim(TOKEN_B));
    // THEN it is not available
    expect(err.message).toBe('Phone number not available: +12065550170');
  });

  test('a retry after dropAfterWork with the same token gets the result of the lost response', async () => {
    // GIVEN the first claim's response is lost after the work is done
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'dropAfterWork' });
    const lost = await caught(claim(TOKEN_A));
    // WHEN the client retries with the same token
    const retry = await claim(TOKEN_A);
    // THEN it gets the id of the record the first call created, and exactly one number exists
    expect(lost.name).not.toBe('IdempotencyException');
    expect(emulator.numbers()).toHaveLength(1);
    expect(retry.PhoneNumberId).toBe(emulator.numbers()[0].id);
  });

  test('a repeated release with the same token succeeds without another release', async () => {
    // GIVEN a CLAIMED number released with token A
    const { PhoneNumberId } = await claim(TOKEN_A);
    await sleep(SETTLE_MS);
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId, ClientToken: TOKEN_B }));
    // WHEN the release is repeated with the same token
    const again = await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId, ClientToken: TOKEN_B }));
    // THEN it succeeds (not 404) and one record is cooling down
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(emulator.releasedNumbers()).toHaveLength(1);
  });

  test('a release without a token after the number is gone is ResourceNotFoundException', async () => {
    // GIVEN a released number
    const { PhoneNumberId } = await claim(TOKEN_A);
    await sleep(SETTLE_MS);
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId, ClientToken: TOKEN_B }));
    // WHEN released again with a fresh token (the SDK fills one in)
    const err = await caught(client.send(new ReleasePhoneNumberCommand({ PhoneNumberId })));
    // THEN 404
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('a repeated UpdatePhoneNumber with the same token does not restart the move', async () => {
    // GIVEN a move done with token B
    const { PhoneNumberId } = await claim(TOKEN_A);
    await sleep(SETTLE_MS);
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId, InstanceId: OTHER_INSTANCE_ID, ClientToken: TOKEN_B }));
    await sleep(SETTLE_MS);
    // WHEN it is repeated with the same token
    const again = await client.send(
      new UpdatePhoneNumberCommand({ PhoneNumberId, InstanceId: OTHER_INSTANCE_ID, ClientToken: TOKEN_B }),
    );
    // THEN the response repeats and the number stays CLAIMED (no new IN_PROGRESS phase)
    expect(again.PhoneNumberId).toBe(PhoneNumberId);
    expect(emulator.numberByPhone('+12065550170')?.status).toBe('CLAIMED');
  });

  test('UpdatePhoneNumberMetadata with a reused token and another description is IdempotencyException', async () => {
    // GIVEN a metadata update with token B
    const { PhoneNumberId } = await claim(TOKEN_A);
    await sleep(SETTLE_MS);
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId, PhoneNumberDescription: 'a', ClientToken: TOKEN_B }));
    // WHEN token B is reused with another description THEN 409
    const err = await caught(
      client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId, PhoneNumberDescription: 'b', ClientToken: TOKEN_B })),
    );
    expect(err.name).toBe('IdempotencyException');
  });

  test('tokens are scoped per operation', async () => {
    // GIVEN token A used for a claim
    const { PhoneNumberId } = await claim(TOKEN_A);
    await sleep(SETTLE_MS);
    // WHEN the same token is used for a metadata update
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId, PhoneNumberDescription: 'x', ClientToken: TOKEN_A }));
    // THEN it is accepted as a new request and starts work
    expect(emulator.numberByPhone('+12065550170')?.status).toBe('IN_PROGRESS');
  });
});
