import { ConnectClient } from '@aws-sdk/client-connect';
import { HandlerEnv } from '../../lib/shared/contract';
import { ConnectGateway } from '../../lambda/connect-gateway';
import { Logger } from '../../lambda/logger';
import { Clock, CONNECT_BACKOFF, CONNECT_PACING, CrowdPacer, crowdFromEnvironment, CrowdPacing, RetryPolicy, withRetries } from '../../lambda/retry';
import { FakeClock, serviceError } from './fixtures';

const throttled = () => serviceError('ThrottlingException', 'Rate exceeded', 429);
const ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/11111111-2222-4333-8444-555555555555';

/** A gateway built as onEvent builds it (no backoff given), in `environment`; each send fails with the next error, or succeeds. */
function gatewayIn(environment: { [name: string]: string }, failures: (Error | undefined)[]): { gateway: ConnectGateway; clock: FakeClock } {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  try {
    const clock = new FakeClock();
    const client = { send: () => (failures.length > 0 && failures[0] !== undefined ? Promise.reject(failures.shift()) : (failures.shift(), Promise.resolve({}))) };
    const gateway = new ConnectGateway(client as unknown as ConnectClient, clock, new Logger({}, () => undefined), clock.now() + 14 * 60_000);
    return { gateway, clock };
  } finally {
    for (const name of Object.keys(environment)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}
const crowdOf = (crowd: number): CrowdPacing => ({ ...CONNECT_PACING, crowd });

describe('pacing a throttled caller for the crowd of its stack', () => {
  test('after its first throttled attempt, a caller of a 400-number stack draws its retry from the time the crowd needs, shortened by the load factor', () => {
    // GIVEN a caller of a 400-number stack, throttled for the first time
    const pacer = new CrowdPacer(crowdOf(400));
    // WHEN it draws the lowest and the highest delay
    const lowest = new CrowdPacer(crowdOf(400)).delayMs(0, 0);
    const highest = pacer.delayMs(0, 0.999999);
    // THEN it waits between the least delay and 400 / 2 s / 1.2
    expect(lowest).toBe(CONNECT_PACING.minDelayMs);
    expect(highest).toBeGreaterThan(166_000);
    expect(highest).toBeLessThanOrEqual(Math.round(CONNECT_PACING.minDelayMs + 200_000 / 1.2));
  });

  test('the window shrinks as the end of the crowd nears, so the last callers leave no capacity idle', () => {
    // GIVEN a caller of a 400-number stack first throttled at 0 s
    const pacer = new CrowdPacer(crowdOf(400));
    pacer.delayMs(0, 0);
    // WHEN it is throttled again at 150 s and at 199 s (the crowd needs 200 s)
    const at150 = pacer.delayMs(150_000, 0.999999);
    const at199 = pacer.delayMs(199_000, 0.999999);
    // THEN its longest wait is what is left of the crowd's time (over the load factor), then the least window
    expect(at150).toBeLessThanOrEqual(Math.round(CONNECT_PACING.minDelayMs + 50_000 / 1.2));
    expect(at150).toBeGreaterThan(40_000);
    expect(at199).toBeLessThanOrEqual(CONNECT_PACING.minDelayMs + CONNECT_PACING.minWindowMs);
  });

  test('a caller refused just past the end of its crowd doubles its window with each refusal, as a straggler would', () => {
    // GIVEN a caller of a 150-number stack (75 s) first throttled at 0 s
    const pacer = new CrowdPacer(crowdOf(150));
    pacer.delayMs(0, 0);
    // WHEN it is refused at 76 s, 77 s and 78 s (within a tenth of the crowd's time past its end)
    const windows = [76_000, 77_000, 78_000].map((now) => pacer.delayMs(now, 0.999999) - CONNECT_PACING.minDelayMs);
    // THEN its windows are the least window, then twice, then four times that
    expect(windows.map((w) => Math.round(w / 1000))).toEqual([2, 4, 8]);
  });

  test('a caller still refused a tenth of its crowd\'s time past the end assumes one more stack of callers', () => {
    // GIVEN a caller of a 150-number stack (75 s) first throttled at 0 s
    const pacer = new CrowdPacer(crowdOf(150));
    pacer.delayMs(0, 0);
    // WHEN it is still refused at 83 s (75 s + 7.5 s)
    const delay = pacer.delayMs(83_000, 0.999999);
    // THEN it spreads over another 75 s (over the load factor)
    expect(delay).toBeGreaterThan(60_000);
    expect(delay).toBeLessThanOrEqual(Math.round(CONNECT_PACING.minDelayMs + 75_000 / 1.2));
  });

  test('a paced wait never reaches past the deadline', () => {
    // GIVEN a caller of a 400-number stack whose invocation ends in 30 s
    const pacer = new CrowdPacer(crowdOf(400));
    // WHEN it draws the highest delay
    const delay = pacer.delayMs(0, 0.999999, 30_000);
    // THEN it still tries before the deadline
    expect(delay).toBeLessThanOrEqual(30_000);
  });
});

describe('where the crowd comes from', () => {
  test("onEvent's first Connect call paces for the crowd named in the function's environment", async () => {
    // GIVEN a function whose provider counted 400 numbers in its stack, and a first call Connect throttles once
    const { gateway, clock } = gatewayIn({ [HandlerEnv.NUMBERS_IN_STACK]: '400' }, [throttled()]);
    // WHEN the call (a tag) is made
    await gateway.tag(ARN, { a: 'b' });
    // THEN the retry waited a draw from the crowd's window (draw 0.5 of 400 / 2 s / 1.2), not the growing backoff's 1.1 s
    expect(clock.sleeps).toEqual([Math.round(CONNECT_PACING.minDelayMs + 0.5 * (200_000 / 1.2))]);
  });

  test('a later call of the same invocation, after one went through, keeps the short growing backoff', async () => {
    // GIVEN the same function, whose first call went through and whose second Connect throttles once
    const { gateway, clock } = gatewayIn({ [HandlerEnv.NUMBERS_IN_STACK]: '400' }, [undefined, throttled()]);
    // WHEN both calls are made
    await gateway.tag(ARN, { a: 'b' });
    await gateway.tag(ARN, { c: 'd' });
    // THEN the retry of the second waited the backoff's first delay (1.5 s ceiling, draw 0.5): it arrived at the crowd's pace
    expect(clock.sleeps).toEqual([1125]);
  });

  test('a stack of 20 numbers or fewer, or no count at all, keeps the growing backoff', () => {
    // GIVEN environments with 20 numbers, no count, and a count that is not a number
    // THEN none of them is paced, while 21 numbers are
    expect(crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: '20' })).toBeUndefined();
    expect(crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: '21' })?.crowd).toBe(21);
    expect(crowdFromEnvironment({})).toBeUndefined();
    expect(crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: 'many' })).toBeUndefined();
  });

  test('a server error is retried with the growing backoff even in a crowd: it says nothing about the crowd', async () => {
    // GIVEN a paced call that fails once with a 500 and then succeeds
    const clock = new FakeClock();
    let attempts = 0;
    const call = () => (attempts++ === 0 ? Promise.reject(serviceError('InternalServiceException', 'boom', 500)) : Promise.resolve('ok'));
    // WHEN it runs with a crowd of 400
    await withRetries(call, { ...CONNECT_BACKOFF, crowd: crowdOf(400), deadline: clock.now() + 600_000 }, clock, () => undefined);
    // THEN it waited the backoff's first delay (1.5 s ceiling, draw 0.5), not a crowd window
    expect(clock.sleeps).toEqual([1125]);
  });
});

/**
 * A crowd of callers against one token bucket (2 requests/s, burst 5; a refused request takes no token), in
 * virtual time: each caller runs withRetries with a clock whose sleeps wait for the scheduler below.
 */
async function crowdAgainstBucket(callers: number, policy: (deadline: number) => RetryPolicy): Promise<{ endMs: number; throttled: number; failed: number }> {
  let now = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  let tokens = 5;
  let refilledAt = 0;
  let throttledCount = 0;
  const take = (): boolean => {
    tokens = Math.min(5, tokens + ((now - refilledAt) / 1000) * 2);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  let draw = 12345;
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, seq: seq++, resolve })),
    // A fixed pseudo-random sequence, so that the test is repeatable.
    random: () => {
      draw = (draw * 1103515245 + 12345) % 2147483648;
      return draw / 2147483648;
    },
  };
  let endMs = 0;
  let failed = 0;
  const runs = Array.from({ length: callers }, async (_, i) => {
    // Callers start within half a second of each other, as CloudFormation's creates do.
    await clock.sleep(250 + (i % 50) * 10);
    try {
      await withRetries(
        () => (take() ? Promise.resolve() : (throttledCount++, Promise.reject(throttled()))),
        policy(now + 14 * 60_000),
        clock,
        () => undefined,
      );
      endMs = Math.max(endMs, now);
    } catch {
      failed += 1;
    }
  });
  const all = Promise.all(runs);
  let settled = false;
  void all.then(() => (settled = true));
  while (!settled) {
    // Let every caller run until it sleeps, then wake the earliest sleeper.
    await new Promise((resolve) => setImmediate(resolve));
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = timers.shift();
    if (!next) continue;
    now = Math.max(now, next.at);
    next.resolve();
  }
  return { endMs, throttled: throttledCount, failed };
}

describe('a crowd of 400 callers of one stack, in virtual time', () => {
  const boundMs = ((400 - 5) / 2) * 1000;

  test('every caller gets through, with at most 3 throttled attempts per caller', async () => {
    // GIVEN 400 callers paced for the 400 numbers of their stack
    // WHEN they all call at once against 2 requests/s, burst 5
    const outcome = await crowdAgainstBucket(400, (deadline) => ({ ...CONNECT_BACKOFF, crowd: crowdOf(400), deadline }));
    // THEN none fails, and the account refused at most 3 requests per caller (growing backoff: about 25)
    expect(outcome.failed).toBe(0);
    expect(outcome.throttled / 400).toBeLessThanOrEqual(3);
  });

  test('the crowd is through within 10 % of the time the rate limit alone needs', async () => {
    // GIVEN the same crowd
    const outcome = await crowdAgainstBucket(400, (deadline) => ({ ...CONNECT_BACKOFF, crowd: crowdOf(400), deadline }));
    // THEN the last caller got through no later than 1.10 times the bound
    expect(outcome.endMs).toBeLessThanOrEqual(1.1 * boundMs);
  });
});
