/**
 * The harness's LambdaRunner (every invocation a process of its own), with containers that can be started
 * ahead of time. Lambda starts the containers of a burst of invocations in parallel, each on a CPU of its
 * own, in a fraction of a second; this 2-core machine starting 100 Node processes at once needs many
 * seconds, all of them charged to the deployment. Prewarming the onEvent containers before the clock
 * starts takes that artefact out: at the Create events all of them are ready and compete for Connect's
 * rate limit at once, as on Lambda. isComplete containers are kept warm a few at a time instead (they are
 * needed a few per second, as claims go through). Each container still runs exactly one invocation; an
 * invocation that finds no warm container forks a fresh process as the harness always does.
 */
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { LambdaFunctionSpec } from '../harness/cloud-assembly';
import { InvocationOutcome, LambdaRunner } from '../harness/lambda-runner';

const WORKER = path.join(__dirname, 'prewarmed-worker.cjs');

type Reply<T> = { ready?: boolean; ok?: boolean; result?: T; errorType?: string; errorMessage?: string };

export class PrewarmedLambdaRunner extends LambdaRunner {
  private readonly pool = new Map<string, ChildProcess[]>();
  /** Functions whose pool is topped up as containers are taken, and to how many. */
  private readonly warmTargets = new Map<string, { fn: LambdaFunctionSpec; size: number; starting: number }>();
  private closed = false;

  constructor(private readonly environment: { [name: string]: string }) {
    super({ environment });
  }

  /**
   * Starts `count` containers of `fn`, at most `parallel` initializing at a time; resolves when all are ready.
   * With `warmUpEvent`, each container also runs isComplete on it once (see prewarmed-worker.cjs).
   */
  async prewarm(fn: LambdaFunctionSpec, count: number, parallel: number, warmUpEvent?: object): Promise<void> {
    const ready = this.pool.get(fn.logicalId) ?? [];
    this.pool.set(fn.logicalId, ready);
    let started = 0;
    const startOne = async (): Promise<void> => {
      while (started < count) {
        started += 1;
        ready.push(await this.startContainer(fn, warmUpEvent));
      }
    };
    await Promise.all(Array.from({ length: parallel }, startOne));
  }

  /** Keeps `size` containers of `fn` ready, starting a new one whenever one is taken. */
  keepWarm(fn: LambdaFunctionSpec, size: number): void {
    this.warmTargets.set(fn.logicalId, { fn, size, starting: 0 });
    this.refill(fn.logicalId);
  }

  /** Ends the containers that were never used, and stops keeping any warm. */
  close(): void {
    this.closed = true;
    for (const containers of this.pool.values()) {
      for (const child of containers.splice(0)) child.kill('SIGKILL');
    }
  }

  override invoke<T>(fn: LambdaFunctionSpec, event: unknown): Promise<InvocationOutcome<T>> {
    const child = this.pool.get(fn.logicalId)?.shift();
    this.refill(fn.logicalId);
    return child ? this.invokeIn<T>(child, fn, event) : super.invoke<T>(fn, event);
  }

  private refill(logicalId: string): void {
    const target = this.warmTargets.get(logicalId);
    if (!target || this.closed) return;
    const ready = this.pool.get(logicalId) ?? [];
    this.pool.set(logicalId, ready);
    while (ready.length + target.starting < target.size) {
      target.starting += 1;
      this.startContainer(target.fn).then(
        (child) => {
          target.starting -= 1;
          if (this.closed) child.kill('SIGKILL');
          else ready.push(child);
        },
        () => {
          target.starting -= 1;
        },
      );
    }
  }

  private startContainer(fn: LambdaFunctionSpec, warmUpEvent?: object): Promise<ChildProcess> {
    const child = fork(WORKER, [fn.codeDirectory, fn.handler, ...(warmUpEvent ? [JSON.stringify(warmUpEvent)] : [])], {
      env: {
        PATH: process.env.PATH ?? '',
        ...fn.environment,
        ...this.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      },
      // Logs are not kept: a hundred handlers retrying under the rate limit print thousands of lines.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (message: Reply<unknown>) => (message.ready ? resolve(child) : reject(new Error('container did not start'))));
      child.once('exit', (code) => reject(new Error(`container exited during init (${code})`)));
    });
  }

  private invokeIn<T>(child: ChildProcess, fn: LambdaFunctionSpec, event: unknown): Promise<InvocationOutcome<T>> {
    const timeoutMs = fn.timeoutSeconds * 1000;
    const started = Date.now();
    const requestId = randomUUID();
    child.removeAllListeners('exit');
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<InvocationOutcome<T>, 'logLines' | 'startedAt' | 'elapsedMs' | 'requestId'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const full: InvocationOutcome<T> = { ...outcome, logLines: [], startedAt: started, elapsedMs: Date.now() - started, requestId };
        this.invocations.push({ functionLogicalId: fn.logicalId, outcome: full });
        resolve(full);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish({ status: 'killed', errorType: 'Killed', errorMessage: `Task timed out after ${fn.timeoutSeconds} seconds` });
      }, timeoutMs);
      child.on('message', (reply: Reply<T>) =>
        finish(reply.ok ? { status: 'ok', result: reply.result } : { status: 'error', errorType: reply.errorType, errorMessage: reply.errorMessage }),
      );
      child.on('close', (code, signal) => finish({ status: 'killed', errorType: 'Runtime.ExitError', errorMessage: `exited (${signal ?? code})` }));
      child.send({ timeoutMs, functionName: fn.logicalId, invocationId: requestId, event });
    });
  }
}
