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
 * per operation (burst 5). Growing backoff lets them all retry every few seconds, so most requests an account
 * receives are refused (25 throttled attempts per number at 400 numbers); pacing that squeezes every retry into
 * the crowd's expected time refuses fewer, but a crowd bigger than expected (other stacks deploying at once, a
 * limit shared by all operations) then retries ever faster towards that time (11 per number at 3 stacks x 150).
 *
 * What each invocation knows: the provider is one per stack and is synthesized knowing every number of the
 * stack and of the app around it. It puts two counts in its functions' environment (lib/crowd-count.ts; counts,
 * not the logical ids, which would not fit Lambda's 4 KB of environment, and not in any number's properties,
 * which would update every number):
 * - `crowd`: the numbers of its own stack that CloudFormation works on at once (the largest wave);
 * - `accountCrowd`: those of every stack of the app that may deploy at the same time in the same account and
 *   Region (stacks that depend on each other deploy one after the other). Stacks of other apps are unknown.
 *
 * How a caller waits, in rounds. A round is a window in which the caller makes exactly one attempt, at a random
 * moment, so that a crowd bigger than assumed costs each caller one refused attempt per round, never a burst of
 * retries:
 * - The first attempt goes at once: a lone caller (an update of one number, a small stack) never waits.
 * - Refused, the caller assumes it is one of `crowd` callers that started with it. Round 1 lasts the time they
 *   need at r per second, shortened by a load factor (firstLoad), so that the crowd arrives a little faster than
 *   Connect serves it and no token is left unused.
 * - Refused in a round, it goes to the next: the rounds shrink as the callers still waiting would under that
 *   assumption (a share of them refused in each round, clumpShare more for the clumps of random arrivals), so
 *   the last callers of a crowd of the assumed size are through shortly after its time.
 * - Refused in `extraRounds` rounds after the first, the caller is in a bigger crowd than assumed (at the end of
 *   the rounds a crowd of the assumed size is through). It starts again with a new crowd: the rest of the
 *   account's crowd when the app's other stacks may be deploying at once, otherwise one more stack's worth of
 *   callers (another stack like this one, or a limit shared by a second operation per number).
 * - The jump is what costs most when wrong: a caller that jumped when its crowd was the assumed one waits a
 *   whole new round while Connect idles. The last round of a crowd of the assumed size is only partly loaded, but
 *   random arrivals clump and the bucket may have been spent by the round before, so a refusal there is retried
 *   once, 1 to 3 s later, before it counts (not where the jump is to the account's crowd: there the other
 *   stacks' callers make a refusal at the end all but certain, and the budget of refused attempts is tighter).
 * - Every window ends before the invocation's deadline; a crowd of 20 or fewer keeps the growing backoff
 *   (minCrowd says why); only throttling is paced (a 5xx or a dropped connection says nothing about a crowd).
 * The no-double-claim guarantee is untouched: every retried call carries the same ClientToken.
 *
 * The constants were chosen by simulating crowds against a token bucket, 100 runs each: harness/crowd-simulation.ts
 * plays them with this code; bench/pacing-crowds.ts reports their spread, test/handler/pacing.test.ts keeps them
 * within their targets, and bench/large-stack.ts measures them with the whole handler (BENCHMARKS.md). What it
 * cannot do: a crowd nobody announced (another app's stacks) of a size far from one stack's worth leaves the last
 * callers in a round sized for a whole stack (400 numbers and 30 of another app: 1.6 x the bound).
 */
export interface CrowdPacing {
  /** Callers assumed to have started together: the numbers of the stack's largest wave. */
  readonly crowd: number;
  /** The callers of every stack of the app that may deploy at once in this account and Region (at least `crowd`). */
  readonly accountCrowd: number;
  /** The rate Connect serves them at: its default quota, 2 requests/second per operation. */
  readonly requestsPerSecond: number;
  /**
   * A crowd no larger is left to the growing backoff: a few seconds of retries cost a small crowd little, while a
   * window sized for a crowd that turns out bigger (a limit shared by all operations) costs it most of its time
   * (bench throughput N=20 with one limit for all operations: 1.39 x the bound paced, 1.04 with the backoff).
   */
  readonly minCrowd: number;
  /** How much faster than Connect serves them the callers of the first round arrive. */
  readonly firstLoad: number;
  /** The same for the later rounds, where the callers are fewer and a refusal costs less. */
  readonly laterLoad: number;
  /** The share of a round's callers refused beyond what the load explains (clumps), after the first round and after later ones. */
  readonly clumpShare: { readonly first: number; readonly later: number };
  /** Rounds after the first a caller must be refused in before it assumes a bigger crowd; and after a jump. */
  readonly extraRounds: { readonly first: number; readonly afterJump: number };
  /** Where the retry before a jump is made, its least wait and its window. */
  readonly confirmMs: { readonly least: number; readonly window: number };
  /** No round is shorter. */
  readonly minWindowMs: number;
  /** The least wait after a throttled attempt. */
  readonly minDelayMs: number;
}

/** Connect's documented default quota (per operation, account and Region) and the pacing constants above. */
export const CONNECT_PACING: Omit<CrowdPacing, 'crowd' | 'accountCrowd'> = {
  requestsPerSecond: 2,
  minCrowd: 20,
  firstLoad: 1.4,
  laterLoad: 1.5,
  clumpShare: { first: 0.05, later: 0.2 },
  extraRounds: { first: 2, afterJump: 3 },
  confirmMs: { least: 1000, window: 2000 },
  minWindowMs: 2000,
  minDelayMs: 250,
};

/**
 * The crowd from the function's environment (set by the provider), or undefined when it is missing or no
 * larger than `minCrowd`. Read for every invocation, not once per container: in-process harnesses set it per
 * deployment. An account count that is missing (a provider of 0.3.0) or smaller is the stack's.
 */
export function crowdFromEnvironment(environment: { [name: string]: string | undefined } = process.env): CrowdPacing | undefined {
  const crowd = Number(environment[HandlerEnv.NUMBERS_IN_STACK]);
  if (!Number.isFinite(crowd) || crowd <= CONNECT_PACING.minCrowd) {
    return undefined;
  }
  const account = Number(environment[HandlerEnv.NUMBERS_IN_ACCOUNT]);
  return { ...CONNECT_PACING, crowd: Math.floor(crowd), accountCrowd: Math.floor(Number.isFinite(account) && account > crowd ? account : crowd) };
}

/** The smallest crowd a jump to the account's crowd assumes, as a share of the stack's (the account's may be nearly through). */
const LEAST_ACCOUNT_REST = 0.1;

/** The state of one call's pacing: the round it waits in and the crowd it assumes. */
export class CrowdPacer {
  private startedAt?: number;
  private jumps = 0;
  /** The round (1 = the first) and when it ends. */
  private round = 1;
  private roundMs = 0;
  private roundEnd = 0;
  private confirmed = false;

  constructor(private readonly pacing: CrowdPacing) {}

  /** How long to wait after a throttled attempt at `now`, for a random draw in [0, 1); at most `latestMs` (the deadline). */
  delayMs(now: number, random: number, latestMs = Number.POSITIVE_INFINITY): number {
    return Math.round(Math.max(0, Math.min(this.nextDelayMs(now, random), latestMs)));
  }

  private nextDelayMs(now: number, random: number): number {
    const p = this.pacing;
    if (this.startedAt === undefined) {
      this.startedAt = now;
      return this.startCrowd(now, p.crowd, random);
    }
    const towardAccount = this.jumps === 0 && p.accountCrowd > p.crowd;
    const extraRounds = this.jumps === 0 ? p.extraRounds.first : p.extraRounds.afterJump;
    if (this.round === extraRounds + 1 && !this.confirmed && !towardAccount) {
      // Refused in the last round: once more, shortly, before it counts (see above).
      this.confirmed = true;
      return p.confirmMs.least + random * p.confirmMs.window;
    }
    if (this.round > extraRounds) {
      this.jumps += 1;
      const served = ((now - this.startedAt) / 1000) * p.requestsPerSecond;
      const rest = towardAccount ? Math.max(p.accountCrowd - served, LEAST_ACCOUNT_REST * p.crowd) : p.crowd;
      return this.startCrowd(now, rest, random);
    }
    // The next round: the callers refused in this one, at the later load.
    const load = this.round === 1 ? p.firstLoad : p.laterLoad;
    const clump = this.round === 1 ? p.clumpShare.first : p.clumpShare.later;
    const starts = Math.max(now, this.roundEnd);
    this.roundMs = Math.max(p.minWindowMs, (this.roundMs * (load - 1 + clump * load)) / p.laterLoad);
    this.roundEnd = starts + this.roundMs;
    this.round += 1;
    return starts - now + p.minDelayMs + random * this.roundMs;
  }

  /** Round 1 for `callers` callers starting now. */
  private startCrowd(now: number, callers: number, random: number): number {
    const p = this.pacing;
    this.round = 1;
    this.confirmed = false;
    this.roundMs = Math.max(p.minWindowMs, (callers / p.requestsPerSecond / p.firstLoad) * 1000);
    this.roundEnd = now + this.roundMs;
    return p.minDelayMs + random * this.roundMs;
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
