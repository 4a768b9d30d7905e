/**
 * The harness runs the real aws-cdk-lib Provider framework code from the synthesized asset (framework.js,
 * cfn-response.js, outbound.js) with the real handler bundle against the Connect emulator, through the
 * local Lambda, Step Functions and response URL stand-ins.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  CloudAssembly,
  CREATE_FAILED_MARKER,
  FrameworkServices,
  LambdaRunner,
  LambdaRunnerOptions,
  ProviderFramework,
  ProviderSpec,
  SECRET_RESPONSE_URL_MARKER,
  StackSimulator,
  startFrameworkServices,
  TaskStateDefinition,
} from '../../harness';
import { ConnectEmulator, ConnectEmulatorOptions, startConnectEmulator } from '../../emulator';
import { CloudFormationApi, startCloudFormationApi } from '../../harness/cloudformation-api';
import { INSTANCE_ID, STACK_NAME, synthesizeE2eApp } from '../e2e/world';

interface RealWorld {
  readonly emulator: ConnectEmulator;
  /** The handler reads its stack (a Delete's release rule): without this it would retry an unreachable endpoint. */
  readonly cloudFormation: CloudFormationApi;
  readonly runner: LambdaRunner;
  readonly services: FrameworkServices;
  readonly stack: StackSimulator;
  readonly support: string;
}

let assembly: CloudAssembly;
let world: RealWorld | undefined;
let blackHole: { server: net.Server; held: Set<net.Socket> } | undefined;

beforeAll(() => {
  assembly = synthesizeE2eApp();
});

afterEach(async () => {
  await world?.services.close();
  await world?.emulator.close();
  await world?.cloudFormation.close();
  blackHole?.held.forEach((socket) => socket.destroy());
  await new Promise((resolve) => (blackHole ? blackHole.server.close(resolve) : resolve(undefined)));
  world = undefined;
  blackHole = undefined;
});

async function startRealWorld(options: { emulator?: ConnectEmulatorOptions; runner?: Partial<LambdaRunnerOptions> } = {}): Promise<RealWorld> {
  const emulator = await startConnectEmulator({ instances: [INSTANCE_ID], rateLimit: false, claimLatencyMs: 300, ...options.emulator });
  const cloudFormation = await startCloudFormationApi();
  const runner = new LambdaRunner({
    environment: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEHARNESS',
      AWS_SECRET_ACCESS_KEY: 'harness-secret-key',
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    ...options.runner,
  });
  const services = await startFrameworkServices(runner);
  const stack = new StackSimulator(assembly, STACK_NAME, runner);
  cloudFormation.register(stack);
  const support = stack.logicalIds().find((id) => id.startsWith('Support'))!;
  world = { emulator, cloudFormation, runner, services, stack, support };
  return world;
}

const invocationsOf = (w: RealWorld, logicalId: string | undefined) => w.runner.invocations.filter((invocation) => invocation.functionLogicalId === logicalId);

describe('The real Provider framework code in the harness', () => {
  test('a failed Create is answered with the CREATE_FAILED marker as physical id', async () => {
    // GIVEN a world
    const w = await startRealWorld();
    // WHEN the Create carries a phone number the handler rejects
    const created = await w.stack.create(w.support, { ...w.stack.declaredProperties(w.support), PhoneNumber: 'not-a-number' });
    // THEN the framework answered FAILED with its marker and the handler's reason
    expect(created).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(created.Reason).toContain('PhoneNumber must be in E.164 format');
  });

  test('the Delete of the CREATE_FAILED marker is answered SUCCESS by the framework without invoking the user onEvent', async () => {
    // GIVEN a failed Create
    const w = await startRealWorld();
    const provider = w.stack.spec(w.support).provider;
    const created = await w.stack.create(w.support, { ...w.stack.declaredProperties(w.support), PhoneNumber: 'not-a-number' });
    const userOnEventsBefore = invocationsOf(w, provider.onEvent.logicalId).length;
    const frameworkOnEventsBefore = invocationsOf(w, provider.framework.onEvent.logicalId).length;
    // WHEN the stack rolls back and deletes it
    const rollback = await w.stack.rollbackCreate(w.support, created);
    // THEN the framework's onEvent ran and answered SUCCESS, and the user onEvent was not invoked again
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(invocationsOf(w, provider.framework.onEvent.logicalId)).toHaveLength(frameworkOnEventsBefore + 1);
    expect(invocationsOf(w, provider.onEvent.logicalId)).toHaveLength(userOnEventsBefore);
  });

  test('a user function that exceeds its timeout fails the request with Lambda\'s "Task timed out"', async () => {
    // GIVEN a Connect endpoint that never answers, and user functions with a 3-second timeout
    const held = new Set<net.Socket>();
    const server = net.createServer((socket) => held.add(socket.on('close', () => held.delete(socket))));
    blackHole = { server, held };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const w = await startRealWorld({
      runner: {
        timeoutSeconds: 3,
        environmentOverrides: { AWS_ENDPOINT_URL_CONNECT: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` },
      },
    });
    // WHEN the resource is created
    const created = await w.stack.create(w.support);
    // THEN the user onEvent was killed at its timeout and the framework answered FAILED with Lambda's message
    expect(created.Status).toBe('FAILED');
    expect(created.Reason).toMatch(/Task timed out after 3\.00 seconds/);
    expect(invocationsOf(w, w.stack.spec(w.support).provider.onEvent.logicalId)[0].outcome).toMatchObject({ status: 'killed', errorType: 'Sandbox.Timedout' });
  });

  test('the body the response URL receives is the exact JSON CloudFormation gets, under 4096 bytes, at the request\'s URL', async () => {
    // GIVEN a world and a Create request
    const w = await startRealWorld();
    const request = w.stack.request('Create', w.support, w.stack.declaredProperties(w.support));
    // WHEN it is sent
    const response = await w.stack.send(request);
    // THEN one PUT arrived at the ResponseURL, its body has exactly CloudFormation's fields, and handle() returned it
    const record = w.emulator.numberByPhone('+12065550100')!;
    expect(w.services.responses.received).toHaveLength(1);
    const [received] = w.services.responses.received;
    expect(received.method).toBe('PUT');
    expect(received.url).toBe(request.ResponseURL);
    expect(received.bytes).toBeLessThan(4096);
    expect(received.withinLimit).toBe(true);
    expect(JSON.parse(received.body)).toStrictEqual({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: request.StackId,
      RequestId: request.RequestId,
      PhysicalResourceId: record.arn,
      LogicalResourceId: w.support,
      Data: { PhoneNumberArn: record.arn, PhoneNumberId: record.id, PhoneNumber: '+12065550100' },
    });
    expect(Object.keys(JSON.parse(received.body))).toEqual(['Status', 'Reason', 'StackId', 'RequestId', 'PhysicalResourceId', 'LogicalResourceId', 'Data']);
    expect(response).toStrictEqual(JSON.parse(received.body));
  });

  test('neither the framework nor the handler logs the ResponseURL', async () => {
    // WHEN a number is created and deleted through the framework
    const w = await startRealWorld();
    await w.stack.create(w.support);
    await w.stack.delete(w.support);
    // THEN the output of every process (framework functions included) lacks the URL's signature
    const frameworkIds = Object.values(w.stack.spec(w.support).provider.framework).map((fn) => fn?.logicalId);
    expect(w.runner.invocations.some((invocation) => frameworkIds.includes(invocation.functionLogicalId))).toBe(true);
    expect(w.runner.invocations.flatMap((invocation) => invocation.outcome.logLines).join('\n')).not.toContain(SECRET_RESPONSE_URL_MARKER);
  });

  test('the framework and user functions run on the Node.js version their runtime declares (nodejs24.x: Node.js 24)', async () => {
    // GIVEN the runtimes the template declares
    const w = await startRealWorld();
    const provider = w.stack.spec(w.support).provider;
    const runtimes = [provider.onEvent, provider.isComplete, provider.framework.onEvent, provider.framework.isComplete, provider.framework.onTimeout].map((fn) => fn?.runtime);
    // WHEN a function of that runtime reports its process.version
    const codeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'report-runtime-'));
    fs.writeFileSync(path.join(codeDirectory, 'index.js'), 'exports.handler = async () => ({ version: process.version });\n');
    const outcome = await w.runner.invoke<{ version: string }>({ ...provider.onEvent, codeDirectory, handler: 'index.handler' }, {});
    fs.rmSync(codeDirectory, { recursive: true, force: true });
    // THEN every function is nodejs24.x and runs on Node.js 24
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
    expect(outcome.result?.version).toMatch(/^v24\./);
  });

  test('a runtime the harness has no Node.js binary for fails with a message that says what to install', async () => {
    // GIVEN a function declared on a runtime without a binary here
    const w = await startRealWorld();
    const fn = { ...w.stack.spec(w.support).provider.onEvent, runtime: 'nodejs18.x' };
    // WHEN it is invoked THEN the runner refuses it, naming the package to add
    expect(() => w.runner.invoke(fn, {})).toThrow(/runtime nodejs18\.x, but the harness has no Node\.js 18 binary.*node@18/s);
  });

  test('the waiter calls isComplete again after its interval until it reports complete', async () => {
    // GIVEN a claim that takes 4 s and user functions whose poll window is 1 s (11 s timeout, 10 s margin)
    const w = await startRealWorld({ emulator: { claimLatencyMs: 4000 }, runner: { timeoutSeconds: 11 } });
    const provider = w.stack.spec(w.support).provider;
    // WHEN the resource is created with a 0.5 s waiter interval
    const created = await w.stack.create(w.support, undefined, { waiterIntervalSeconds: 0.5 });
    // THEN the first isComplete said "not complete", a later one "complete", and the answer is SUCCESS
    await w.services.stepFunctions.executions[0].done;
    const answers = invocationsOf(w, provider.isComplete?.logicalId).map((invocation) => (invocation.outcome.result as { IsComplete?: boolean })?.IsComplete);
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: w.emulator.numberByPhone('+12065550100')?.arn });
    expect(answers[0]).toBe(false);
    expect(answers[answers.length - 1]).toBe(true);
    const [execution] = w.services.stepFunctions.executions;
    expect(execution.attempts.length).toBe(answers.length);
    expect(execution.attempts[0].error).toBe('Error');
    expect(execution.attempts[execution.attempts.length - 1].error).toBeUndefined();
  }, 60_000);

  test('when isComplete never completes, the onTimeout task answers FAILED "Operation timed out" after MaxAttempts retries', async () => {
    // GIVEN a claim that stays IN_PROGRESS, a 1 s isComplete poll window, and a waiter allowed 2 retries
    const w = await startRealWorld({ runner: { timeoutSeconds: 11 } });
    w.emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    const provider = withWaiterRetries(w.stack.spec(w.support).provider, 2);
    // WHEN the resource is created with a 0.2 s waiter interval
    const request = w.stack.request('Create', w.support, w.stack.declaredProperties(w.support));
    const created = await new ProviderFramework(provider, w.runner).handle(request, { waiterIntervalSeconds: 0.2 });
    // THEN 1 + 2 isComplete attempts ran, then onTimeout, which answered FAILED with onEvent's physical id
    const [execution] = w.services.stepFunctions.executions;
    await execution.done;
    expect(created).toMatchObject({ Status: 'FAILED', Reason: 'Operation timed out', PhysicalResourceId: w.emulator.numberByPhone('+12065550100')?.arn });
    expect(execution.attempts.map((attempt) => attempt.state)).toEqual(['framework-isComplete-task', 'framework-isComplete-task', 'framework-isComplete-task', 'framework-onTimeout-task']);
    expect(invocationsOf(w, provider.framework.onTimeout?.logicalId)).toHaveLength(1);
  }, 60_000);

  test('an Invoke that Lambda refuses (function not ready) is retried by the framework after GetFunction reports it Active', async () => {
    // GIVEN the user onEvent function refuses its first invocation with 409 ResourceConflictException
    const w = await startRealWorld();
    const userOnEvent = w.stack.spec(w.support).provider.onEvent;
    w.services.lambda.refuseInvocations(userOnEvent.logicalId, 1);
    // WHEN the resource is created
    const created = await w.stack.create(w.support);
    // THEN the framework waited for the function to be Active, invoked it again, and succeeded
    const calls = w.services.lambda.calls.filter((call) => call.functionName.endsWith(userOnEvent.logicalId));
    expect(created.Status).toBe('SUCCESS');
    expect(calls.map((call) => [call.operation, call.statusCode])).toEqual([
      ['Invoke', 409],
      ['GetFunction', 200],
      ['Invoke', 200],
    ]);
    expect(invocationsOf(w, userOnEvent.logicalId)).toHaveLength(1);
  });

  test('Lambda throttling the handler for a while (concurrency used up) delays the Create but does not fail it', async () => {
    // GIVEN Lambda throttles the first 4 invocations of the user onEvent (429 TooManyRequestsException)
    const w = await startRealWorld();
    const userOnEvent = w.stack.spec(w.support).provider.onEvent;
    w.services.lambda.throttleInvocations(userOnEvent.logicalId, 4);
    // WHEN the resource is created
    const created = await w.stack.create(w.support);
    // THEN the framework's retries got through: the handler ran once and claimed one number
    const invokes = w.services.lambda.calls.filter((call) => call.operation === 'Invoke' && call.functionName.endsWith(userOnEvent.logicalId));
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: w.emulator.numberByPhone('+12065550100')?.arn });
    expect(invokes.filter((call) => call.statusCode === 429)).toHaveLength(4);
    expect(invocationsOf(w, userOnEvent.logicalId)).toHaveLength(1);
  }, 60_000);

  test('Lambda throttling the handler past the framework\'s retries fails the Create before anything is claimed', async () => {
    // GIVEN Lambda throttles every invocation of the user onEvent
    const w = await startRealWorld();
    const userOnEvent = w.stack.spec(w.support).provider.onEvent;
    w.services.lambda.throttleInvocations(userOnEvent.logicalId, 1000);
    // WHEN the resource is created
    const created = await w.stack.create(w.support);
    // THEN the Create fails with the framework's marker (its rollback Delete never reaches the handler) and Connect saw no claim
    expect(created).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(created.Reason).toMatch(/Rate Exceeded/);
    expect(invocationsOf(w, userOnEvent.logicalId)).toHaveLength(0);
    expect(w.emulator.calls.filter((call) => call.operation === 'ClaimPhoneNumber')).toHaveLength(0);
  }, 60_000);
});

/** The provider with its waiter's isComplete retries limited to `maxAttempts` (as a shorter totalTimeout would). */
function withWaiterRetries(provider: ProviderSpec, maxAttempts: number): ProviderSpec {
  const machine = provider.waiterStateMachine!;
  const states = Object.fromEntries(
    Object.entries(machine.definition.States).map(([name, state]) => {
      const task = state as TaskStateDefinition;
      return [name, task.Retry ? { ...task, Retry: task.Retry.map((retry) => ({ ...retry, MaxAttempts: maxAttempts })) } : state];
    }),
  );
  return { ...provider, waiterStateMachine: { ...machine, definition: { ...machine.definition, States: states } } };
}
