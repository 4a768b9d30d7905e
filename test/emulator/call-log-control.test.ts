import { ClaimPhoneNumberCommand, ConnectClient, DescribePhoneNumberCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { parseArgs } from '../../emulator/cli';
import { caught, INSTANCE_ID, LATENCY_MS, TOKEN_A, useTestEmulator } from './helpers';

describe('call log, accessors and the HTTP control surface', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const post = (path: string, body: unknown) =>
    fetch(`${emulator.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

  test('every call is logged in order with operation, input, status, error type and token', async () => {
    // GIVEN a successful claim and a failing describe
    const before = Date.now();
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550190', ClientToken: TOKEN_A }));
    await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId: 'nope' })));
    // WHEN the call log is read
    const [claim, describe_] = emulator.calls;
    // THEN both calls are there with their details
    expect(emulator.calls).toHaveLength(2);
    expect(claim).toMatchObject({
      operation: 'ClaimPhoneNumber',
      input: { InstanceId: INSTANCE_ID, PhoneNumber: '+12065550190', ClientToken: TOKEN_A },
      httpStatus: 200,
      throttled: false,
      clientToken: TOKEN_A,
    });
    expect(claim.errorType).toBeUndefined();
    expect(claim.at).toBeGreaterThanOrEqual(before);
    expect(describe_).toMatchObject({
      operation: 'DescribePhoneNumber',
      input: { PhoneNumberId: 'nope' },
      httpStatus: 404,
      errorType: 'ResourceNotFoundException',
    });
  });

  test('numbers() keeps history and claimedNumbers() lists claimed numbers', async () => {
    // GIVEN one API claim and one console claim
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550191' }));
    emulator.claimOutOfBand({ phoneNumber: '+12065550192', instanceId: INSTANCE_ID, tags: { by: 'hand' } });
    // WHEN inspecting
    const claimed = emulator.claimedNumbers();
    // THEN both are claimed, the console one CLAIMED at once and marked out of band
    expect(claimed.map((r) => r.phoneNumber)).toEqual(['+12065550191', '+12065550192']);
    expect(emulator.numberByPhone('+12065550192')).toMatchObject({ status: 'CLAIMED', outOfBand: true, tags: { by: 'hand' } });
    expect(emulator.numberByPhone('+12065550191')?.history[0].event).toBe('claim-requested');
  });

  test('accessor records are copies that cannot change emulator state', async () => {
    // GIVEN a console claim WHEN a test mutates the returned record
    emulator.claimOutOfBand({ phoneNumber: '+12065550193', instanceId: INSTANCE_ID });
    const record = emulator.numberByPhone('+12065550193');
    if (record) record.tags.injected = 'x';
    // THEN the emulator's record is unchanged
    expect(emulator.numberByPhone('+12065550193')?.tags).toEqual({});
  });

  test('GET /__emulator/state returns numbers and calls as JSON', async () => {
    // GIVEN a claim
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550194' }));
    // WHEN the state is fetched over HTTP
    const state = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as {
      numbers: Array<{ phoneNumber: string }>;
      calls: Array<{ operation: string }>;
    };
    // THEN it contains the number and the call
    expect(state.numbers.map((n) => n.phoneNumber)).toEqual(['+12065550194']);
    expect(state.calls.map((c) => c.operation)).toEqual(['ClaimPhoneNumber']);
  });

  test('POST /__emulator/faults injects a fault the next call hits', async () => {
    // GIVEN a throttle fault posted over HTTP
    const res = await post('/__emulator/faults', { operation: 'ClaimPhoneNumber', kind: 'throttle' });
    // WHEN claiming
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550195' })));
    // THEN the fault was accepted and applied
    expect(res.status).toBe(200);
    expect(err.name).toBe('ThrottlingException');
  });

  test('POST /__emulator/faults with an unknown kind answers 400', async () => {
    // GIVEN a bad fault spec WHEN posted THEN 400
    const res = await post('/__emulator/faults', { kind: 'nope' });
    expect(res.status).toBe(400);
  });

  test('POST /__emulator/reset clears numbers and calls', async () => {
    // GIVEN a claim WHEN reset over HTTP
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550196' }));
    await post('/__emulator/reset', {});
    // THEN nothing is left
    expect(emulator.numbers()).toEqual([]);
    expect(emulator.calls).toEqual([]);
  });

  test('POST /__emulator/config changes options at run time', async () => {
    // GIVEN a new instance set posted as config
    const res = await post('/__emulator/config', { instances: ['new-instance'], claimLatencyMs: 0 });
    // WHEN claiming to the new instance
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: 'new-instance', PhoneNumber: '+12065550197' }));
    // THEN it exists and the claim completed at once
    expect(res.status).toBe(200);
    expect(emulator.numberByPhone('+12065550197')?.status).toBe('CLAIMED');
    emulator.configure({ instances: [INSTANCE_ID], claimLatencyMs: LATENCY_MS });
  });

  test('an unknown control route answers 404 and is not logged as an API call', async () => {
    // GIVEN a bad control path WHEN requested THEN 404 and the call log stays empty
    const res = await fetch(`${emulator.url}/__emulator/nothing`);
    expect(res.status).toBe(404);
    expect(emulator.calls).toEqual([]);
  });

  test('the CLI parses ports, latencies, repeated instances and --no-rate-limit', () => {
    // GIVEN a typical command line WHEN parsed
    const options = parseArgs(['--port', '9000', '--claim-latency-ms', '10', '--no-rate-limit', '--instance', 'a', '--instance', 'b']);
    // THEN every flag lands in the options
    expect(options).toEqual({ port: 9000, claimLatencyMs: 10, rateLimit: false, instances: ['a', 'b'] });
  });

  test('the CLI rejects a non-numeric port', () => {
    // GIVEN --port abc WHEN parsed THEN it throws naming the flag
    expect(() => parseArgs(['--port', 'abc'])).toThrow('--port needs a non-negative integer');
  });
});
