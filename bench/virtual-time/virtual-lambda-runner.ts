/**
 * Lambda in virtual time: each invocation is a cold container of its own, with a new ConnectClient and a
 * new ClaimedPhoneNumberHandler built from the handler's source (lambda/), the function's own environment
 * and timeout from the template, and a Lambda context whose remaining time counts down in virtual time.
 * Nothing is shared between invocations but the emulator, as nothing is shared between Lambda containers
 * but Connect. An invocation that outlives its timeout is cut off like Lambda cuts it off: it gets no more
 * answers and sends no more requests. Only the transport under the SDK differs from the Lambda function
 * (in-process-transport.ts).
 */
import { LambdaFunctionSpec } from '../../harness/cloud-assembly';
import { HandlerEnv } from '../../lib/shared/contract';
import { InvocationOutcome } from '../../harness/lambda-runner';
import { ConnectEngine } from '../../emulator/engine';
import { createConnectClient } from '../../lambda/connect-client';
import { settingsFromEnvironment } from '../../lambda/handler-settings';
import { Logger } from '../../lambda/logger';
import { ClaimedPhoneNumberEvent, ClaimedPhoneNumberHandler, cloudFormationStackReaders, StackReaderFactory } from '../../lambda/phone-number-handler';
import { systemClock } from '../../lambda/retry';
import { CloudFormationStackReader } from '../../lambda/stack-reader';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { VirtualCloudFormation } from './cloudformation-transport';
import { InProcessTransport } from './in-process-transport';

export interface VirtualLambdaOptions {
  readonly engine: ConnectEngine;
  /** From the invoke to the handler running: the framework's hop and a cold start, in ms. */
  readonly startMs: () => number;
  /** One-way network delay between a function and Connect, in ms. */
  readonly networkDelayMs: () => number;
  readonly region?: string;
  /** CloudFormation's read API for the handler's stack reader; without it, the handler's default client (no endpoint here). */
  readonly cloudFormation?: VirtualCloudFormation;
}

type Outcome<T> = Pick<InvocationOutcome<T>, 'status' | 'result' | 'errorType' | 'errorMessage'>;

export class VirtualLambdaRunner {
  /** Invocations running now, and the most that ever ran at once. */
  running = 0;
  peakRunning = 0;
  /** Invocations cut off at their timeout. */
  timedOut = 0;

  constructor(private readonly virtual: VirtualLambdaOptions) {}

  async invoke<T>(fn: LambdaFunctionSpec, event: unknown): Promise<Outcome<T>> {
    this.running += 1;
    trackRunning(1);
    this.peakRunning = Math.max(this.peakRunning, this.running);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.virtual.startMs()));
      return await this.run<T>(fn, JSON.parse(JSON.stringify(event)) as ClaimedPhoneNumberEvent);
    } finally {
      this.running -= 1;
      trackRunning(-1);
    }
  }

  private async run<T>(fn: LambdaFunctionSpec, event: ClaimedPhoneNumberEvent): Promise<Outcome<T>> {
    const transport = new InProcessTransport(this.virtual.engine, this.virtual.networkDelayMs);
    const client = createConnectClient({
      region: this.virtual.region ?? 'us-east-1',
      endpoint: 'http://connect.virtual.invalid',
      credentials: { accessKeyId: 'AKIDEXAMPLEVIRTUAL', secretAccessKey: 'virtual-secret-key' },
      requestHandler: transport,
    });
    useFunctionEnvironment(fn.environment);
    const cfn = this.virtual.cloudFormation;
    const cfnClient =
      cfn &&
      new CloudFormationClient({
        maxAttempts: 1,
        region: this.virtual.region ?? 'us-east-1',
        endpoint: 'http://cloudformation.virtual.invalid',
        credentials: { accessKeyId: 'AKIDEXAMPLEVIRTUAL', secretAccessKey: 'virtual-secret-key' },
        requestHandler: cfn.transport(this.virtual.networkDelayMs),
      });
    const stackReaders: StackReaderFactory = cfnClient
      ? (scope, clock, logger, deadline) => new CloudFormationStackReader(cfnClient, scope, clock, logger, deadline)
      : cloudFormationStackReaders;
    const handler = new ClaimedPhoneNumberHandler(client, new Logger({}, () => undefined), settingsFromEnvironment(fn.environment), systemClock, stackReaders);
    const timeoutMs = fn.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const work: Promise<Outcome<T>> = (
      fn.handler === 'index.onEvent' ? handler.onEvent(event, context) : handler.isComplete(event, context)
    ).then(
      // The answer travels as JSON, as a Lambda payload does.
      (result) => ({ status: 'ok', result: JSON.parse(JSON.stringify(result)) as T }),
      (error: unknown) => ({ status: 'error', errorType: (error as Error)?.name ?? 'Error', errorMessage: (error as Error)?.message ?? String(error) }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Outcome<T>>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'killed', errorType: 'Killed', errorMessage: `Task timed out after ${fn.timeoutSeconds} seconds` }), timeoutMs);
    });
    const outcome = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (outcome.status === 'killed') {
      this.timedOut += 1;
      transport.kill();
    }
    return outcome;
  }
}

/**
 * The handler reads its pacing (lambda/retry.ts, NUMBERS_IN_STACK and NUMBERS_IN_ACCOUNT) from process.env, which on Lambda is its
 * function's environment. Here every function runs in this one process, so the variable is set from the
 * invoked function's environment; the functions of one deployment must then agree on it (the stacks of a
 * case declare the same count of numbers), which is checked rather than assumed.
 */
const PACED_VARIABLES = [HandlerEnv.NUMBERS_IN_STACK, HandlerEnv.NUMBERS_IN_ACCOUNT];
let pacingOwner: string | undefined;

function useFunctionEnvironment(environment: { [name: string]: string }): void {
  const values = JSON.stringify(PACED_VARIABLES.map((name) => environment[name] ?? null));
  if (pacingOwner !== undefined && pacingOwner !== values && runningSince > 0) {
    throw new Error(`Functions of one in-process deployment disagree on ${PACED_VARIABLES.join(', ')}: ${pacingOwner} and ${values}.`);
  }
  pacingOwner = values;
  for (const name of PACED_VARIABLES) {
    if (environment[name] === undefined) delete process.env[name];
    else process.env[name] = environment[name];
  }
}

/** Invocations running in this process now, across runners (a new deployment may change the environment once none runs). */
let runningSince = 0;
export function trackRunning(delta: number): void {
  runningSince += delta;
  if (runningSince === 0) pacingOwner = undefined;
}
