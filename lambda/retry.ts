/**
 * Retries for Connect calls. Connect allows about 2 requests a second per operation (burst 5) per account
 * and Region, shared by every handler invocation of every stack: a stack with 400 numbers runs 400
 * onEvent invocations at once, in separate containers that cannot coordinate. The SDK's default of 3
 * attempts gives up within seconds under that load, so calls are retried here until shortly before the
 * invocation's own deadline. Every mutating call carries a ClientToken, so a retry can never do the work
 * twice.
 *
 * How long to wait adapts to the crowd, which no caller can see: every throttled attempt is evidence of
 * more competitors, so the backoff ceiling grows by a fixed step per failed attempt (1.5 s, 2 s, 2.5 s, ...)
 * up to 6 s. A caller alone with a few others is through within a second or two; hundreds of callers
 * spread themselves out instead of hammering Connect (each rejected attempt is still a request to the
 * account's API). The cap is what keeps the end of a large deployment short: the last callers of a crowd
 * are the ones throttled most, and with a higher cap they sleep while Connect has tokens to spare (20 s
 * cost up to 15 % over the rate-limit bound at 100 numbers in bench/large-stack.ts; 6 s costs about a
 * third more throttled attempts at 400). "Equal jitter" (between half the ceiling and the ceiling) spreads
 * callers that failed together, and never retries at once.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface RetryPolicy {
  /** Epoch ms after which no new attempt starts. */
  readonly deadline: number;
  /** Backoff ceiling after the first failed attempt. */
  readonly firstCeilingMs: number;
  /** What each further failed attempt adds to the ceiling. */
  readonly ceilingStepMs: number;
  /** The ceiling never grows beyond this. */
  readonly maxCeilingMs: number;
  /** The share of the ceiling always waited; the rest is drawn at random. */
  readonly floorShare: number;
}

/** The policy for Connect calls (see above), less the deadline, which each invocation sets. */
export const CONNECT_BACKOFF = { firstCeilingMs: 1500, ceilingStepMs: 500, maxCeilingMs: 6000, floorShare: 0.5 } as const;

/**
 * The policy for the looks of isComplete (and what a look starts). Looks compete only with the looks of other
 * numbers whose claim or move went through moments ago: a handful, because claims and moves themselves go
 * through at the rate limit. Growing waits made for a crowd would let a short queue of looks sit idle while
 * Connect has tokens to spare, and every number waits for its look; so looks retry at a steady pace that
 * grows only slowly, up to the poll schedule's own 5 s.
 */
export const LOOK_BACKOFF = { firstCeilingMs: 1000, ceilingStepMs: 250, maxCeilingMs: 5000, floorShare: 0.5 } as const;

/** How long to wait after the `attempt`-th failed attempt in a row (1-based), for a random draw in [0, 1). */
export function backoffDelayMs(policy: Omit<RetryPolicy, 'deadline'>, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxCeilingMs, policy.firstCeilingMs + policy.ceilingStepMs * (Math.max(attempt, 1) - 1));
  return Math.round(ceiling * (policy.floorShare + random * (1 - policy.floorShare)));
}

/**
 * Quota errors: Connect answers an exhausted quota with LimitExceededException (sometimes as 429), which the
 * SDK's own classification counts as throttling. Waiting does not lift a quota: retrying only spends the
 * account's rate, so these fail at once.
 */
const QUOTA_ERROR_NAMES = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);
/** Connect's own names for "busy, try again" that the SDK does not list (it knows them by status code only). */
const CONNECT_BUSY_ERROR_NAMES = new Set(['InternalServiceException', 'ServiceUnavailableException']);

/**
 * True for failures where the same call may succeed: throttling and transient errors as the AWS SDK itself
 * classifies them (`@smithy/core/retry`: Connect's ThrottlingException, CloudFormation's HTTP 400
 * `Throttling`, 429, 5xx, timeouts, dropped or refused connections), less quota errors. The SDK's list is
 * used rather than one of our own so that every service's spelling of "slow down" is covered.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  if (QUOTA_ERROR_NAMES.has(e.name ?? '')) {
    return false;
  }
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return (
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    CONNECT_BUSY_ERROR_NAMES.has(e.name ?? '') ||
    // A connection dropped below the SDK's error wrapping (Node's own message, no code).
    /socket hang up/i.test(e.message ?? '')
  );
}

/** Runs `call`, retrying retryable failures with the policy's backoff while the deadline allows. */
export async function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  clock: Clock,
  onRetry: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delayMs = backoffDelayMs(policy, attempt, clock.random());
      if (!isRetryable(error) || clock.now() + delayMs >= policy.deadline) {
        throw error;
      }
      onRetry(error, attempt, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
