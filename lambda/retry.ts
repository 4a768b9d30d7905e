/**
 * Retries for Connect calls. Connect allows about 2 requests a second (burst 5) per account and Region,
 * shared by every handler invocation of every stack: a stack with 50 numbers runs 50 handlers at once,
 * in separate containers that cannot coordinate. The SDK's default of 3 attempts gives up within seconds
 * under that load, so calls are retried here until shortly before the invocation's own deadline, with
 * capped exponential backoff and full jitter (which spreads the competing handlers out instead of
 * letting them retry in lock-step). Every mutating call carries a ClientToken, so a retry can never do
 * the work twice.
 */
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
  /** First backoff ceiling; it doubles each attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 4000;

const RETRYABLE_ERROR_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServiceException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
]);
const QUOTA_ERROR_NAMES = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

/** True for throttling, 5xx answers and dropped connections: failures where the same call may succeed. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; message?: string };
  const status = e.$metadata?.httpStatusCode;
  // Quota errors come as 429 too, but waiting does not lift a quota: retrying only spends the account's rate.
  if (QUOTA_ERROR_NAMES.has(e.name ?? '')) {
    return false;
  }
  return (
    RETRYABLE_ERROR_NAMES.has(e.name ?? '') ||
    RETRYABLE_NETWORK_CODES.has(e.code ?? '') ||
    e.$retryable !== undefined ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    /socket hang up|ECONNRESET|network/i.test(e.message ?? '')
  );
}

/** Runs `call`, retrying retryable failures with full-jitter backoff while the deadline allows. */
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
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(clock.random() * ceiling);
      if (!isRetryable(error) || clock.now() + delayMs >= policy.deadline) {
        throw error;
      }
      onRetry(error, attempt, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
