import { ConnectClient, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, clientFor, useTestEmulator } from './helpers';

/** Answers of the API Gateway in front of Connect (the CloudFormation handler checks for TooManyRequestsException). */
describe('API Gateway faults', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const list = (c: ConnectClient = client) => c.send(new ListPhoneNumbersV2Command({}));

  test('tooManyRequests answers 429 TooManyRequestsException', async () => {
    // GIVEN the fault WHEN listing
    emulator.faults.add({ operation: 'ListPhoneNumbersV2', kind: 'tooManyRequests' });
    const err = await caught(list());
    // THEN the SDK sees 429 TooManyRequestsException with the gateway's message
    expect([err.name, err.status, err.message]).toEqual(['TooManyRequestsException', 429, 'Too Many Requests']);
  });

  test('tooManyRequests has the gateway body: a lower-case message and no Connect error members', async () => {
    // GIVEN the fault WHEN a raw request is sent
    emulator.faults.add({ kind: 'tooManyRequests' });
    const res = await fetch(`${emulator.url}/phone-number/list`, { method: 'POST', body: '{}' });
    // THEN the body is { message }
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ message: 'Too Many Requests' });
  });

  test('gatewayTimeout answers 504', async () => {
    // GIVEN the fault WHEN listing
    emulator.faults.add({ operation: 'ListPhoneNumbersV2', kind: 'gatewayTimeout' });
    const err = await caught(list());
    // THEN the SDK sees HTTP 504 with the gateway's message
    expect([err.status, err.message]).toEqual([504, 'Endpoint request timed out']);
  });

  test('the SDK retries a 504 and the next call succeeds', async () => {
    // GIVEN one gatewayTimeout and a client that may try twice
    emulator.faults.add({ operation: 'ListPhoneNumbersV2', kind: 'gatewayTimeout' });
    const retrying = clientFor(emulator, 'us-east-1', 2);
    // WHEN listing
    const out = await list(retrying);
    retrying.destroy();
    // THEN the second attempt answered
    expect(out.$metadata.attempts).toBe(2);
  });
});
