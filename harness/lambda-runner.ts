/**
 * Runs one invocation of a Lambda function from a cloud assembly in a child process: each invocation is a
 * cold container that shares no memory with any other, as concurrent Lambda invocations do. The
 * function's own environment variables are set, plus the emulator endpoint and fake credentials. An
 * invocation can be killed mid-flight, as Lambda kills a function that times out or crashes.
 */
import { fork } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { LambdaFunctionSpec } from './cloud-assembly';

export interface InvocationOutcome<T = unknown> {
  /** `ok`: the handler returned; `error`: it threw; `killed`: the process was ended before it answered. */
  readonly status: 'ok' | 'error' | 'killed';
  readonly result?: T;
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** What the function printed (its structured logs), one entry a line. */
  readonly logLines: string[];
  readonly elapsedMs: number;
}

export interface LambdaRunnerOptions {
  /** Environment every invocation gets on top of the function's own (endpoint, region, credentials). */
  readonly environment: { [name: string]: string };
  /** Overrides of function environment variables, by variable name (e.g. a shorter operation timeout). */
  readonly environmentOverrides?: { [name: string]: string };
  /** Overrides the functions' timeouts, in seconds. */
  readonly timeoutSeconds?: number;
}

export interface InvokeOptions {
  /** Checked every 5 ms while the invocation runs; when it returns true the process is killed. */
  readonly killWhen?: () => boolean;
}

const WORKER = path.join(__dirname, 'lambda-worker.cjs');

export class LambdaRunner {
  /** Every invocation so far, for assertions on logs. */
  readonly invocations: { functionLogicalId: string; outcome: InvocationOutcome }[] = [];

  constructor(private readonly options: LambdaRunnerOptions) {}

  /** The access key id every invocation signs its requests with (AWS_ACCESS_KEY_ID of the runner's environment). */
  get accessKeyId(): string | undefined {
    return this.options.environmentOverrides?.AWS_ACCESS_KEY_ID ?? this.options.environment.AWS_ACCESS_KEY_ID;
  }

  invoke<T>(fn: LambdaFunctionSpec, event: unknown, invokeOptions: InvokeOptions = {}): Promise<InvocationOutcome<T>> {
    const timeoutMs = (this.options.timeoutSeconds ?? fn.timeoutSeconds) * 1000;
    const started = Date.now();
    const child = fork(WORKER, [], {
      env: {
        PATH: process.env.PATH ?? '',
        ...fn.environment,
        ...this.options.environment,
        ...this.options.environmentOverrides,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutMs / 1000),
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const logLines: string[] = [];
    const collect = (chunk: Buffer) => logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);

    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<InvocationOutcome<T>, 'logLines' | 'elapsedMs'>) => {
        if (settled) return;
        settled = true;
        clearInterval(watcher);
        clearTimeout(timer);
        const full: InvocationOutcome<T> = { ...outcome, logLines, elapsedMs: Date.now() - started };
        this.invocations.push({ functionLogicalId: fn.logicalId, outcome: full });
        resolve(full);
      };
      const kill = (errorMessage: string) => {
        child.kill('SIGKILL');
        finish({ status: 'killed', errorType: 'Killed', errorMessage });
      };
      const watcher = setInterval(() => {
        if (invokeOptions.killWhen?.()) kill('killed by the test while running');
      }, 5);
      const timer = setTimeout(() => kill(`Task timed out after ${timeoutMs / 1000} seconds`), timeoutMs);
      child.on('message', (reply: { ok: boolean; result?: T; errorType?: string; errorMessage?: string }) =>
        finish(reply.ok ? { status: 'ok', result: reply.result } : { status: 'error', errorType: reply.errorType, errorMessage: reply.errorMessage }),
      );
      // 'close' comes after the IPC reply and the output of the process have been read.
      child.on('close', (code, signal) => finish({ status: 'killed', errorType: 'Runtime.ExitError', errorMessage: `exited (${signal ?? code})` }));
      child.send({ handler: fn.handler, codeDirectory: fn.codeDirectory, timeoutMs, functionName: fn.logicalId, invocationId: randomUUID(), event });
    });
  }
}
