import { ConnectClient, DescribePhoneNumberCommand, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, useTestEmulator } from './helpers';

describe('rate limiting per operation', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;

  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  // Runs after the shared setup's reset.
  beforeEach(() => {
    emulator.configure({ rateLimit: { requestsPerSecond: 2, burst: 5, scope: 'operation' } });
  });

  const list = () => client.send(new ListPhoneNumbersV2Command({}));
  const describeMissing = () => client.send(new DescribePhoneNumberCommand({ PhoneNumberId: '0d6e4c4a-1b2c-4d3e-8f4a-5b6c7d8e9f00' }));

  test('an operation whose bucket is empty is throttled while another operation still passes', async () => {
    // GIVEN ListPhoneNumbersV2 has used its burst of five
    for (let i = 0; i < 5; i += 1) await list();
    // WHEN a sixth list and a describe follow at once
    const sixthList = await caught(list());
    const describe = await caught(describeMissing());
    // THEN the list is throttled, and the describe reaches the operation (404 for an unknown number, not 429)
    expect(sixthList.status).toBe(429);
    expect(describe).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });
});
