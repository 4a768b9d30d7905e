import { backoffDelayMs, CONNECT_BACKOFF, isRetryable, LOOK_BACKOFF, withRetries } from '../../lambda/retry';
import { FakeClock, serviceError } from './fixtures';

describe('backoff between attempts of a Connect call', () => {
  const ceilingAfter = (attempt: number) => backoffDelayMs(CONNECT_BACKOFF, attempt, 1);
  const floorAfter = (attempt: number) => backoffDelayMs(CONNECT_BACKOFF, attempt, 0);

  test('the ceiling grows by the same step after every failed attempt', () => {
    // GIVEN the delays at the top of the jitter range after attempts 1 to 4
    const ceilings = [1, 2, 3, 4].map(ceilingAfter);
    // THEN they grow linearly from the first ceiling
    expect(ceilings).toEqual([1500, 2000, 2500, 3000]);
  });

  test('the ceiling stops growing at its maximum', () => {
    // GIVEN a caller that has been throttled a hundred times in a row
    // THEN it still waits no longer than the maximum ceiling
    expect(ceilingAfter(100)).toBe(CONNECT_BACKOFF.maxCeilingMs);
  });

  test('a retry never follows at once: it waits at least half the ceiling', () => {
    // GIVEN the lowest draw of the jitter
    // THEN the delay is half the ceiling, not zero
    expect(floorAfter(1)).toBe(750);
    expect(floorAfter(3)).toBe(1250);
  });

  test('the looks of isComplete back off more slowly than claims, and never beyond the poll schedule\'s 5 s', () => {
    // GIVEN a look and a claim each throttled ten times in a row
    const look = backoffDelayMs(LOOK_BACKOFF, 10, 1);
    const claim = backoffDelayMs(CONNECT_BACKOFF, 10, 1);
    // THEN the look waits less, and no look ever waits more than 5 s
    expect(look).toBeLessThan(claim);
    expect(backoffDelayMs(LOOK_BACKOFF, 1000, 1)).toBe(5000);
  });

  test('callers throttled together spread out over the upper half of the ceiling', () => {
    // GIVEN ten callers that drew different random numbers after their fifth failed attempt
    const delays = Array.from({ length: 10 }, (_, i) => backoffDelayMs(CONNECT_BACKOFF, 5, i / 10));
    // THEN their delays differ, between half the ceiling and the ceiling
    expect(new Set(delays).size).toBe(10);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1750);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3500);
  });
});

describe('withRetries', () => {
  test('stops before an attempt would start after the deadline, and throws the last error', async () => {
    // GIVEN a call that is always throttled and a deadline 10 s away
    const clock = new FakeClock();
    const deadline = clock.now() + 10_000;
    let attempts = 0;
    const call = () => {
      attempts += 1;
      return Promise.reject(serviceError('ThrottlingException', 'Rate exceeded', 429));
    };
    // WHEN it is run with the Connect backoff
    const outcome = withRetries(call, { ...CONNECT_BACKOFF, deadline }, clock, () => undefined);
    // THEN it fails with the throttling error, every attempt having started before the deadline
    await expect(outcome).rejects.toThrow('Rate exceeded');
    expect(clock.now()).toBeLessThan(deadline);
    expect(attempts).toBe(clock.sleeps.length + 1);
    expect(attempts).toBeGreaterThan(3);
  });

  test('a request that timed out on the client is retryable, like throttling', () => {
    // GIVEN the error @smithy/node-http-handler raises when requestTimeout passes
    const timedOut = Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
    // THEN it is retried
    expect(isRetryable(timedOut)).toBe(true);
  });
});

describe('which failures are retried', () => {
  test("CloudFormation's throttling answer (HTTP 400, code Throttling) is retried", () => {
    // GIVEN the error the SDK raises for CloudFormation's "Rate exceeded"
    const throttled = serviceError('Throttling', 'Rate exceeded', 400);
    // THEN it is retried like Connect's ThrottlingException
    expect(isRetryable(throttled)).toBe(true);
  });

  test('a quota error is not retried, even when the SDK counts its name as throttling', () => {
    // GIVEN Connect's answer to an exhausted quota, sent as 429
    const quota = serviceError('LimitExceededException', 'The request exceeds the allowed limit', 429);
    // THEN it fails at once: waiting does not lift a quota
    expect(isRetryable(quota)).toBe(false);
  });

  test('a refusal such as AccessDenied is not retried', () => {
    // GIVEN an authorization failure from a service control policy
    const denied = serviceError('AccessDenied', 'User is not authorized to perform cloudformation:DescribeStacks', 403);
    // THEN it is final
    expect(isRetryable(denied)).toBe(false);
  });

  test('an unreachable endpoint (no route, no DNS) is retried', () => {
    // GIVEN the error Node raises when the host cannot be resolved
    const unreachable = Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.example'), { code: 'ENOTFOUND' });
    // THEN it is retried until the deadline
    expect(isRetryable(unreachable)).toBe(true);
  });
});
