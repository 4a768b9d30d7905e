/**
 * A local, read-only stand-in for the CloudFormation API, for handlers that look at their own stack: the
 * real AWS SDK v3 client (`@aws-sdk/client-cloudformation`, AWS query protocol) talks to it over HTTP at
 * the URL given to the functions as AWS_ENDPOINT_URL_CLOUDFORMATION. It answers DescribeStacks,
 * GetTemplate, DescribeStackResource, ListStackResources and DescribeStackEvents from the stack models registered with it
 * (what a StackSimulator is doing right now, statuses included), with CloudFormation's error codes and
 * messages for unknown stacks and resources.
 *
 * Also: injected faults for the next calls (a Throttling error by default, as CloudFormation answers when
 * its rate is exceeded), an account-wide read rate limit (a token bucket shared by every call, answered with
 * HTTP 400 `Throttling` "Rate exceeded" when empty: CloudFormation does not publish its limits, so the rate
 * and burst are the test's to choose), parent stacks for nested stacks (cfn/parent-stack-stub.ts), a call log, and optional IAM enforcement: once statements are registered for an
 * access key (the key the functions sign with), each call signed with it must be allowed for
 * `cloudformation:<Action>` on the stack's ARN (`arn:aws:cloudformation:<region>:<account>:stack/<name>/*`
 * for a stack it cannot find; `*` for DescribeStacks without a StackName), else 403 AccessDenied. The
 * evaluation is the Connect emulator's (emulator/iam.ts), with its simplifications.
 *
 * Wiring in a test world: `const api = await startCloudFormationApi()`, put `api.url` in the runner's
 * environment as AWS_ENDPOINT_URL_CLOUDFORMATION, then `api.register(stackSimulator)` once the stack exists;
 * `await api.close()` at the end.
 */
import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { accessKeyFromAuthorization, evaluate, normalizeStatements, PolicyStatement } from '../emulator/iam';
import { answer, findStack, isOperation, OPERATIONS, ViewableStack } from './cfn/api-operations';
import { CLOUDFORMATION_API_VERSION, errorXml, parseForm, QueryError, successXml } from './cfn/query-protocol';
import { StackModel } from './cfn/stack-model';
import { StackStatus } from './cfn/types';

/** A stack model, anything that carries one (a StackSimulator), or another stack the API shows (a parent stub). */
export type StackSource = ViewableStack | { readonly model: StackModel };

/** An account-wide rate limit on the API's calls. */
export interface ReadRateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export interface CloudFormationApiOptions {
  readonly stacks?: readonly StackSource[];
  /** Region and account of the ARN of a stack the API cannot find (for IAM). Default us-east-1, 123456789012. */
  readonly region?: string;
  readonly accountId?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** IAM statements by access key id; calls signed with other keys are not checked. */
  readonly policies?: { readonly [accessKeyId: string]: PolicyStatement[] };
  /** Default: none. */
  readonly readRateLimit?: ReadRateLimit;
}

/** One call that reached the API. */
export interface CloudFormationApiCall {
  readonly action: string;
  /** The form parameters except Action and Version. */
  readonly input: Record<string, string>;
  readonly httpStatus: number;
  readonly errorCode?: string;
  readonly accessKeyId?: string;
  /** The status of the stack the call named, when the call arrived. */
  readonly stackStatus?: StackStatus;
  readonly at: number;
}

/** An error to answer instead of the next matching calls. */
export interface CloudFormationFault {
  /** Only calls of this action; default any. */
  readonly action?: string;
  /** Default 'Throttling'. */
  readonly code?: string;
  /** Default 'Rate exceeded'. */
  readonly message?: string;
  /** Default 400. */
  readonly httpStatus?: number;
  /** Default 1. */
  readonly times?: number;
  /** Closes the connection without an answer instead (an unreachable endpoint, as the SDK sees it). */
  readonly drop?: boolean;
}

/** Thrown by a fault that closes the connection: the server answers nothing. */
class DroppedConnection extends Error {}

export class CloudFormationApi {
  readonly url: string;
  private readonly models: ViewableStack[] = [];
  private rateLimit?: { readonly limit: ReadRateLimit; tokens: number; refilledAt: number };
  private readonly log: CloudFormationApiCall[] = [];
  private readonly faults: { fault: CloudFormationFault; remaining: number }[] = [];
  private readonly policies = new Map<string, PolicyStatement[]>();
  private readonly region: string;
  private readonly accountId: string;

  constructor(
    private readonly server: Server,
    readonly port: number,
    options: CloudFormationApiOptions,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    for (const stack of options.stacks ?? []) this.register(stack);
    for (const [accessKeyId, statements] of Object.entries(options.policies ?? {})) this.setPolicies(accessKeyId, statements);
    if (options.readRateLimit) this.limitRate(options.readRateLimit);
  }

  /** Limits every call to `perSecond` (burst `burst`), account-wide; `undefined` lifts the limit. */
  limitRate(limit: ReadRateLimit | undefined): void {
    this.rateLimit = limit && { limit, tokens: limit.burst, refilledAt: Date.now() };
  }

  /** Every call so far, oldest first (a copy). */
  get calls(): CloudFormationApiCall[] {
    return [...this.log];
  }

  /** Makes a stack visible to the API. */
  register(stack: StackSource): void {
    this.models.push('model' in stack ? stack.model : stack);
  }

  /** Answers the next `times` calls (of `action`, if given) with CloudFormation's Throttling error. */
  throttle(times = 1, action?: string): void {
    this.addFault({ times, action });
  }

  /** Answers the next matching calls with the given error instead (Throttling, 400 by default). */
  addFault(fault: CloudFormationFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('Fault times must be a positive integer');
    this.faults.push({ fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.splice(0);
  }

  /** Enforces `statements` on calls signed with `accessKeyId`; `undefined` stops checking that key. */
  setPolicies(accessKeyId: string, statements: readonly unknown[] | undefined): void {
    if (statements === undefined) this.policies.delete(accessKeyId);
    else this.policies.set(accessKeyId, normalizeStatements(statements));
  }

  /** Stops listening and drops open keep-alive connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Answers one HTTP request: status and XML body. */
  handle(body: string, authorization: string | undefined): { status: number; body: string; requestId: string; drop?: boolean } {
    const requestId = randomUUID();
    const { Action: action = '', Version: version, ...input } = parseForm(body);
    const accessKeyId = accessKeyFromAuthorization(authorization);
    const stackStatus = input.StackName ? findStack(this.models, input.StackName)?.status : undefined;
    let status = 200;
    let errorCode: string | undefined;
    try {
      const xml = successXml(action, this.run(action, version, input, accessKeyId), requestId);
      return { status, body: xml, requestId };
    } catch (e) {
      if (e instanceof DroppedConnection) {
        status = 0;
        errorCode = 'ConnectionDropped';
        return { status, body: '', requestId, drop: true };
      }
      const error = e instanceof QueryError ? e : new QueryError('InternalFailure', `Stand-in error: ${(e as Error).message}`, 500);
      status = error.httpStatus;
      errorCode = error.code;
      return { status, body: errorXml(error, requestId), requestId };
    } finally {
      this.log.push({ action, input, httpStatus: status, errorCode, accessKeyId, stackStatus, at: Date.now() });
    }
  }

  private run(action: string, version: string | undefined, input: Record<string, string>, accessKeyId: string | undefined) {
    if (!isOperation(action)) {
      throw new QueryError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'} (the stand-in answers ${OPERATIONS.join(', ')})`);
    }
    if (version !== CLOUDFORMATION_API_VERSION) {
      throw new QueryError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
    }
    this.injectFault(action);
    this.takeToken();
    this.authorize(action, input, accessKeyId);
    return answer(action, input, this.models);
  }

  private injectFault(action: string): void {
    const index = this.faults.findIndex((f) => f.fault.action === undefined || f.fault.action === action);
    if (index < 0) return;
    const entry = this.faults[index];
    entry.remaining -= 1;
    if (entry.remaining === 0) this.faults.splice(index, 1);
    if (entry.fault.drop) throw new DroppedConnection();
    throw new QueryError(entry.fault.code ?? 'Throttling', entry.fault.message ?? 'Rate exceeded', entry.fault.httpStatus ?? 400);
  }

  private takeToken(): void {
    const bucket = this.rateLimit;
    if (!bucket) return;
    const now = Date.now();
    bucket.tokens = Math.min(bucket.limit.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.limit.perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) throw new QueryError('Throttling', 'Rate exceeded', 400);
    bucket.tokens -= 1;
  }

  private authorize(action: string, input: Record<string, string>, accessKeyId: string | undefined): void {
    const statements = accessKeyId === undefined ? undefined : this.policies.get(accessKeyId);
    if (!statements) return;
    const iamAction = `cloudformation:${action}`;
    const resource = this.stackArn(input.StackName);
    const decision = evaluate(statements, iamAction, [resource]);
    if (decision.allowed) return;
    const why = decision.explicitDeny ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${iamAction} action`;
    throw new QueryError('AccessDenied', `User: ${accessKeyId} is not authorized to perform: ${iamAction} on resource: ${resource} ${why}`, 403);
  }

  /** The ARN IAM evaluates a call against. */
  private stackArn(stackName: string | undefined): string {
    if (!stackName) return '*';
    const found = findStack(this.models, stackName);
    if (found) return found.stackId;
    return stackName.startsWith('arn:') ? stackName : `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${stackName}/*`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, requestId: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Starts the stand-in on 127.0.0.1. */
export async function startCloudFormationApi(options: CloudFormationApiOptions = {}): Promise<CloudFormationApi> {
  // The server exists before the API object that answers its requests.
  const started: { api?: CloudFormationApi } = {};
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const out = started.api!.handle(body, req.headers.authorization);
        if (out.drop) {
          res.destroy();
          return;
        }
        send(res, out.status, out.requestId, out.body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  started.api = new CloudFormationApi(server, (server.address() as AddressInfo).port, options);
  return started.api;
}
