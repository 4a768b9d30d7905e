import { randomUUID } from 'crypto';
import { CallRecord } from './call-log';
import { ApiError, idempotencyConflict, internalError, throttled, unknownOperation } from './errors';
import { FaultInjector } from './faults';
import { accessDenied, accessKeyFromAuthorization, evaluate, normalizeStatements, PolicyStatement, requiredResources } from './iam';
import { operations } from './model';
import { handlers, IDEMPOTENT_OPERATIONS } from './operations';
import { OperationOutput } from './operations/context';
import { ConnectEmulatorOptions, resolveOptions, ResolvedOptions } from './options';
import { RateLimiter } from './rate-limiter';
import { bindInput, matchRoute, regionFromAuthorization } from './routing';
import { EmulatorState, fingerprintOf } from './state';
import { validateInput } from './validation';

export interface ApiRequest {
  readonly method: string;
  /** Path and query exactly as received (still percent-encoded). */
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** When set, the server must destroy the connection instead of answering. */
  readonly drop?: 'beforeWork' | 'afterWork';
}

/**
 * The emulated service, independent of HTTP plumbing: turns one request into
 * one response and one call-log entry. Order of checks mirrors the real
 * front door: route, throttle, injected faults, validation, idempotency, work.
 */
export class ConnectEngine {
  options: ResolvedOptions;
  readonly state: EmulatorState;
  readonly faults = new FaultInjector();
  readonly limiter: RateLimiter;
  calls: CallRecord[] = [];

  constructor(options: ConnectEmulatorOptions = {}) {
    this.options = resolveOptions(options);
    this.state = new EmulatorState(this.options);
    this.limiter = new RateLimiter(this.options.rateLimit);
  }

  configure(partial: ConnectEmulatorOptions): void {
    this.options = resolveOptions({ ...this.options, ...partial });
    this.state.setOptions(this.options);
    if (partial.rateLimit !== undefined) this.limiter.configure(this.options.rateLimit);
    // Targets given at run time replace the known set, like they would at start.
    if (partial.instances) this.state.instances = new Set(partial.instances);
    if (partial.trafficDistributionGroups) this.state.trafficDistributionGroups = new Set(partial.trafficDistributionGroups);
  }

  /** Registers (or, with undefined, removes) the policy statements a request signed with `accessKeyId` is authorized against. */
  setPolicies(accessKeyId: string, statements: PolicyStatement[] | undefined): void {
    const { [accessKeyId]: _previous, ...others } = this.options.iam;
    void _previous;
    this.options = { ...this.options, iam: statements === undefined ? others : { ...others, [accessKeyId]: normalizeStatements(statements) } };
  }

  /** Back to a fresh account with the current options: no numbers, calls, faults, tokens or throttle debt. */
  reset(): void {
    this.state.reset(this.options);
    this.faults.clear();
    this.limiter.reset();
    this.calls = [];
  }

  handle(request: ApiRequest): ApiResponse {
    const now = Date.now();
    const requestId = randomUUID();
    const url = new URL(request.url, 'http://emulator.invalid');
    const rawAuthorization = request.headers.authorization;
    const authorization = Array.isArray(rawAuthorization) ? rawAuthorization[0] : rawAuthorization;
    const region = regionFromAuthorization(authorization) ?? this.options.region;
    const match = matchRoute(request.method, url.pathname);
    let operation = 'UnknownOperation';
    let input: Record<string, unknown> = {};
    let fault: string | undefined;
    let drop: ApiResponse['drop'];
    let status = 200;
    let payload: OperationOutput;
    let error: ApiError | undefined;
    try {
      if (!match) throw unknownOperation(request.method, url.pathname);
      operation = match.operation.name;
      input = bindInput(match, url.searchParams, request.headers, request.body);
      this.authorize(authorization, operation, input, region);
      const bucket = this.options.rateLimit && this.options.rateLimit.perOperation ? `${this.options.accountId}/${region}/${operation}` : `${this.options.accountId}/${region}`;
      if (!this.limiter.tryTake(bucket, now)) throw throttled();
      const injected = this.faults.take(operation, ['throttle', 'internalError', 'dropBeforeWork', 'dropAfterWork']);
      fault = injected?.kind;
      if (injected?.kind === 'throttle') throw throttled(injected.message);
      if (injected?.kind === 'internalError') throw internalError(injected.message);
      if (injected?.kind === 'dropBeforeWork') drop = 'beforeWork';
      else {
        if (injected?.kind === 'dropAfterWork') drop = 'afterWork';
        payload = this.execute(operation, input, region, now);
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
      status = e.httpStatus;
    }
    const token = typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
    this.calls.push({
      operation,
      input,
      httpStatus: drop === 'beforeWork' ? 0 : status,
      ...(error ? { errorType: error.type } : {}),
      throttled: status === 429,
      at: now,
      ...(token !== undefined ? { clientToken: token } : {}),
      ...(fault ? { fault } : {}),
      region,
      requestId,
    });
    if (this.options.log) {
      console.log(`[connect-emulator] ${request.method} ${url.pathname} ${operation} -> ${drop === 'beforeWork' ? 'dropped' : status}${error ? ` ${error.type}: ${error.message}` : ''}${fault ? ` (fault ${fault})` : ''}`);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId };
    if (error) {
      headers['x-amzn-errortype'] = error.type;
      return { status, headers, body: JSON.stringify(error.body()), drop };
    }
    return { status, headers, body: JSON.stringify(payload ?? {}), drop };
  }

  /** IAM enforcement (iam.ts): only for a request whose access key has statements registered. */
  private authorize(authorization: string | undefined, operation: string, input: Record<string, unknown>, region: string): void {
    const accessKeyId = accessKeyFromAuthorization(authorization);
    const statements = accessKeyId === undefined ? undefined : this.options.iam[accessKeyId];
    if (accessKeyId === undefined || statements === undefined) return;
    const action = `connect:${operation}`;
    const resources = requiredResources(operation, input, {
      region,
      accountId: this.options.accountId,
      phoneNumberArn: (id) => this.state.records.find((r) => r.id === id)?.arn,
    });
    const decision = evaluate(statements, action, resources);
    if (!decision.allowed) throw accessDenied(accessKeyId, action, decision.resource, decision.explicitDeny);
  }

  /** Validation, idempotency and the operation itself. */
  private execute(operation: string, input: Record<string, unknown>, region: string, now: number): OperationOutput {
    validateInput(operations[operation], input);
    const handler = handlers[operation];
    if (!handler) throw new ApiError('InvalidRequestException', `${operation} is not supported by this emulator`);
    const token = IDEMPOTENT_OPERATIONS.has(operation) && typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
    const fingerprint = fingerprintOf(input);
    if (token !== undefined) {
      const stored = this.state.recall(operation, token);
      if (stored) {
        if (stored.fingerprint !== fingerprint) throw idempotencyConflict(operation);
        return stored.response;
      }
    }
    const output = handler({ state: this.state, options: this.options, faults: this.faults, operation, region, now }, input);
    if (token !== undefined) this.state.remember(operation, token, fingerprint, output);
    return output;
  }
}
