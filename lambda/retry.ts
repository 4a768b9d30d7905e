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
import { HandlerEnv } from '../lib/shared/contract';

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
  /** When set, throttled attempts are paced for a crowd instead (CrowdPacing below); other failures keep the backoff. */
  readonly crowd?: CrowdPacing;
}

/**
 * Pacing a crowd that cannot see itself. A stack of N numbers runs N invocations at once (a deploy, a stack
 * delete, an update that changes every number), in separate containers, against Connect's ~2 requests/second
 * per operation (burst 5). Growing backoff (below) lets them all retry every few seconds, so most requests an
 * account receives are refused: 25 throttled attempts per number at 400 numbers.
 *
 * Each invocation knows one thing about the crowd: the provider is one per stack and is synthesized knowing
 * how many numbers the stack declares, and puts that count in its functions' environment (NUMBERS_IN_STACK;
 * a count, not the logical ids, which would not fit Lambda's 4 KB of environment, and not in any number's
 * properties, which would update every number). So:
 * - The first attempt goes at once: a lone caller (an update of one number, a small stack) never waits.
 * - A throttled caller assumes it is one of N callers that started with it, which Connect serves at r per
 *   second: the crowd is through by E = (first throttle) + N / r. It draws its next attempt uniformly over
 *   the rest of that window, shortened by a load factor (1.2), so that the crowd as a whole arrives a little
 *   faster than Connect serves it (no token left unused, about one attempt in six refused). The window
 *   shrinks as E nears: the callers still waiting at the end retry more often, so the capacity freed by
 *   those already through is not left idle (the deadline-aware part).
 * - Past E, a refused caller doubles its window with each refusal (a straggler of its own crowd); still
 *   refused a tenth of N / r past E, it is in a bigger crowd than its stack: other stacks deploying at once,
 *   or an account whose operations share one limit. It assumes one more stack's worth of callers from then
 *   on (E moves N / r ahead).
 * - Only the first call of an invocation is paced so (connect-gateway.ts says why).
 * - Every window ends before the invocation's deadline, so a caller never sleeps past the point where it could
 *   still try; a crowd of 20 or fewer keeps the growing backoff (minCrowd says why).
 * Only throttling is paced: a 5xx or a dropped connection says nothing about a crowd and keeps the backoff.
 * The no-double-claim guarantee is untouched: every retried call carries the same ClientToken.
 */
export interface CrowdPacing {
  /** Callers assumed to have started together: the numbers of the stack. */
  readonly crowd: number;
  /** The rate Connect serves them at: its default quota, 2 requests/second per operation. */
  readonly requestsPerSecond: number;
  /**
   * A crowd no larger is left to the growing backoff: a few seconds of retries cost a small crowd little, while a
   * window sized for a crowd that turns out bigger (a limit shared by all operations) costs it most of its time
   * (bench throughput N=20 with one limit for all operations: 1.39 x the bound paced, 1.04 with the backoff).
   */
  readonly minCrowd: number;
  /** How much faster than that rate the crowd as a whole arrives. */
  readonly load: number;
  /** The window never shrinks below this, so the last few callers do not retry in lockstep. */
  readonly minWindowMs: number;
  /** The least wait after a throttled attempt. */
  readonly minDelayMs: number;
  /** How long past the expected end a caller may still be throttled before it assumes a bigger crowd (and at least 2% of the crowd's time). */
  readonly graceMs: number;
}

/** Connect's documented default quota (per operation, account and Region) and the pacing constants above. */
export const CONNECT_PACING: Omit<CrowdPacing, 'crowd'> = {
  requestsPerSecond: 2,
  minCrowd: 20,
  load: 1.2,
  minWindowMs: 2000,
  minDelayMs: 250,
  graceMs: 4000,
};

/**
 * The crowd from the function's environment (set by the provider), or undefined when it is missing or no
 * larger than `minCrowd`. Read for every invocation, not once per container: in-process harnesses set it per
 * deployment.
 */
export function crowdFromEnvironment(environment: { [name: string]: string | undefined } = process.env): CrowdPacing | undefined {
  const crowd = Number(environment[HandlerEnv.NUMBERS_IN_STACK]);
  return Number.isFinite(crowd) && crowd > CONNECT_PACING.minCrowd ? { ...CONNECT_PACING, crowd: Math.floor(crowd) } : undefined;
}

/** How far past the expected end (a share of the crowd's time) a caller must still be refused to assume a bigger crowd. */
const PAST_END_SHARE = 0.1;

/** The state of one call's pacing: when it was first throttled, and when it expects its crowd to be through. */
export class CrowdPacer {
  private expectedEnd?: number;
  /** Throttled attempts since the expected end passed. */
  private refusedPastEnd = 0;

  constructor(private readonly pacing: CrowdPacing) {}

  /** How long to wait after a throttled attempt at `now`, for a random draw in [0, 1); at most `latestMs` (the deadline). */
  delayMs(now: number, random: number, latestMs = Number.POSITIVE_INFINITY): number {
    const p = this.pacing;
    const crowdMs = (p.crowd / p.requestsPerSecond) * 1000;
    if (this.expectedEnd === undefined) {
      this.expectedEnd = now + crowdMs;
    }
    let windowMs = Math.max(p.minWindowMs, (this.expectedEnd - now) / p.load);
    if (now > this.expectedEnd) {
      // Refused after this stack's crowd should be through. Near that end, a straggler of the stack's own crowd
      // is refused once in a while (the last calls queue behind each other): the window doubles with each such
      // refusal, so a few stragglers do not wait long while Connect idles. Still refused a tenth of the crowd's
      // time past the end, the crowd is bigger than the stack (other stacks deploying at once, an account whose
      // operations share one limit): assume one more stack's worth of callers from now on.
      this.refusedPastEnd += 1;
      if (now > this.expectedEnd + Math.max(p.graceMs, PAST_END_SHARE * crowdMs)) {
        this.expectedEnd = now + crowdMs;
        this.refusedPastEnd = 0;
        windowMs = crowdMs / p.load;
      } else {
        windowMs = p.minWindowMs * 2 ** (this.refusedPastEnd - 1);
      }
    }
    windowMs = Math.min(windowMs, latestMs - p.minDelayMs);
    return Math.round(p.minDelayMs + random * Math.max(0, windowMs));
  }
}

/** Throttling, as the SDK classifies it, less quota errors (which waiting does not lift). */
export function isThrottled(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || QUOTA_ERROR_NAMES.has((error as { name?: string }).name ?? '')) {
    return false;
  }
  return isThrottlingError(error as Parameters<typeof isThrottlingError>[0]);
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
  if (isThrottled(error)) {
    return true;
  }
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { name?: string; message?: string };
  if (QUOTA_ERROR_NAMES.has(e.name ?? '')) {
    return false;
  }
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return (
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
  const pacer = policy.crowd && new CrowdPacer(policy.crowd);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delayMs =
        pacer && isThrottled(error) ? pacer.delayMs(clock.now(), clock.random(), policy.deadline - clock.now() - 1) : backoffDelayMs(policy, attempt, clock.random());
      if (!isRetryable(error) || clock.now() + delayMs >= policy.deadline) {
        throw error;
      }
      onRetry(error, attempt, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
