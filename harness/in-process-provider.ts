/**
 * The real aws-cdk-lib Provider framework code (framework.js, cfn-response.js from the synthesized asset) run
 * inside the test process, in virtual time, for tests that play hundreds of deploys: the property-based
 * lifecycle test and large stacks. The framework's three ways out are replaced at its module boundary
 * (outbound.js, which the framework reads at call time): Lambda Invoke calls the handler class in process
 * (a fresh handler per invocation: concurrent Lambda invocations share no memory), the Step Functions waiter
 * is played from the template's Retry and Catch (harness/cloud-assembly.ts WaiterSpec), and the PUT to the
 * response URL is captured and decoded as CloudFormation would read it. Everything else (CREATE_FAILED
 * marker, the Delete of that marker answered without the handler, physical id rules, Data merging, the
 * Retry error of a not-yet-complete isComplete) is the framework's own code.
 *
 * The process-based harness (provider-framework.ts) runs the same code with real processes, timeouts and
 * Node.js version; this one trades that for speed and determinism.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { CloudAssembly, LambdaFunctionSpec, ProviderSpec } from './cloud-assembly';
import type { InvocationOutcome } from './lambda-runner';
import { lambdaRuntimeModules } from './lambda-runtime';
import type { CfnRequest, CfnResponse } from './provider-framework';

/** The user functions, as the in-process Lambda stand-in calls them. */
export interface InProcessHandler {
  onEvent(event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<unknown>;
  isComplete(event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<unknown>;
}

/** The framework's clock: virtual time (`sleep` advances it and returns at once), or real time. */
export interface VirtualTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Date and setTimeout: real time, or virtual time where fake timers replace them. */
export const TIMERS_TIME: VirtualTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface InProcessProviderOptions {
  /** Makes the handler for one invocation (called once per Lambda invocation). */
  readonly newHandler: () => InProcessHandler;
  readonly time: VirtualTime;
  /** The user functions' timeouts, in seconds (from the template). */
  readonly onEventTimeoutSeconds: number;
  readonly isCompleteTimeoutSeconds: number;
  /**
   * Makes a Lambda invocation fail as if its process died (an injected fault): `before` the handler runs, or
   * `after` it did its work but before it could answer. Default: never.
   */
  readonly failInvocation?: (functionName: 'onEvent' | 'isComplete', event: { RequestType?: string; LogicalResourceId?: string }) => 'before' | 'after' | undefined;
}

type Outbound = {
  invokeFunction: (req: { FunctionName: string; Payload: string }) => Promise<{ FunctionError?: string; Payload?: string }>;
  startExecution: (req: { stateMachineArn: string; input: string }) => Promise<unknown>;
  httpRequest: (options: { path?: string }, body: string) => Promise<void>;
};

type Framework = {
  onEvent(event: unknown): Promise<void>;
  isComplete(event: unknown): Promise<void>;
  onTimeout(event: unknown): Promise<void>;
};

const ON_EVENT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:in-process-onEvent';
const IS_COMPLETE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:in-process-isComplete';

/** The directory of the framework functions' code asset in a cloud assembly. */
export function frameworkDirectory(assembly: CloudAssembly, stackName: string, provider: ProviderSpec): string {
  const resource = assembly.template(stackName).Resources[provider.frameworkLogicalId] as { Metadata?: { [key: string]: unknown } };
  const assetPath = resource?.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') {
    throw new Error(`${provider.frameworkLogicalId} carries no aws:asset:path metadata; synthesize with asset metadata enabled.`);
  }
  const directory = path.join(assembly.directory, assetPath);
  if (!fs.existsSync(path.join(directory, 'framework.js'))) {
    throw new Error(`No framework.js in ${directory}: ${provider.frameworkLogicalId} is not the custom-resources Provider framework.`);
  }
  return directory;
}

/**
 * The user functions of `provider` when each invocation goes elsewhere (another process, a virtual-time
 * Lambda model): an invocation that did not end `ok` throws, which the framework reads as a function error.
 */
export function userFunctionsVia(
  provider: ProviderSpec,
  invoke: (fn: LambdaFunctionSpec, event: unknown) => Promise<Pick<InvocationOutcome, 'status' | 'result' | 'errorType' | 'errorMessage'>>,
): InProcessHandler {
  const call = async (fn: LambdaFunctionSpec, event: unknown): Promise<unknown> => {
    const outcome = await invoke(fn, event);
    if (outcome.status === 'ok') return outcome.result;
    throw Object.assign(new Error(outcome.errorMessage), { name: outcome.errorType ?? 'Error' });
  };
  return {
    onEvent: (event) => call(provider.onEvent, event),
    isComplete: (event) => call(provider.isComplete!, event),
  };
}

/**
 * The framework's code requires the AWS SDK that the Lambda runtime provides (NODE_PATH there). Under jest,
 * modulePaths resolves it; a plain Node.js process (a benchmark) gets the same directory the harness gives
 * its function processes.
 */
function provideLambdaRuntimeModules(): void {
  const directory = lambdaRuntimeModules();
  const paths = (process.env.NODE_PATH ?? '').split(path.delimiter).filter((entry) => entry.length > 0);
  if (paths.includes(directory)) return;
  process.env.NODE_PATH = [directory, ...paths].join(path.delimiter);
  (Module as unknown as { _initPaths(): void })._initPaths();
}

export class InProcessProvider {
  private readonly framework: Framework;
  private readonly pending = new Map<string, (response: CfnResponse) => void>();
  /** Every response body the framework sent, as CloudFormation received it. */
  readonly responseBodies: string[] = [];
  readonly invocations: { functionName: 'onEvent' | 'isComplete'; requestType?: string; logicalId?: string }[] = [];

  constructor(
    directory: string,
    private readonly spec: ProviderSpec,
    private readonly options: InProcessProviderOptions,
  ) {
    provideLambdaRuntimeModules();
    // A private copy of the framework modules: their outbound functions are replaced for this provider only.
    for (const file of ['framework.js', 'cfn-response.js', 'outbound.js', 'util.js', 'consts.js']) {
      delete require.cache[require.resolve(path.join(directory, file))];
    }
    const load = (file: string): unknown => require(path.join(directory, file)); // eslint-disable-line @typescript-eslint/no-require-imports
    const outbound = load('outbound.js') as Outbound;
    const util = load('util.js') as { log: (...args: unknown[]) => void };
    outbound.invokeFunction = (req) => this.invoke(req);
    outbound.startExecution = async (req) => {
      // StartExecution returns at once; the execution runs on.
      void this.runWaiter(req.input);
      return { executionArn: `${req.stateMachineArn}:execution` };
    };
    outbound.httpRequest = async (_options, body) => this.receive(body);
    util.log = () => undefined;
    this.framework = load('framework.js') as Framework;
    for (const file of ['framework.js', 'cfn-response.js', 'outbound.js', 'util.js', 'consts.js']) {
      delete require.cache[require.resolve(path.join(directory, file))];
    }
  }

  /**
   * The provider of a stack's numbers, its user functions invoked through `invoke` (userFunctionsVia), with the
   * template's function timeouts.
   */
  static forStack(
    assembly: CloudAssembly,
    stackName: string,
    invoke: Parameters<typeof userFunctionsVia>[1],
    time: VirtualTime,
  ): InProcessProvider {
    const spec = assembly.claimedNumbers(stackName)[0].provider;
    return new InProcessProvider(frameworkDirectory(assembly, stackName, spec), spec, {
      newHandler: () => userFunctionsVia(spec, invoke),
      time,
      onEventTimeoutSeconds: spec.onEvent.timeoutSeconds,
      isCompleteTimeoutSeconds: spec.isComplete!.timeoutSeconds,
    });
  }

  /** Sends one CloudFormation request through the framework and resolves with CloudFormation's answer. */
  handle(request: CfnRequest): Promise<CfnResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.RequestId, resolve);
      withFrameworkEnvironment(() => this.framework.onEvent({ ...request })).catch((error: unknown) => {
        this.pending.delete(request.RequestId);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  private async invoke(req: { FunctionName: string; Payload: string }): Promise<{ FunctionError?: string; Payload?: string }> {
    const functionName = req.FunctionName === ON_EVENT_ARN ? 'onEvent' : 'isComplete';
    const event = JSON.parse(req.Payload) as { RequestType?: string; LogicalResourceId?: string };
    this.invocations.push({ functionName, requestType: event.RequestType, logicalId: event.LogicalResourceId });
    const dies = this.options.failInvocation?.(functionName, event);
    const died = { FunctionError: 'Unhandled', Payload: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' }) };
    if (dies === 'before') {
      return died;
    }
    const timeoutMs = (functionName === 'onEvent' ? this.options.onEventTimeoutSeconds : this.options.isCompleteTimeoutSeconds) * 1000;
    const deadline = this.options.time.now() + timeoutMs;
    const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - this.options.time.now()) };
    try {
      const handler = this.options.newHandler();
      const result = await (functionName === 'onEvent' ? handler.onEvent(event, context) : handler.isComplete(event, context));
      return dies === 'after' ? died : { Payload: JSON.stringify(result ?? null) };
    } catch (error) {
      const e = error as Error;
      return { FunctionError: 'Unhandled', Payload: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }) };
    }
  }

  /** The waiter state machine: isComplete at once, then per the Retry (every error retried), then onTimeout. */
  private async runWaiter(input: string): Promise<void> {
    const waiter = this.spec.waiter!;
    let intervalMs = waiter.intervalSeconds * 1000;
    for (let attempt = 0; ; attempt++) {
      try {
        await withFrameworkEnvironment(() => this.framework.isComplete(JSON.parse(input)));
        return;
      } catch (error) {
        if (attempt >= waiter.maxAttempts) {
          const cause = JSON.stringify({ errorMessage: (error as Error).message });
          await withFrameworkEnvironment(() => this.framework.onTimeout({ Error: 'Retry', Cause: cause }));
          return;
        }
        await this.options.time.sleep(intervalMs);
        intervalMs *= waiter.backoffRate;
      }
    }
  }

  private receive(body: string): void {
    this.responseBodies.push(body);
    const response = JSON.parse(body) as CfnResponse & { RequestId: string };
    const resolve = this.pending.get(response.RequestId);
    this.pending.delete(response.RequestId);
    resolve?.({ Status: response.Status, Reason: response.Reason, PhysicalResourceId: response.PhysicalResourceId, Data: response.Data });
  }
}

/** The framework reads its user functions and waiter from the environment at call time. */
async function withFrameworkEnvironment<T>(run: () => Promise<T>): Promise<T> {
  process.env.USER_ON_EVENT_FUNCTION_ARN = ON_EVENT_ARN;
  process.env.USER_IS_COMPLETE_FUNCTION_ARN = IS_COMPLETE_ARN;
  process.env.WAITER_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:in-process-waiter';
  return run();
}
