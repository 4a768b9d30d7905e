/**
 * Stands in for AWS Step Functions as the Provider framework uses it: StartExecution (awsJson1_0,
 * X-Amz-Target AWSStepFunctions.StartExecution, through @aws-sdk/client-sfn at AWS_ENDPOINT_URL_SFN) of the
 * waiter state machine, whose definition is read from the synthesized template. Source: the AWS Step
 * Functions API Reference (StartExecution, its errors and the 256 KiB input limit) and the Amazon States
 * Language specification ("Error handling": Retry with ErrorEquals, IntervalSeconds (default 1),
 * MaxAttempts (default 3), BackoffRate (default 2.0), MaxDelaySeconds, JitterStrategy; Catch with Next and
 * ResultPath, whose default "$" makes the error output {Error, Cause} the next state's input; a Lambda task
 * failure's Error is the function's errorType and its Cause is the function's error payload as a string).
 *
 * Task states whose Resource is a function are run by invoking that function through the Lambda stand-in;
 * Succeed and Fail states end the execution. Any other state type fails the execution with States.Runtime
 * (the waiter needs none). Waits can be shortened: `timeScale` multiplies every retry delay, and an
 * execution's interval can be replaced (intervalSecondsFor) to keep waiter tests short.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as net from 'net';
import { RetrierDefinition, StateMachineDefinition, TaskStateDefinition } from './cloud-assembly';
import { LambdaStandIn } from './lambda-stand-in';
import { closeServer, listenOnLoopback } from './response-url-stand-in';

/** StartExecution's limit on the input, 256 KiB. */
const INPUT_LIMIT_BYTES = 256 * 1024;

export interface DeployedStateMachine {
  readonly arn: string;
  readonly definition: StateMachineDefinition;
  /** The ARN of each function a Task's Resource names, by logical id. */
  readonly functionArns: { readonly [logicalId: string]: string };
}

/** One attempt of a Task state. */
export interface TaskAttempt {
  readonly state: string;
  readonly startedAt: number;
  /** The error name when the attempt failed. */
  readonly error?: string;
}

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** The execution input as given (it carries the ResponseURL: never log it). */
  readonly input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** The output of a SUCCEEDED execution. */
  output?: unknown;
  error?: string;
  cause?: string;
  readonly attempts: TaskAttempt[];
  /** Settles when the execution has ended. */
  readonly done: Promise<void>;
}

export interface StepFunctionsStandInOptions {
  /** Multiplies every retry delay (e.g. 0.1 to run a waiter ten times faster). Default 1. */
  readonly timeScale?: number;
  /** An execution's retry interval instead of the definition's IntervalSeconds, from its input. */
  readonly intervalSecondsFor?: (input: unknown) => number | undefined;
  /** Told of every execution as it starts. */
  readonly onExecutionStarted?: (execution: ExecutionRecord, input: unknown) => void;
}

class ExecutionAborted extends Error {}

export class StepFunctionsStandIn {
  static async start(lambda: LambdaStandIn, options: StepFunctionsStandInOptions = {}): Promise<StepFunctionsStandIn> {
    const standIn = new StepFunctionsStandIn(lambda, options);
    await listenOnLoopback(standIn.server);
    return standIn;
  }

  readonly executions: ExecutionRecord[] = [];
  private readonly stateMachines = new Map<string, DeployedStateMachine>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; abort: () => void }>();
  private readonly server: http.Server;
  private closed = false;

  private constructor(
    private readonly lambda: LambdaStandIn,
    private readonly options: StepFunctionsStandInOptions,
  ) {
    this.server = http.createServer((request, response) => this.route(request, response));
  }

  /** The endpoint for AWS_ENDPOINT_URL_SFN. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Creates (or replaces) a state machine. */
  deploy(stateMachine: DeployedStateMachine): void {
    this.stateMachines.set(stateMachine.arn, stateMachine);
  }

  /** StartExecution: returns at once, the execution runs in the background. */
  startExecution(stateMachineArn: string, input: string, name: string = randomUUID()): ExecutionRecord {
    const stateMachine = this.stateMachines.get(stateMachineArn);
    if (!stateMachine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    if (Buffer.byteLength(input) > INPUT_LIMIT_BYTES) {
      throw new ApiError('ValidationException', `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${INPUT_LIMIT_BYTES}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    const arnParts = stateMachineArn.split(':');
    const executionArn = [...arnParts.slice(0, 5), 'execution', arnParts[6], name].join(':');
    const attempts: TaskAttempt[] = [];
    const record = { executionArn, stateMachineArn, input, status: 'RUNNING', attempts } as ExecutionRecord;
    (record as { done: Promise<void> }).done = this.run(stateMachine, parsed, record);
    this.executions.push(record);
    this.options.onExecutionStarted?.(record, parsed);
    return record;
  }

  /** Servers that are not referenced do not keep the process alive (a lazily started harness). */
  unref(): void {
    this.server.unref();
  }

  /** Stops the server and aborts the running executions (their pending retries never happen). */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.abort();
    }
    this.timers.clear();
    this.server.closeAllConnections();
    await closeServer(this.server);
  }

  private async run(stateMachine: DeployedStateMachine, input: unknown, record: ExecutionRecord): Promise<void> {
    const intervalOverride = this.options.intervalSecondsFor?.(input);
    let stateName = stateMachine.definition.StartAt;
    let stateInput = input;
    try {
      for (;;) {
        const state = stateMachine.definition.States[stateName];
        if (!state) throw new ExecutionFailure('States.Runtime', `The state ${stateName} is not defined`);
        if (state.Type === 'Succeed') break;
        if (state.Type === 'Fail') throw new ExecutionFailure(String(state.Error ?? 'States.Fail'), String(state.Cause ?? ''));
        if (state.Type !== 'Task') throw new ExecutionFailure('States.Runtime', `The stand-in does not run ${state.Type} states (${stateName})`);
        const task = state as TaskStateDefinition;
        const unsupported = ['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSeconds', 'HeartbeatSeconds'].filter((field) => field in task);
        if (unsupported.length > 0) throw new ExecutionFailure('States.Runtime', `The stand-in does not support ${unsupported.join(', ')} (${stateName})`);
        const outcome = await this.runTask(stateMachine, stateName, task, stateInput, record, intervalOverride);
        if ('output' in outcome) {
          stateInput = outcome.output;
          if (task.End) break;
          stateName = task.Next ?? '';
          continue;
        }
        const catcher = task.Catch?.find((c) => errorMatches(c.ErrorEquals, outcome.error));
        if (!catcher) throw new ExecutionFailure(outcome.error, outcome.cause);
        const errorOutput = { Error: outcome.error, Cause: outcome.cause };
        stateInput = applyResultPath(stateInput, catcher.ResultPath, errorOutput);
        stateName = catcher.Next;
      }
      record.output = stateInput;
      record.status = 'SUCCEEDED';
    } catch (error) {
      if (error instanceof ExecutionAborted) {
        record.status = 'ABORTED';
      } else {
        record.status = 'FAILED';
        record.error = error instanceof ExecutionFailure ? error.errorName : 'States.Runtime';
        record.cause = error instanceof Error ? error.message : String(error);
      }
    }
  }

  /** Runs a Task with its Retry policy: the output, or the error that remains after the retries. */
  private async runTask(
    stateMachine: DeployedStateMachine,
    stateName: string,
    task: TaskStateDefinition,
    input: unknown,
    record: ExecutionRecord,
    intervalOverride: number | undefined,
  ): Promise<{ output: unknown } | { error: string; cause: string }> {
    const functionArn = stateMachine.functionArns[task.Resource];
    if (!functionArn) throw new ExecutionFailure('States.Runtime', `The Task ${stateName} names ${task.Resource}, which is not a function of the stack`);
    const retriesUsed = new Map<RetrierDefinition, number>();
    for (;;) {
      if (this.closed) throw new ExecutionAborted();
      const startedAt = Date.now();
      const result = await this.lambda.invoke(functionArn, JSON.stringify(input));
      let failure: { error: string; cause: string } | undefined;
      if (result.errorCode) {
        failure = { error: `Lambda.${result.errorCode}`, cause: result.payload };
      } else if (result.functionError) {
        const payload = JSON.parse(result.payload) as { errorType?: string };
        failure = { error: payload.errorType ?? 'Lambda.Unknown', cause: result.payload };
      }
      record.attempts.push({ state: stateName, startedAt, ...(failure ? { error: failure.error } : {}) });
      if (!failure) return { output: JSON.parse(result.payload) };
      const retrier = task.Retry?.find((r) => errorMatches(r.ErrorEquals, failure.error));
      const used = retrier ? (retriesUsed.get(retrier) ?? 0) : 0;
      if (!retrier || used >= (retrier.MaxAttempts ?? 3)) return failure;
      retriesUsed.set(retrier, used + 1);
      await this.sleep(retryDelaySeconds(retrier, used, intervalOverride) * 1000 * (this.options.timeScale ?? 1));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new ExecutionAborted());
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        abort: () => reject(new ExecutionAborted()),
      };
      this.timers.add(entry);
    });
  }

  private route(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      try {
        if (target !== 'AWSStepFunctions.StartExecution') {
          throw new ApiError('UnknownOperationException', `The stand-in does not implement ${target || 'this request'}`);
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { stateMachineArn?: string; input?: string; name?: string };
        const record = this.startExecution(String(body.stateMachineArn), body.input ?? '{}', body.name);
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
        response.end(JSON.stringify({ executionArn: record.executionArn, startDate: Date.now() / 1000 }));
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('InternalFailure', (error as Error).message);
        response.writeHead(apiError.code === 'InternalFailure' ? 500 : 400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
        response.end(JSON.stringify({ __type: apiError.code, message: apiError.message }));
      }
    });
  }
}

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class ExecutionFailure extends Error {
  constructor(
    readonly errorName: string,
    cause: string,
  ) {
    super(cause);
  }
}

/** ErrorEquals matching: States.ALL matches every error, States.TaskFailed every one but States.Timeout. */
function errorMatches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.includes(error) || errorEquals.includes('States.ALL') || (errorEquals.includes('States.TaskFailed') && error !== 'States.Timeout');
}

/** The delay before retry number `used + 1`: IntervalSeconds × BackoffRate^used, capped, with optional full jitter. */
function retryDelaySeconds(retrier: RetrierDefinition, used: number, intervalOverride: number | undefined): number {
  const interval = intervalOverride ?? retrier.IntervalSeconds ?? 1;
  let delay = interval * Math.pow(retrier.BackoffRate ?? 2, used);
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = Math.random() * delay;
  return delay;
}

/** A Catch's ResultPath: "$" (default) replaces the input by the error output, null keeps the input, "$.a.b" adds it there. */
function applyResultPath(input: unknown, resultPath: string | null | undefined, errorOutput: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return errorOutput;
  if (resultPath === null) return input;
  const keys = resultPath.replace(/^\$\.?/, '').split('.');
  const copy = JSON.parse(JSON.stringify(input ?? {})) as { [key: string]: unknown };
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
    node = node[key] as { [key: string]: unknown };
  }
  node[keys[keys.length - 1]] = errorOutput;
  return copy;
}
