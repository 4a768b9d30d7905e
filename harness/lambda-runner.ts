/**
 * Runs one invocation of a Lambda function from a cloud assembly in a child process: each invocation is a
 * cold container that shares no memory with any other, as concurrent Lambda invocations do. The process
 * runs on the Node.js version the function's runtime declares (lambda-runtime.ts), with the function's own
 * environment variables, the emulator endpoint and fake credentials, and the AWS SDK on NODE_PATH. An
 * invocation that outlives its timeout is killed and reported as Lambda reports it; a test can also kill
 * one mid-flight, as Lambda ends a function whose process crashes. A caller that knows an invocation is
 * coming can have its process started and initialized ahead of time (`prepare`; Lambda, too, may
 * initialize an environment before a request arrives), so the request does not wait for Node.js start-up.
 */
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { LambdaFunctionSpec } from './cloud-assembly';
import { compileCacheDirectory, lambdaRuntimeModules, nodeBinaryFor } from './lambda-runtime';

export interface InvocationOutcome<T = unknown> {
  /** `ok`: the handler returned; `error`: it threw; `killed`: the process was ended before it answered. */
  readonly status: 'ok' | 'error' | 'killed';
  readonly result?: T;
  /** As the Lambda runtime reports it: the error's name, `Sandbox.Timedout` or `Runtime.ExitError`. */
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** The stack of a thrown error, one entry a line (the `trace` of Lambda's error payload). */
  readonly errorTrace?: string[];
  /** What the function printed (its structured logs), one entry a line. */
  readonly logLines: string[];
  /** Epoch ms when the process was started, and how long the invocation took. */
  readonly startedAt: number;
  readonly elapsedMs: number;
  /** The invocation's request id (the context's awsRequestId). */
  readonly requestId: string;
}

export interface LambdaRunnerOptions {
  /** Environment every invocation gets on top of the function's own (endpoint, region, credentials). */
  readonly environment: { [name: string]: string };
  /** Overrides of function environment variables, by variable name (e.g. a shorter operation timeout). */
  readonly environmentOverrides?: { [name: string]: string };
  /** Overrides the user functions' timeouts, in seconds (not those of the Provider framework's own functions). */
  readonly timeoutSeconds?: number;
  /**
   * Let callers that know an invocation is coming start its process ahead of time (`prepare`), so that its
   * start-up (Node.js, the handler module, the SDK) is off the request's critical path. Each invocation
   * still gets a process of its own. Default true.
   */
  readonly prewarm?: boolean;
}

export interface InvokeOptions {
  /** Checked every 5 ms while the invocation runs, and once more when it answers; when it returns true the process is killed. */
  readonly killWhen?: () => boolean;
}

const WORKER = path.join(__dirname, 'lambda-worker.cjs');

type WorkerReply<T> = { ok: boolean; result?: T; errorType?: string; errorMessage?: string; trace?: string[] };

/** A process forked for one invocation, initialized (handler module loaded) as soon as it starts. */
interface Environment {
  readonly child: ChildProcess;
  readonly startedAt: number;
  readonly logLines: string[];
  closed: boolean;
}

export class LambdaRunner {
  /** Every invocation so far, for assertions on logs. */
  readonly invocations: { functionLogicalId: string; outcome: InvocationOutcome }[] = [];
  private readonly running = new Set<ChildProcess>();
  private readonly spares = new Map<string, Environment[]>();
  private stopped = false;

  constructor(private readonly options: LambdaRunnerOptions) {}

  /** The access key id every invocation signs its requests with (AWS_ACCESS_KEY_ID of the runner's environment). */
  get accessKeyId(): string | undefined {
    return this.options.environmentOverrides?.AWS_ACCESS_KEY_ID ?? this.options.environment.AWS_ACCESS_KEY_ID;
  }

  /** The timeout an invocation of `fn` gets, in seconds. */
  timeoutSecondsOf(fn: LambdaFunctionSpec): number {
    return fn.providerFramework ? fn.timeoutSeconds : (this.options.timeoutSeconds ?? fn.timeoutSeconds);
  }

  invoke<T>(fn: LambdaFunctionSpec, event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvocationOutcome<T>> {
    const timeoutSeconds = this.timeoutSecondsOf(fn);
    const timeoutMs = timeoutSeconds * 1000;
    const requestId = randomUUID();
    const environment = this.takeEnvironment(fn);
    const { child, logLines } = environment;
    const started = Date.now();

    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<InvocationOutcome<T>, 'logLines' | 'startedAt' | 'elapsedMs' | 'requestId'>) => {
        if (settled) return;
        settled = true;
        clearInterval(watcher);
        clearTimeout(timer);
        const full: InvocationOutcome<T> = { ...outcome, logLines, startedAt: started, elapsedMs: Date.now() - started, requestId };
        this.invocations.push({ functionLogicalId: fn.logicalId, outcome: full });
        resolve(full);
      };
      // Lambda's answers for a process that did not finish (Invoke payloads of the Lambda Node.js runtime).
      const kill = (errorType: string, errorMessage: string) => {
        child.kill('SIGKILL');
        finish({ status: 'killed', errorType, errorMessage: `RequestId: ${requestId} Error: ${errorMessage}` });
      };
      const watcher = setInterval(() => {
        if (invokeOptions.killWhen?.()) kill('Runtime.ExitError', 'Runtime exited with error: signal: killed');
      }, 5);
      const timer = setTimeout(() => kill('Sandbox.Timedout', `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`), timeoutMs);
      child.on('message', (reply: WorkerReply<T>) => {
        // The condition may have come true after the last check and before this answer (a claim accepted
        // and answered within 5 ms): the process then dies before answering, as the condition says.
        if (invokeOptions.killWhen?.()) {
          kill('Runtime.ExitError', 'Runtime exited with error: signal: killed');
          return;
        }
        finish(
          reply.ok
            ? { status: 'ok', result: reply.result }
            : { status: 'error', errorType: reply.errorType, errorMessage: reply.errorMessage, errorTrace: reply.trace },
        );
      });
      // 'close' comes after the IPC reply and the output of the process have been read.
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        const how = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
        finish({ status: 'killed', errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}` });
      };
      if (environment.closed) exited(child.exitCode, child.signalCode);
      else child.on('close', exited);
      child.send({ type: 'invoke', timeoutMs, functionName: fn.logicalId, invocationId: requestId, event });
    });
  }

  /** A spare process for `fn` if one is ready, else a new one. */
  private takeEnvironment(fn: LambdaFunctionSpec): Environment {
    const spares = this.spares.get(environmentKey(fn, this.timeoutSecondsOf(fn))) ?? [];
    let spare = spares.shift();
    while (spare?.closed) spare = spares.shift();
    if (!spare) return this.startEnvironment(fn);
    holdProcess(spare.child, true);
    return spare;
  }

  /**
   * Starts (and initializes) processes for coming invocations of `fn` now, until `count` are waiting, for a
   * caller that knows those invocations are coming. Waiting processes do not keep this process alive.
   * Does nothing when prewarming is off.
   */
  prepare(fn: LambdaFunctionSpec, count = 1): void {
    if (this.options.prewarm === false || this.stopped) return;
    const key = environmentKey(fn, this.timeoutSecondsOf(fn));
    const spares = (this.spares.get(key) ?? []).filter((spare) => !spare.closed);
    this.spares.set(key, spares);
    while (spares.length < count) {
      const spare = this.startEnvironment(fn);
      holdProcess(spare.child, false);
      spares.push(spare);
    }
  }

  private startEnvironment(fn: LambdaFunctionSpec): Environment {
    const child = fork(WORKER, [], {
      execPath: nodeBinaryFor(fn.runtime),
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: lambdaRuntimeModules(),
        NODE_COMPILE_CACHE: compileCacheDirectory(),
        ...fn.environment,
        ...this.options.environment,
        ...this.options.environmentOverrides,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(this.timeoutSecondsOf(fn)),
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const environment: Environment = { child, startedAt: Date.now(), logLines: [], closed: false };
    this.running.add(child);
    const collect = (chunk: Buffer) => environment.logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('close', () => {
      environment.closed = true;
      this.running.delete(child);
    });
    // A spare that is killed before it is used must not throw in the parent.
    child.on('error', () => undefined);
    child.send({ type: 'init', handler: fn.handler, codeDirectory: fn.codeDirectory });
    return environment;
  }

  /** Kills every invocation still running and every spare process (when a test world closes). */
  killAll(): void {
    this.stopped = true;
    this.spares.clear();
    for (const child of this.running) child.kill('SIGKILL');
  }
}

/** Whether a child process (its handle, IPC channel and output pipes) keeps this process alive. */
function holdProcess(child: ChildProcess, held: boolean): void {
  for (const handle of [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[]) {
    if (held) handle?.ref?.();
    else handle?.unref?.();
  }
}

function environmentKey(fn: LambdaFunctionSpec, timeoutSeconds: number): string {
  return JSON.stringify([fn.logicalId, fn.codeDirectory, fn.handler, fn.runtime, timeoutSeconds, fn.environment]);
}
