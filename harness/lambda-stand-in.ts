/**
 * Stands in for the AWS Lambda API the Provider framework calls (its outbound.js, through
 * @aws-sdk/client-lambda at AWS_ENDPOINT_URL_LAMBDA): Invoke, and GetFunction / GetFunctionConfiguration
 * for the waitUntilFunctionActiveV2 waiter the framework runs before it re-invokes. Source: the AWS Lambda
 * API Reference (Invoke: `POST /2015-03-31/functions/{FunctionName}/invocations`, X-Amz-Invocation-Type,
 * X-Amz-Function-Error, X-Amz-Log-Type / X-Amz-Log-Result; GetFunction; errors as x-amzn-ErrorType) and the
 * Lambda developer guide on invocation errors (a function error is a 200 whose payload is
 * {errorType, errorMessage, trace}; a timeout is errorType Sandbox.Timedout, "Task timed out after N.NN
 * seconds"; a crashed runtime is Runtime.ExitError).
 *
 * Every invocation is a fresh process (LambdaRunner), recorded in runner.invocations. What the framework
 * does with an Invoke failure is its own code's business: its invokeFunction catches an error of the
 * Invoke call (not a function error, which is a 200), waits for the function to be Active, and invokes once
 * more. refuseInvocations() lets a test make Invoke fail as Lambda does for a function that is not ready
 * (409 ResourceConflictException), and throttleInvocations() as Lambda does when the account's concurrency
 * is used up (429 TooManyRequestsException, Reason ConcurrentInvocationLimitExceeded), to drive that path.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as net from 'net';
import { LambdaFunctionSpec } from './cloud-assembly';
import { InvocationOutcome, InvokeOptions, LambdaRunner } from './lambda-runner';
import { closeServer, listenOnLoopback } from './response-url-stand-in';

/** A function as deployed: its ARN and its code and configuration (environment references resolved). */
export interface DeployedFunction {
  readonly arn: string;
  readonly spec: LambdaFunctionSpec;
}

/** What an Invoke (RequestResponse) answers. */
export interface LambdaInvokeResult {
  readonly statusCode: number;
  /** `Unhandled` when the function failed (the payload is then Lambda's error object). */
  readonly functionError?: 'Unhandled';
  readonly payload: string;
  /** Set when the Invoke call itself was refused (statusCode is not 200): the Lambda API error code. */
  readonly errorCode?: string;
  readonly outcome?: InvocationOutcome;
}

/** One call of the Lambda API, as the stand-in answered it. */
export interface LambdaApiCall {
  readonly operation: 'Invoke' | 'GetFunction' | 'GetFunctionConfiguration' | 'Unknown';
  readonly functionName: string;
  readonly statusCode: number;
  readonly functionError?: string;
  readonly errorCode?: string;
}

/** Lambda's invocation payload limit (synchronous requests and responses), 6 MB. */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

export interface LambdaStandInHooks {
  /** Options for one invocation (e.g. kill it when a test says so), from the function and its event. */
  readonly invokeOptionsFor?: (fn: DeployedFunction, event: unknown) => InvokeOptions;
  /** Told of every invocation as it starts. */
  readonly onInvoke?: (fn: DeployedFunction) => void;
}

export class LambdaStandIn {
  static async start(runner: LambdaRunner, hooks: LambdaStandInHooks = {}): Promise<LambdaStandIn> {
    const standIn = new LambdaStandIn(runner, hooks);
    await listenOnLoopback(standIn.server);
    return standIn;
  }

  /** Every API call answered, in order. */
  readonly calls: LambdaApiCall[] = [];
  private readonly functions = new Map<string, DeployedFunction>();
  private readonly refusals = new Map<string, { count: number; answer: LambdaInvokeResult }>();
  private readonly server: http.Server;

  private constructor(
    private readonly runner: LambdaRunner,
    private readonly hooks: LambdaStandInHooks,
  ) {
    this.server = http.createServer((request, response) => {
      this.route(request, response).catch((error: Error) => {
        if (!response.headersSent) sendError(response, 500, 'ServiceException', error.message);
        else response.destroy();
      });
    });
  }

  /** The endpoint for AWS_ENDPOINT_URL_LAMBDA. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Creates (or replaces) a function; it is Active at once. */
  deploy(fn: DeployedFunction): void {
    this.functions.set(functionNameOf(fn.arn), fn);
  }

  /** The deployed function a FunctionName (name, ARN or partial ARN, optionally qualified) designates. */
  find(functionName: string): DeployedFunction | undefined {
    return this.functions.get(functionNameOf(functionName));
  }

  /**
   * The next `count` Invoke calls of the function (by logical id) are refused with 409
   * ResourceConflictException, as Lambda refuses a function that is Pending or being updated.
   */
  refuseInvocations(logicalId: string, count: number): void {
    const answer = refused(409, 'ResourceConflictException', 'The operation cannot be performed at this time. The function is currently in the following state: Pending');
    this.refusals.set(logicalId, { count, answer });
  }

  /**
   * The next `count` Invoke calls of the function (by logical id) are throttled with 429 TooManyRequestsException,
   * as Lambda throttles a synchronous invocation when the account's concurrent executions are used up (Lambda
   * API Reference, Invoke errors; Lambda developer guide, "Lambda function scaling").
   */
  throttleInvocations(logicalId: string, count: number): void {
    const answer = refused(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' });
    this.refusals.set(logicalId, { count, answer });
  }

  /** Invoke, RequestResponse: runs the function in a fresh process and answers as Lambda does. */
  async invoke(functionName: string, payload: string): Promise<LambdaInvokeResult> {
    const fn = this.find(functionName);
    if (!fn) return refused(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
    const refusal = this.refusals.get(fn.spec.logicalId);
    if (refusal && refusal.count > 0) {
      refusal.count -= 1;
      return refusal.answer;
    }
    if (Buffer.byteLength(payload) > PAYLOAD_LIMIT_BYTES) {
      return refused(413, 'RequestTooLargeException', `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`);
    }
    let event: unknown;
    try {
      event = payload.length === 0 ? {} : JSON.parse(payload);
    } catch {
      return refused(400, 'InvalidRequestContentException', 'Could not parse request body into json: Could not parse payload into json');
    }
    const invokeOptions = this.hooks.invokeOptionsFor?.(fn, event) ?? {};
    this.hooks.onInvoke?.(fn);
    const outcome = await this.runner.invoke(fn.spec, event, invokeOptions);
    if (outcome.status === 'ok') {
      return { statusCode: 200, payload: JSON.stringify(outcome.result ?? null), outcome };
    }
    const error =
      outcome.status === 'error'
        ? { errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.errorTrace ?? [] }
        : { errorType: outcome.errorType, errorMessage: outcome.errorMessage };
    return { statusCode: 200, functionError: 'Unhandled', payload: JSON.stringify(error), outcome };
  }

  /** Servers that are not referenced do not keep the process alive (a lazily started harness). */
  unref(): void {
    this.server.unref();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await closeServer(this.server);
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/2015-03-31\/functions\/([^/]+)(\/invocations|\/configuration)?$/.exec(url.pathname);
    const body = await readBody(request);
    if (!match) {
      this.calls.push({ operation: 'Unknown', functionName: '', statusCode: 404, errorCode: 'UnknownOperationException' });
      sendError(response, 404, 'UnknownOperationException', `The stand-in does not implement ${request.method} ${url.pathname}`);
      return;
    }
    const functionName = decodeURIComponent(match[1]) + (url.searchParams.get('Qualifier') ? `:${url.searchParams.get('Qualifier')}` : '');
    if (request.method === 'POST' && match[2] === '/invocations') {
      await this.answerInvoke(functionName, body, request, response);
    } else if (request.method === 'GET') {
      this.answerGetFunction(match[2] === '/configuration' ? 'GetFunctionConfiguration' : 'GetFunction', functionName, response);
    } else {
      this.calls.push({ operation: 'Unknown', functionName, statusCode: 404, errorCode: 'UnknownOperationException' });
      sendError(response, 404, 'UnknownOperationException', `The stand-in does not implement ${request.method} ${url.pathname}`);
    }
  }

  private async answerInvoke(functionName: string, body: Buffer, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (invocationType === 'Event' || invocationType === 'DryRun') {
      // Asynchronous: accepted at once, run in the background (Lambda's retries of a failed event are not played).
      const known = this.find(functionName) !== undefined;
      this.calls.push({ operation: 'Invoke', functionName, statusCode: known ? (invocationType === 'Event' ? 202 : 204) : 404 });
      if (!known) return sendError(response, 404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
      if (invocationType === 'Event') void this.invoke(functionName, body.toString('utf8'));
      response.writeHead(invocationType === 'Event' ? 202 : 204, { 'x-amzn-RequestId': randomUUID() });
      response.end();
      return;
    }
    const result = await this.invoke(functionName, body.toString('utf8'));
    this.calls.push({ operation: 'Invoke', functionName, statusCode: result.statusCode, functionError: result.functionError, errorCode: result.errorCode });
    if (result.errorCode) return sendErrorDocument(response, result.statusCode, result.errorCode, result.payload);
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-RequestId': result.outcome?.requestId ?? randomUUID(),
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (request.headers['x-amz-log-type'] === 'Tail' && result.outcome) {
      headers['X-Amz-Log-Result'] = Buffer.from(result.outcome.logLines.join('\n').slice(-4096)).toString('base64');
    }
    response.writeHead(200, headers);
    response.end(result.payload);
  }

  private answerGetFunction(operation: 'GetFunction' | 'GetFunctionConfiguration', functionName: string, response: http.ServerResponse): void {
    const fn = this.find(functionName);
    if (!fn) {
      this.calls.push({ operation, functionName, statusCode: 404, errorCode: 'ResourceNotFoundException' });
      return sendError(response, 404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
    }
    this.calls.push({ operation, functionName, statusCode: 200 });
    const configuration = {
      FunctionName: functionNameOf(fn.arn),
      FunctionArn: fn.arn,
      Runtime: fn.spec.runtime,
      Handler: fn.spec.handler,
      Timeout: this.runner.timeoutSecondsOf(fn.spec),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Version: '$LATEST',
    };
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(operation === 'GetFunction' ? { Configuration: configuration, Code: { RepositoryType: 'S3' } } : configuration));
  }
}

/** The function name in a FunctionName parameter: `name`, `name:qualifier`, an ARN or a partial ARN. */
export function functionNameOf(functionName: string): string {
  const parts = functionName.split(':');
  const index = parts.indexOf('function');
  return index >= 0 ? parts[index + 1] : parts[0];
}

function refused(statusCode: number, errorCode: string, message: string, extra: { [field: string]: string } = {}): LambdaInvokeResult {
  return { statusCode, errorCode, payload: JSON.stringify({ Type: 'User', message, ...extra }) };
}

function sendError(response: http.ServerResponse, statusCode: number, errorCode: string, message: string): void {
  sendErrorDocument(response, statusCode, errorCode, JSON.stringify({ Type: 'User', message }));
}

/** An error answer whose document is already written (a refusal's payload, with a throttle's Reason). */
function sendErrorDocument(response: http.ServerResponse, statusCode: number, errorCode: string, document: string): void {
  response.writeHead(statusCode, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorCode, 'x-amzn-RequestId': randomUUID() });
  response.end(document);
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
