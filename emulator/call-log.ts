/** One entry of the call log: every request that reached an API route, in arrival order. */
export interface CallRecord {
  /** Model operation name, or 'UnknownOperation' for requests that matched no route. */
  readonly operation: string;
  /** The request members as bound from path, query and body (member names, not wire names). */
  readonly input: Record<string, unknown>;
  /**
   * The status the emulator produced. 0 when a dropBeforeWork fault closed the
   * connection first; for dropAfterWork it is the status of the work the client never saw.
   */
  readonly httpStatus: number;
  /** Error shape name when the call failed, e.g. 'InvalidParameterException'. */
  readonly errorType?: string;
  /** True when the call was answered 429 (rate limit or an injected throttle). */
  readonly throttled: boolean;
  /** Arrival time, ms since epoch. */
  readonly at: number;
  readonly clientToken?: string;
  /** Kind of the injected fault that shaped this call, if any. */
  readonly fault?: string;
  readonly region: string;
  readonly requestId: string;
}
