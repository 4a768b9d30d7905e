import { ConnectClient, ListPhoneNumbersV2Command, ThrottlingException } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, clientFor, sleep, useTestEmulator } from './helpers';

describe('rate limiting', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;

  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, { rateLimit: { requestsPerSecond: 2, burst: 5 } });
  // Runs after the shared setup's reset.
  beforeEach(() => {
    emulator.configure({ rateLimit: { requestsPerSecond: 2, burst: 5 } });
  });

  const list = () => client.send(new ListPhoneNumbersV2Command({}));

  async function statuses(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i += 1) {
      try {
        out.push((await list()).$metadata.httpStatusCode as number);
      } catch (e) {
        out.push((e as ThrottlingException).$metadata.httpStatusCode as number);
      }
    }
    return out;
  }

  test('a burst of five calls passes and the sixth is ThrottlingException with 429', async () => {
    // GIVEN a full bucket WHEN five calls are made
    await statuses(5);
    // AND a sixth follows at once
    const err = await caught(list());
    // THEN it is throttled and logged as such
    expect(err.error).toBeInstanceOf(ThrottlingException);
    expect(err.status).toBe(429);
    expect(emulator.calls.at(-1)).toMatchObject({ throttled: true, httpStatus: 429, errorType: 'ThrottlingException' });
  });

  test('throttled calls take no token, so the bucket refills at two per second', async () => {
    // GIVEN an empty bucket and a few rejected calls
    await statuses(5);
    const rejected = await statuses(3);
    // WHEN 600 ms pass (1.2 tokens)
    await sleep(600);
    const after = await statuses(2);
    // THEN the rejected calls did not delay the refill: exactly one more call passes
    expect(rejected).toEqual([429, 429, 429]);
    expect(after).toEqual([200, 429]);
  });

  test('with rateLimit false nothing is throttled', async () => {
    // GIVEN rate limiting switched off WHEN twenty calls are made
    emulator.configure({ rateLimit: false });
    const all = await statuses(20);
    // THEN all pass
    expect(all.every((s) => s === 200)).toBe(true);
  });

  test('buckets are per region', async () => {
    // GIVEN us-east-1 exhausted
    await statuses(6);
    // WHEN another region calls
    const eu = clientFor(emulator, 'eu-west-1');
    const out = await eu.send(new ListPhoneNumbersV2Command({}));
    eu.destroy();
    // THEN it has its own bucket
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('control routes are not rate limited', async () => {
    // GIVEN an exhausted bucket
    await statuses(6);
    // WHEN the control surface is read
    const res = await fetch(`${emulator.url}/__emulator/state`);
    // THEN it answers
    expect(res.status).toBe(200);
  });
});
