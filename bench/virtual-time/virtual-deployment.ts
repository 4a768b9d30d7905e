/**
 * One deployment in virtual time: every Custom::ClaimedPhoneNumber of one or more stacks created at once,
 * as CloudFormation creates independent resources, through the harness's Provider framework (the
 * template's waiter and function timeouts) and the real handler code, against one emulated Connect
 * account. See virtual-clock.ts for what "virtual" means, and virtual-lambda-runner.ts for the Lambda model.
 */
import { CallRecord } from '../../emulator';
import { ConnectEngine } from '../../emulator/engine';
import { ConnectEmulatorOptions, InventoryNumber } from '../../emulator/options';
import { snapshotNumbers } from '../../emulator/snapshot';
import { PhoneNumberRecord } from '../../emulator/state';
import { CloudAssembly, LambdaRunner, StackSimulator } from '../../harness';
import { InProcessProvider, TIMERS_TIME } from '../../harness/in-process-provider';
import { CfnResponse } from '../../harness/provider-framework';
import { runInVirtualTime } from './virtual-clock';
import { CloudFormationRead, VirtualCloudFormation } from './cloudformation-transport';
import { VirtualLambdaRunner } from './virtual-lambda-runner';

export interface LambdaModel {
  /** From the invoke to the handler running (framework hop, cold start), in ms. */
  readonly startMs: () => number;
  /** One-way network delay between a function and Connect, in ms. */
  readonly networkDelayMs: () => number;
}

export interface DeploymentStack {
  readonly assembly: CloudAssembly;
  readonly stackName: string;
}

export interface DeploymentOutcome {
  /** From the Create events to the last response. */
  readonly wallMs: number;
  readonly responses: CfnResponse[];
  readonly calls: CallRecord[];
  readonly numbers: PhoneNumberRecord[];
  /** Epoch ms (virtual) of the Create events, to read `calls[].at` against. */
  readonly startedAt: number;
  /** Handler invocations (onEvent and isComplete) running at once, at most. */
  readonly peakRunning: number;
  /** Handler invocations cut off at their function timeout. */
  readonly timedOut: number;
  /** Real time the computation took. */
  readonly realMs: number;
}

/**
 * With `dependencyStride` k, the i-th number of a stack depends on the (i - k)-th (addDependency), so
 * CloudFormation creates it only once that one is done: at most k creates of a stack run at once.
 */
export async function deployInVirtualTime(
  stacks: DeploymentStack[],
  emulator: ConnectEmulatorOptions & { inventory: InventoryNumber[] },
  lambda: LambdaModel,
  dependencyStride?: number,
): Promise<DeploymentOutcome> {
  const run = await runInVirtualTime(async () => {
    const engine = new ConnectEngine(emulator);
    const runner = new VirtualLambdaRunner({ engine, ...lambda });
    // The real Provider framework code of each stack's asset, in process (harness/in-process-provider.ts):
    // its Lambda invocations go to the virtual runner, its waiter sleeps in virtual time (the faked timers).
    const simulators = stacks.map((stack) => {
      const provider = InProcessProvider.forStack(stack.assembly, stack.stackName, (fn, event) => runner.invoke(fn, event), TIMERS_TIME);
      return new StackSimulator(stack.assembly, stack.stackName, new LambdaRunner({ environment: {} }), { provider });
    });
    const startedAt = Date.now();
    const createStack = (simulator: StackSimulator): Promise<CfnResponse[]> => {
      const creates: Promise<CfnResponse>[] = [];
      simulator.logicalIds().forEach((logicalId, i) => {
        const dependency = dependencyStride === undefined || i < dependencyStride ? undefined : creates[i - dependencyStride];
        // A failed dependency would stop CloudFormation; here every create succeeds or the run reports it.
        creates.push(dependency ? dependency.then(() => simulator.create(logicalId)) : simulator.create(logicalId));
      });
      return Promise.all(creates);
    };
    const responses = (await Promise.all(simulators.map(createStack))).flat();
    const wallMs = Date.now() - startedAt;
    return {
      wallMs,
      responses,
      calls: [...engine.calls],
      numbers: snapshotNumbers(engine.state),
      startedAt,
      peakRunning: runner.peakRunning,
      timedOut: runner.timedOut,
    };
  });
  return { ...run.value, realMs: run.realMs };
}

/** A uniform draw in [min, max). */
export function uniform(min: number, max: number): () => number {
  return () => min + Math.random() * (max - min);
}

export interface StackDeleteOutcome extends DeploymentOutcome {
  /** CloudFormation reads during the delete (the create before it is not counted). */
  readonly reads: CloudFormationRead[];
  /** Delete requests sent, by the stack status they were sent in. */
  readonly deletes: number;
}

/**
 * A stack delete in virtual time: the stack is deployed first (every number created, not measured), the
 * account's buckets refill for a minute, then DeleteStack sends every Delete at once, as CloudFormation does for
 * independent resources. The handler reads its stack through CloudFormation's read API (DescribeStacks for the
 * release rule), behind the read limit of cloudformation-transport.ts.
 */
export async function deleteStackInVirtualTime(
  stack: DeploymentStack,
  emulator: ConnectEmulatorOptions & { inventory: InventoryNumber[] },
  lambda: LambdaModel,
): Promise<StackDeleteOutcome> {
  const run = await runInVirtualTime(async () => {
    const engine = new ConnectEngine(emulator);
    const cloudFormation = new VirtualCloudFormation();
    const runner = new VirtualLambdaRunner({ engine, ...lambda, cloudFormation });
    const provider = InProcessProvider.forStack(stack.assembly, stack.stackName, (fn, event) => runner.invoke(fn, event), TIMERS_TIME);
    const simulator = new StackSimulator(stack.assembly, stack.stackName, new LambdaRunner({ environment: {} }), { provider });
    cloudFormation.api.register(simulator);
    const all = simulator.logicalIds().length;
    const created = await simulator.deployStack(simulator.declaredTemplate(), { concurrency: all });
    if (created.status !== 'CREATE_COMPLETE') throw new Error(`The stack to delete was not created: ${created.status}`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    const callsBefore = engine.calls.length;
    const readsBefore = cloudFormation.reads.length;
    runner.peakRunning = 0;
    const startedAt = Date.now();
    const deleted = await simulator.deleteStack({ concurrency: all });
    const wallMs = Date.now() - startedAt;
    const responses = deleted.steps.map((step) => step.response);
    if (process.env.BENCH_VERBOSE) {
      const slowest = [...deleted.steps].sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, 3);
      const arn = (slowest[0].request as { PhysicalResourceId?: string }).PhysicalResourceId ?? '';
      const trace = engine.calls.slice(callsBefore).filter((call) => JSON.stringify(call.input).includes(arn.slice(arn.lastIndexOf('/') + 1)));
      process.stderr.write(`    trace: ${trace.map((call) => `${((call.at - startedAt) / 1000).toFixed(1)} ${call.operation}${call.throttled ? ' T' : ''}`).join(', ')}\n`);
      process.stderr.write(`    slowest deletes: ${slowest.map((step) => `${step.request.LogicalResourceId} ${step.elapsedMs} ms ${step.response.Status}`).join(', ')}; timed out: ${runner.timedOut}\n`);
    }
    return {
      wallMs,
      responses,
      calls: engine.calls.slice(callsBefore),
      numbers: snapshotNumbers(engine.state),
      startedAt,
      peakRunning: runner.peakRunning,
      timedOut: runner.timedOut,
      reads: cloudFormation.reads.slice(readsBefore),
      deletes: deleted.steps.filter((step) => step.request.RequestType === 'Delete').length,
    };
  });
  return { ...run.value, realMs: run.realMs };
}
