/**
 * The AWS services the aws-cdk-lib Provider framework talks to, each a local stand-in on 127.0.0.1: the
 * Lambda API (lambda-stand-in.ts), Step Functions (step-functions-stand-in.ts) and CloudFormation's response
 * URL (response-url-stand-in.ts). One set serves one LambdaRunner (one test world): start it with
 * startFrameworkServices(runner) and close it when the world closes. A ProviderFramework whose runner has
 * none starts one on first use, whose servers do not keep the process alive (benches, demos).
 *
 * It also deploys a provider as CloudFormation would: every function and the waiter state machine get an
 * ARN in the region and account of the request's ServiceToken, named like the ServiceToken's function
 * (`<prefix><logicalId>`), and the framework functions' environment references are set to those ARNs.
 */
import { LambdaFunctionSpec, ProviderSpec } from './cloud-assembly';
import { InvokeOptions, LambdaRunner } from './lambda-runner';
import { DeployedFunction, LambdaStandIn } from './lambda-stand-in';
import { ResponseUrlStandIn, responseKey } from './response-url-stand-in';
import { ExecutionRecord, StepFunctionsStandIn } from './step-functions-stand-in';

export interface FrameworkServicesOptions {
  /** Multiplies every wait of the waiter state machine (its Retry intervals), e.g. 0.1 in a bench. Default 1. */
  readonly timeScale?: number;
}

/** What a test asked for one delivery of a request (see HandleOptions). */
export interface DeliveryOptions {
  /** Kill the user onEvent invocation when this turns true. */
  readonly killOnEventWhen?: InvokeOptions['killWhen'];
  /** The waiter's retry interval for this request, in seconds. */
  readonly waiterIntervalSeconds?: number;
}

/** A provider as deployed: the ARN of each of its resources, and the framework's entry function. */
export interface DeployedProvider {
  /** The framework onEvent function, environment references resolved, ready to invoke. */
  readonly frameworkOnEvent: LambdaFunctionSpec;
  arnOf(logicalId: string): string;
}

interface Delivery {
  readonly options: DeliveryOptions;
  readonly userOnEventArn: string;
  readonly executions: ExecutionRecord[];
}

export class FrameworkServices {
  static async start(runner: LambdaRunner, options: FrameworkServicesOptions = {}): Promise<FrameworkServices> {
    const deliveries = new Map<string, Delivery[]>();
    const nextFunctions = new Map<string, LambdaFunctionSpec[]>();
    const openDeliveries = () => [...deliveries.values()].reduce((sum, list) => sum + list.length, 0);
    const deliveryOf = (event: unknown) => {
      const list = deliveries.get(responseKey((event ?? {}) as { [key: string]: unknown }));
      return list?.[list.length - 1];
    };
    const lambda = await LambdaStandIn.start(runner, {
      invokeOptionsFor: (fn, event) => {
        const delivery = deliveryOf(event);
        return delivery && fn.arn === delivery.userOnEventArn ? { killWhen: delivery.options.killOnEventWhen } : {};
      },
      // As many waiting processes as there are requests in flight: a burst of requests finds them ready.
      onInvoke: (fn) => nextFunctions.get(fn.arn)?.forEach((next) => runner.prepare(next, openDeliveries())),
    });
    const stepFunctions = await StepFunctionsStandIn.start(lambda, {
      timeScale: options.timeScale,
      intervalSecondsFor: (input) => deliveryOf(input)?.options.waiterIntervalSeconds,
      // Deliveries of one request (a repeated delivery: same stack, logical id and RequestId) are one request to
      // CloudFormation, which takes whichever answer reaches the ResponseURL: each of them may end with any of
      // the waiters its framework invocations started, whichever delivery was open last when one started.
      onExecutionStarted: (execution, input) => deliveries.get(responseKey((input ?? {}) as { [key: string]: unknown }))?.forEach((d) => d.executions.push(execution)),
    });
    const responses = await ResponseUrlStandIn.start();
    return new FrameworkServices(runner, lambda, stepFunctions, responses, deliveries, nextFunctions);
  }

  private constructor(
    readonly runner: LambdaRunner,
    readonly lambda: LambdaStandIn,
    readonly stepFunctions: StepFunctionsStandIn,
    readonly responses: ResponseUrlStandIn,
    private readonly deliveries: Map<string, Delivery[]>,
    private readonly nextFunctions: Map<string, LambdaFunctionSpec[]>,
  ) {}

  /**
   * Deploys `spec` (idempotent: a later deploy of the same provider replaces the earlier one) for a request
   * whose ServiceToken is `serviceToken`.
   */
  deploy(spec: ProviderSpec, serviceToken: string): DeployedProvider {
    const arnFor = arnFactory(serviceToken, spec.frameworkLogicalId);
    const machine = spec.waiterStateMachine;
    const arnOf = (logicalId: string) => arnFor(logicalId, logicalId === machine?.logicalId ? 'states' : 'lambda');
    const functions = [spec.onEvent, spec.isComplete, spec.framework.onEvent, spec.framework.isComplete, spec.framework.onTimeout].filter(
      (fn): fn is LambdaFunctionSpec => fn !== undefined,
    );
    const deployed = new Map<string, DeployedFunction>();
    for (const fn of functions) {
      const resolved = Object.fromEntries(Object.entries(fn.environmentReferences ?? {}).map(([name, logicalId]) => [name, arnOf(logicalId)]));
      const environment = { ...fn.environment, ...resolved, ...(fn.providerFramework ? this.frameworkEnvironment() : {}) };
      const entry = { arn: arnOf(fn.logicalId), spec: { ...fn, environment } };
      deployed.set(fn.logicalId, entry);
      this.lambda.deploy(entry);
    }
    // What the framework invokes next, to start those processes ahead of time: while the user onEvent runs,
    // the waiter's isComplete task and the user isComplete it calls; while that task runs, the user isComplete.
    const specOf = (fn: LambdaFunctionSpec | undefined) => (fn ? deployed.get(fn.logicalId)?.spec : undefined);
    const [userIsComplete, frameworkIsComplete] = [specOf(spec.isComplete), specOf(spec.framework.isComplete)];
    if (userIsComplete && frameworkIsComplete) {
      this.nextFunctions.set(arnOf(spec.onEvent.logicalId), [frameworkIsComplete, userIsComplete]);
      this.nextFunctions.set(arnOf(frameworkIsComplete.logicalId), [userIsComplete]);
    }
    if (machine) {
      const functionArns = Object.fromEntries(functions.map((fn) => [fn.logicalId, arnOf(fn.logicalId)]));
      this.stepFunctions.deploy({ arn: arnOf(machine.logicalId), definition: machine.definition, functionArns });
    }
    return { frameworkOnEvent: deployed.get(spec.framework.onEvent.logicalId)!.spec, arnOf };
  }

  /**
   * Registers one delivery of a request (by its StackId, LogicalResourceId and RequestId), so that the
   * stand-ins apply `options` to it; `close` when the delivery has its answer.
   */
  openDelivery(request: { StackId: string; LogicalResourceId: string; RequestId: string }, userOnEventArn: string, options: DeliveryOptions): { readonly executions: ExecutionRecord[]; close(): void } {
    const key = responseKey(request);
    const delivery: Delivery = { options, userOnEventArn, executions: [] };
    this.deliveries.set(key, [...(this.deliveries.get(key) ?? []), delivery]);
    // The framework's onEvent will invoke the user onEvent: start its process while the framework's starts.
    const userOnEvent = this.lambda.find(userOnEventArn);
    if (userOnEvent) this.runner.prepare(userOnEvent.spec, this.openDeliveries());
    return {
      executions: delivery.executions,
      close: () => {
        const remaining = (this.deliveries.get(key) ?? []).filter((d) => d !== delivery);
        if (remaining.length > 0) this.deliveries.set(key, remaining);
        else this.deliveries.delete(key);
      },
    };
  }

  private openDeliveries(): number {
    return [...this.deliveries.values()].reduce((sum, list) => sum + list.length, 0);
  }

  /** Environment of the framework's functions: where the stand-ins are, and no instance metadata lookups. */
  frameworkEnvironment(): { [name: string]: string } {
    return {
      AWS_ENDPOINT_URL_LAMBDA: this.lambda.url,
      AWS_ENDPOINT_URL_SFN: this.stepFunctions.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...this.responses.processEnvironment(),
    };
  }

  /** Servers that are not referenced do not keep the process alive. */
  unref(): void {
    this.lambda.unref();
    this.stepFunctions.unref();
    this.responses.unref();
  }

  /** Aborts running executions, kills the runner's invocations still running, and closes the servers. */
  async close(): Promise<void> {
    if (servicesByRunner.get(this.runner) === this) servicesByRunner.delete(this.runner);
    const stopping = this.stepFunctions.close();
    this.runner.killAll();
    await Promise.all([stopping, this.lambda.close(), this.responses.close()]);
  }
}

const servicesByRunner = new WeakMap<LambdaRunner, FrameworkServices>();
const starting = new WeakMap<LambdaRunner, Promise<FrameworkServices>>();

/** Starts the stand-ins for `runner`'s provider requests; close them with `close()` (or world.close()). */
export async function startFrameworkServices(runner: LambdaRunner, options: FrameworkServicesOptions = {}): Promise<FrameworkServices> {
  if (servicesByRunner.has(runner) || starting.has(runner)) throw new Error('This runner already has its framework services.');
  const services = await FrameworkServices.start(runner, options);
  servicesByRunner.set(runner, services);
  return services;
}

/** The stand-ins of `runner`: those started for it, else a set started now that does not keep the process alive. */
export async function frameworkServicesFor(runner: LambdaRunner): Promise<FrameworkServices> {
  const existing = servicesByRunner.get(runner);
  if (existing) return existing;
  let pending = starting.get(runner);
  if (!pending) {
    pending = FrameworkServices.start(runner).then((services) => {
      services.unref();
      servicesByRunner.set(runner, services);
      starting.delete(runner);
      return services;
    });
    starting.set(runner, pending);
  }
  return pending;
}

/**
 * ARNs in the ServiceToken's region and account. A resource's name is its logical id behind the prefix the
 * ServiceToken's function name has before the framework's logical id (e.g. `<stack>-`).
 */
function arnFactory(serviceToken: string, frameworkLogicalId: string): (logicalId: string, service?: 'lambda' | 'states') => string {
  const match = /^arn:([^:]+):lambda:([^:]+):(\d{12}):function:([^:]+)$/.exec(serviceToken);
  const [partition, region, account, name] = match ? match.slice(1) : ['aws', 'us-east-1', '123456789012', frameworkLogicalId];
  const prefix = name.endsWith(frameworkLogicalId) ? name.slice(0, name.length - frameworkLogicalId.length) : '';
  return (logicalId, service = 'lambda') =>
    service === 'lambda' ? `arn:${partition}:lambda:${region}:${account}:function:${prefix}${logicalId}` : `arn:${partition}:states:${region}:${account}:stateMachine:${prefix}${logicalId}`;
}
