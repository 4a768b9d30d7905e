import { FaultInjector } from '../faults';
import { ResolvedOptions } from '../options';
import { EmulatorState } from '../state';

/** What an operation handler may use: shared state plus facts about this request. */
export interface OperationContext {
  readonly state: EmulatorState;
  readonly options: ResolvedOptions;
  readonly faults: FaultInjector;
  readonly operation: string;
  /** Region of the request (SigV4 scope, else the configured fallback). */
  readonly region: string;
  readonly now: number;
}

export type OperationInput = Record<string, unknown>;
/** A JSON response body, or undefined for operations without output (empty 200). */
export type OperationOutput = Record<string, unknown> | undefined;
export type OperationHandler = (ctx: OperationContext, input: OperationInput) => OperationOutput;

/** Encodes a list offset as an opaque NextToken. */
export function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64');
}

/**
 * Decodes a NextToken produced by encodeToken for the same query (`scope`), so a
 * token cannot silently be reused with different filters.
 */
export function decodeToken(token: unknown, scope: string, invalid: () => Error): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope) return parsed.o;
  } catch {
    // fall through to the invalid-token error
  }
  throw invalid();
}

/** When work started now completes: never under a claimStuck fault, else after the latency. */
export function completionTime(ctx: OperationContext, latencyMs: number): number | null {
  return ctx.faults.take(ctx.operation, ['claimStuck']) ? null : ctx.now + latencyMs;
}
