/**
 * The kinds of failure a test can inject into the next matching call(s). `tooManyRequests` (429
 * TooManyRequestsException) and `gatewayTimeout` (504) are answers of the API Gateway in front of the
 * service rather than of Connect itself: their body is `{ "message": ... }`, not a Connect error shape.
 */
export type FaultKind =
  | 'throttle'
  | 'tooManyRequests'
  | 'gatewayTimeout'
  | 'internalError'
  | 'dropBeforeWork'
  | 'dropAfterWork'
  | 'claimFailed'
  | 'claimStuck';

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'tooManyRequests',
  'gatewayTimeout',
  'internalError',
  'dropBeforeWork',
  'dropAfterWork',
  'claimFailed',
  'claimStuck',
];

export interface FaultSpec {
  /** Operation name (e.g. 'ClaimPhoneNumber'); omitted or '*' matches any operation. */
  operation?: string;
  kind: FaultKind;
  /** How many matching calls it applies to. Default 1. */
  times?: number;
  /** Error message (throttle, tooManyRequests, gatewayTimeout, internalError) or FAILED status message (claimFailed). */
  message?: string;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Faults are consumed in the order they were added, one per matching call. */
export class FaultInjector {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`Unknown fault kind ${String(spec.kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('Fault times must be a positive integer');
    this.active.push({ spec: { ...spec }, remaining: times });
  }

  clear(): void {
    this.active = [];
  }

  /** Faults not yet used up, for inspection. */
  pending(): FaultSpec[] {
    return this.active.map((f) => ({ ...f.spec, times: f.remaining }));
  }

  /** Consumes and returns the first fault of one of `kinds` that matches `operation`. */
  take(operation: string, kinds: readonly FaultKind[]): FaultSpec | undefined {
    const fault = this.active.find(
      (f) => kinds.includes(f.spec.kind) && (!f.spec.operation || f.spec.operation === '*' || f.spec.operation === operation),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
    return fault.spec;
  }
}
