/**
 * A client-side token bucket for Connect calls. Connect allows about 2 requests a second per operation
 * (burst 5) per account and Region; listing an account makes one DescribePhoneNumber per number, so going
 * faster only buys throttled attempts (each still a request against the account's rate, shared with any
 * deploy running at the same time). Waiting here first keeps the command at the rate; the gateway's retries
 * (lambda/retry.ts, the handler's growing backoff) absorb what other callers of the account take.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { Clock } from '../lambda/retry';

export interface PaceOptions {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** Connect's documented default rate for the phone-number APIs. */
export const CONNECT_PACE: PaceOptions = { requestsPerSecond: 2, burst: 5 };

export class Pacer {
  private tokens: number;
  private last: number;
  /** Callers wait in turn: each takes the next slot, so concurrent callers never burst past the rate. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: PaceOptions,
    private readonly clock: Clock,
  ) {
    this.tokens = options.burst;
    this.last = clock.now();
  }

  /** Resolves when one request may be sent. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.options.requestsPerSecond));
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.requestsPerSecond);
    this.last = now;
  }
}

/**
 * Makes every request of `client` (every attempt: the gateway retries by sending again) wait for its
 * operation's pacer: Connect's rate is per operation, so listing pages never slows the describes.
 */
export function pace(client: ConnectClient, options: PaceOptions, clock: Clock): ConnectClient {
  const pacers = new Map<string, Pacer>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName ?? '';
      let pacer = pacers.get(operation);
      if (!pacer) {
        pacer = new Pacer(options, clock);
        pacers.set(operation, pacer);
      }
      await pacer.take();
      return next(args);
    },
    { step: 'initialize', name: 'cdkClaimedPhoneNumberPacer' },
  );
  return client;
}
