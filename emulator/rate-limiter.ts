import { RateLimitOptions } from './options';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token bucket per key (account + region), refilled lazily from timestamps so no
 * timer is ever left running. A rejected request takes no token, which is how
 * the real throttle behaves: backing off actually lets the bucket refill.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private limits: RateLimitOptions | false) {}

  configure(limits: RateLimitOptions | false): void {
    this.limits = limits;
    this.buckets.clear();
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Takes one token for `key`; false when the bucket is empty. */
  tryTake(key: string, now: number = Date.now()): boolean {
    if (!this.limits) return true;
    const { burst, requestsPerSecond } = this.limits;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * requestsPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
