/**
 * A crowd of handler invocations against one Connect limit, in virtual time: the real retry code
 * (lambda/retry.ts: withRetries, CrowdPacer, the backoffs) against a token bucket of 2 requests/s, burst 5,
 * where a refused request takes no token, as Connect's. No SDK, no emulator, no Provider framework: this is
 * the pacing alone, fast enough to play hundreds of runs (bench/pacing-crowds.ts) and to pin the pacing's
 * logic in tests (test/handler/pacing.test.ts). bench/large-stack.ts measures the whole handler.
 */
import { Clock, CONNECT_BACKOFF, CrowdPacing, LOOK_BACKOFF, withRetries } from '../lambda/retry';

export interface CrowdGroup {
  /** Invocations of one stack. */
  readonly callers: number;
  /** What their provider put in the environment, as the handler reads it (crowdFromEnvironment). */
  readonly pacing: CrowdPacing;
}

export interface CrowdOptions {
  /**
   * Every caller makes a second call on the same limit a second after its first went through, with the looks'
   * backoff: isComplete's DescribePhoneNumber, should Connect share one limit by all operations.
   */
  readonly secondCallPerCaller?: boolean;
  /** Seed of the pseudo-random draws, so that a run can be repeated. Default 12345. */
  readonly seed?: number;
}

export interface CrowdOutcome {
  /** When the last caller got through, from the first call (ms). */
  readonly endMs: number;
  readonly throttledPerCaller: number;
  /** Callers that gave up (ran into their deadline). */
  readonly failed: number;
}

const RATE = { requestsPerSecond: 2, burst: 5 };

/** The time the rate limit alone needs for `calls` calls from a full bucket (ms). */
export function boundMs(calls: number): number {
  return (Math.max(0, calls - RATE.burst) / RATE.requestsPerSecond) * 1000;
}

/** `groups` (stacks deploying at once) call at once, each caller within half a second of the others, as CloudFormation's creates do. */
export async function crowdAgainstBucket(groups: CrowdGroup[], options: CrowdOptions = {}): Promise<CrowdOutcome> {
  let now = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  let tokens = RATE.burst;
  let refilledAt = 0;
  let throttledCount = 0;
  const take = (): boolean => {
    tokens = Math.min(RATE.burst, tokens + ((now - refilledAt) / 1000) * RATE.requestsPerSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  let draw = options.seed ?? 12345;
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, seq: seq++, resolve })),
    // A linear congruential sequence: repeatable, and enough for spreading callers.
    random: () => {
      draw = (draw * 1103515245 + 12345) % 2147483648;
      return draw / 2147483648;
    },
  };
  const call = () => (take() ? Promise.resolve() : (throttledCount++, Promise.reject(throttlingError())));
  let endMs = 0;
  let failed = 0;
  const callers = groups.flatMap((group) => Array.from({ length: group.callers }, () => group.pacing));
  const runs = callers.map(async (pacing, i) => {
    await clock.sleep(250 + (i % 50) * 10);
    try {
      await withRetries(call, { ...CONNECT_BACKOFF, crowd: pacing, deadline: now + 14 * 60_000 }, clock, () => undefined);
      if (options.secondCallPerCaller) {
        await clock.sleep(1000);
        await withRetries(call, { ...LOOK_BACKOFF, deadline: now + 14 * 60_000 }, clock, () => undefined);
      }
      endMs = Math.max(endMs, now);
    } catch {
      failed += 1;
    }
  });
  let settled = false;
  void Promise.all(runs).then(() => (settled = true));
  while (!settled) {
    // Let every caller run until it sleeps, then wake the earliest sleeper.
    await new Promise((resolve) => setImmediate(resolve));
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = timers.shift();
    if (!next) continue;
    now = Math.max(now, next.at);
    next.resolve();
  }
  return { endMs, throttledPerCaller: throttledCount / callers.length, failed };
}

/** Connect's answer to a throttled request, as the SDK raises it (lambda/retry.ts classifies it). */
function throttlingError(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 429 } });
}
