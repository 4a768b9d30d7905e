import { ConnectClient } from '@aws-sdk/client-connect';
import { HandlerEnv } from '../../lib/shared/contract';
import { ConnectGateway } from '../../lambda/connect-gateway';
import { Logger } from '../../lambda/logger';
import { boundMs, crowdAgainstBucket } from '../../harness/crowd-simulation';
import { CONNECT_BACKOFF, CONNECT_PACING, CrowdPacer, crowdFromEnvironment, CrowdPacing, withRetries } from '../../lambda/retry';
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
const crowdOf = (crowd: number, accountCrowd = crowd): CrowdPacing => ({ ...CONNECT_PACING, crowd, accountCrowd });
const HIGHEST = 0.999999;
/** Round 1 for `callers`: the time they need at 2 requests/s, over the first load. */
const firstRoundMs = (callers: number) => (callers / 2 / CONNECT_PACING.firstLoad) * 1000;
/** The round after a round of `ms`, the first (`first`) or a later one. */
const nextRoundMs = (ms: number, first: boolean) => {
  const load = first ? CONNECT_PACING.firstLoad : CONNECT_PACING.laterLoad;
  const clump = first ? CONNECT_PACING.clumpShare.first : CONNECT_PACING.clumpShare.later;
  return Math.max(CONNECT_PACING.minWindowMs, (ms * (load - 1 + clump * load)) / CONNECT_PACING.laterLoad);
};

describe('pacing a throttled caller in rounds', () => {
  test('after its first throttled attempt, a caller of a 400-number stack draws its retry from the first round: the time the crowd needs, over the first load', () => {
    // GIVEN callers of a 400-number stack, throttled for the first time at 0 s
    // WHEN they draw the lowest and the highest delay
    const lowest = new CrowdPacer(crowdOf(400)).delayMs(0, 0);
    const highest = new CrowdPacer(crowdOf(400)).delayMs(0, HIGHEST);
    // THEN they wait between the least delay and 400 / 2 s / 1.4
    expect(lowest).toBe(CONNECT_PACING.minDelayMs);
    expect(highest).toBe(Math.round(CONNECT_PACING.minDelayMs + HIGHEST * firstRoundMs(400)));
  });

  test('a caller refused in the first round waits for the second, which starts when the first ends and fits the callers refused in the first', () => {
    // GIVEN a caller of a 400-number stack first throttled at 0 s
    const pacer = new CrowdPacer(crowdOf(400));
    pacer.delayMs(0, 0);
    // WHEN it is refused again at 50 s, within the first round, and draws the highest delay
    const delay = pacer.delayMs(50_000, HIGHEST);
    // THEN it tries no earlier than the first round's end and within the second round
    const secondEnds = firstRoundMs(400) + nextRoundMs(firstRoundMs(400), true);
    expect(50_000 + delay).toBeGreaterThan(firstRoundMs(400));
    expect(50_000 + delay).toBeLessThanOrEqual(Math.round(secondEnds + CONNECT_PACING.minDelayMs));
  });

  test('a caller makes one attempt in each round, however early in the round it was refused', () => {
    // GIVEN a caller of a 400-number stack first throttled at 0 s, refused again at once in the second round
    const pacer = new CrowdPacer(crowdOf(400));
    pacer.delayMs(0, 0);
    const second = pacer.delayMs(1_000, 0);
    // WHEN it is refused at the very start of the second round
    const third = pacer.delayMs(1_000 + second, 0);
    // THEN its next attempt waits for the third round, after the second ends
    const secondEnds = firstRoundMs(400) + nextRoundMs(firstRoundMs(400), true);
    expect(1_000 + second + third).toBeGreaterThanOrEqual(Math.round(secondEnds));
  });

  test('refused in the last round of its stack\'s crowd, a caller retries once, 1 to 3 s later, before it assumes a bigger crowd', () => {
    // GIVEN a caller of a 150-number stack (no other stack in its app) refused in rounds 1, 2 and 3
    const pacer = new CrowdPacer(crowdOf(150));
    let now = 0;
    for (const _ of [1, 2, 3]) now += pacer.delayMs(now, 0);
    // WHEN it is refused in round 3 and draws the highest delay
    const delay = pacer.delayMs(now, HIGHEST);
    // THEN the retry comes between 1 and 3 s later, not in a new round
    expect(delay).toBeGreaterThanOrEqual(CONNECT_PACING.confirmMs.least);
    expect(delay).toBeLessThanOrEqual(CONNECT_PACING.confirmMs.least + CONNECT_PACING.confirmMs.window);
  });

  test('still refused, a caller whose app deploys no other stack here assumes one more stack\'s worth of callers', () => {
    // GIVEN the same caller, refused in the retry before the jump too
    const pacer = new CrowdPacer(crowdOf(150));
    let now = 0;
    for (const _ of [1, 2, 3, 4]) now += pacer.delayMs(now, 0);
    // WHEN it draws the highest delay
    const delay = pacer.delayMs(now, HIGHEST);
    // THEN it spreads over a new first round for 150 callers
    expect(delay).toBe(Math.round(CONNECT_PACING.minDelayMs + HIGHEST * firstRoundMs(150)));
  });

  test('a caller whose app has other stacks in the account jumps, without the retry, to the rest of the account\'s crowd', () => {
    // GIVEN a caller of a 150-number stack whose app deploys 450 numbers in the account, refused in rounds 1, 2 and 3
    const pacer = new CrowdPacer(crowdOf(150, 450));
    let now = 0;
    for (const _ of [1, 2, 3]) now += pacer.delayMs(now, 0);
    // WHEN it is refused in round 3 and draws the highest delay
    const delay = pacer.delayMs(now, HIGHEST);
    // THEN it spreads over a first round for the callers the account's crowd has left, counting 2 a second through since its first refusal
    const rest = 450 - (now / 1000) * 2;
    expect(delay).toBe(Math.round(CONNECT_PACING.minDelayMs + HIGHEST * firstRoundMs(rest)));
    expect(delay).toBeGreaterThan(firstRoundMs(150));
  });

  test('a paced wait never reaches past the deadline', () => {
    // GIVEN a caller of a 400-number stack whose invocation ends in 30 s
    const pacer = new CrowdPacer(crowdOf(400));
    // WHEN it draws the highest delay
    const delay = pacer.delayMs(0, HIGHEST, 30_000);
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
    // THEN the retry waited a draw from the first round (draw 0.5 of 400 / 2 s / 1.4), not the growing backoff's 1.1 s
    expect(clock.sleeps).toEqual([Math.round(CONNECT_PACING.minDelayMs + 0.5 * firstRoundMs(400))]);
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

  test("the account's crowd comes from the environment, and is the stack's when it is missing or smaller", () => {
    // GIVEN environments with an account count larger than the stack's, none (a provider of 0.3.0), and a smaller one
    const larger = crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: '150', [HandlerEnv.NUMBERS_IN_ACCOUNT]: '450' });
    const missing = crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: '150' });
    const smaller = crowdFromEnvironment({ [HandlerEnv.NUMBERS_IN_STACK]: '150', [HandlerEnv.NUMBERS_IN_ACCOUNT]: '100' });
    // THEN the caller assumes 450, 150 and 150 callers in the account
    expect([larger?.accountCrowd, missing?.accountCrowd, smaller?.accountCrowd]).toEqual([450, 150, 150]);
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

describe('a crowd of 400 callers of one stack, in virtual time', () => {
  test('every caller gets through, with at most 3 throttled attempts per caller', async () => {
    // GIVEN 400 callers paced for the 400 numbers of their stack
    // WHEN they all call at once against 2 requests/s, burst 5
    const outcome = await crowdAgainstBucket([{ callers: 400, pacing: crowdOf(400) }]);
    // THEN none fails, and the account refused at most 3 requests per caller (growing backoff: about 25)
    expect(outcome.failed).toBe(0);
    expect(outcome.throttledPerCaller).toBeLessThanOrEqual(3);
  });

  test('the crowd is through within 10 % of the time the rate limit alone needs', async () => {
    // GIVEN the same crowd
    const outcome = await crowdAgainstBucket([{ callers: 400, pacing: crowdOf(400) }]);
    // THEN the last caller got through no later than 1.10 times the bound
    expect(outcome.endMs).toBeLessThanOrEqual(1.1 * boundMs(400));
  });
});

describe('a crowd bigger than its stack, in virtual time', () => {
  test("three stacks of 150 of one app, whose providers counted the app's 450 numbers, get through within 10 % of the bound, with at most 4 throttled attempts per caller", async () => {
    // GIVEN three stacks of 150 callers, each paced for 150 in its stack and 450 in the account
    const stack = { callers: 150, pacing: crowdOf(150, 450) };
    // WHEN they all call at once
    const outcome = await crowdAgainstBucket([stack, stack, stack]);
    // THEN none fails, the account refused at most 4 requests per caller, and the last got through by 1.10 x the bound
    expect(outcome.failed).toBe(0);
    expect(outcome.throttledPerCaller).toBeLessThanOrEqual(4);
    expect(outcome.endMs).toBeLessThanOrEqual(1.1 * boundMs(450));
  });

  test('three stacks of 150 of three apps, which know nothing of each other, still get through, with at most 6 throttled attempts per caller', async () => {
    // GIVEN three stacks of 150 callers, each paced for 150 alone
    const stack = { callers: 150, pacing: crowdOf(150) };
    // WHEN they all call at once
    const outcome = await crowdAgainstBucket([stack, stack, stack]);
    // THEN none fails, the account refused at most 6 requests per caller, and the last got through by 1.15 x the bound
    expect(outcome.failed).toBe(0);
    expect(outcome.throttledPerCaller).toBeLessThanOrEqual(6);
    expect(outcome.endMs).toBeLessThanOrEqual(1.15 * boundMs(450));
  });

  test('400 callers whose second call shares their limit (one limit for all operations) get through within 10 % of the bound, with at most 6 throttled attempts per caller', async () => {
    // GIVEN 400 callers paced for 400, each making a second call on the same limit after its first
    // WHEN they all call at once
    const outcome = await crowdAgainstBucket([{ callers: 400, pacing: crowdOf(400) }], { secondCallPerCaller: true });
    // THEN none fails, at most 6 refusals per caller (both calls), and the last got through by 1.10 x the bound of 800 calls
    expect(outcome.failed).toBe(0);
    expect(outcome.throttledPerCaller).toBeLessThanOrEqual(6);
    expect(outcome.endMs).toBeLessThanOrEqual(1.1 * boundMs(800));
  });
});
