/**
 * The Lambda and Step Functions stand-ins answer the AWS SDK as the services do (function errors, timeouts,
 * unknown resources) and run a state machine's Retry and Catch as the Amazon States Language specifies.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LambdaFunctionSpec, LambdaRunner, LambdaStandIn, StateMachineDefinition, StepFunctionsStandIn } from '../../harness';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const arnOf = (name: string) => `arn:aws:lambda:${REGION}:123456789012:function:${name}`;

// Fixture functions: one that fails until a given attempt (counted in a file), one that returns its input,
// one that throws, one that outlives its timeout.
const FIXTURE = `
const fs = require('fs');
exports.untilAttempt = async (event) => {
  const attempt = Number(fs.existsSync(event.counter) ? fs.readFileSync(event.counter, 'utf8') : '0') + 1;
  fs.writeFileSync(event.counter, String(attempt));
  if (attempt < event.succeedOnAttempt) throw Object.assign(new Error('not yet ' + attempt), { name: 'NotYet' });
  return { attempt };
};
exports.echo = async (event) => event;
exports.fail = async () => { throw new TypeError('the handler failed'); };
exports.hang = () => new Promise((resolve) => setTimeout(resolve, 30000));
`;

let directory: string;
let runner: LambdaRunner;
let lambda: LambdaStandIn;
let stepFunctions: StepFunctionsStandIn | undefined;

function fixture(name: string, handler: string, timeoutSeconds = 30): LambdaFunctionSpec {
  return { logicalId: name, codeDirectory: directory, handler: `index.${handler}`, runtime: 'nodejs24.x', timeoutSeconds, environment: {} };
}

beforeEach(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-fixtures-'));
  fs.writeFileSync(path.join(directory, 'index.js'), FIXTURE);
  runner = new LambdaRunner({ environment: {}, prewarm: false });
  lambda = await LambdaStandIn.start(runner);
  for (const [name, handler, timeout] of [['Worker', 'untilAttempt'], ['Catcher', 'echo'], ['Failing', 'fail'], ['Hanging', 'hang', 1]] as const) {
    lambda.deploy({ arn: arnOf(name), spec: fixture(name, handler, timeout) });
  }
});

afterEach(async () => {
  await stepFunctions?.close();
  runner.killAll();
  await lambda.close();
  fs.rmSync(directory, { recursive: true, force: true });
  stepFunctions = undefined;
});

describe('Lambda stand-in', () => {
  const client = () => new LambdaClient({ endpoint: lambda.url, region: REGION, credentials: CREDENTIALS });

  test('a thrown error is a 200 with X-Amz-Function-Error Unhandled and the runtime\'s error payload', async () => {
    // WHEN a function that throws is invoked
    const response = await client().send(new InvokeCommand({ FunctionName: arnOf('Failing'), Payload: '{}' }));
    // THEN the payload carries errorType, errorMessage and the stack as trace
    const payload = JSON.parse(Buffer.from(response.Payload!).toString('utf8'));
    expect(response).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    expect(payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'the handler failed' });
    expect(payload.trace[0]).toBe('TypeError: the handler failed');
  });

  test('a function that outlives its timeout is answered with Sandbox.Timedout, "Task timed out after 1.00 seconds"', async () => {
    // WHEN a function with a 1 s timeout hangs
    const response = await client().send(new InvokeCommand({ FunctionName: 'Hanging', Payload: '{}' }));
    // THEN Lambda's timeout error comes back, and the process was killed
    const payload = JSON.parse(Buffer.from(response.Payload!).toString('utf8'));
    expect(response.FunctionError).toBe('Unhandled');
    expect(payload.errorType).toBe('Sandbox.Timedout');
    expect(payload.errorMessage).toMatch(/^RequestId: [0-9a-f-]+ Error: Task timed out after 1\.00 seconds$/);
    expect(runner.invocations[0].outcome.status).toBe('killed');
  });

  test('an unknown function is refused with ResourceNotFoundException', async () => {
    // WHEN a function that does not exist is invoked THEN the SDK throws Lambda's error
    await expect(client().send(new InvokeCommand({ FunctionName: 'Nope', Payload: '{}' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('Step Functions stand-in', () => {
  const definition = (maxAttempts: number): StateMachineDefinition => ({
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'Worker',
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: maxAttempts }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Task', Resource: 'Catcher', End: true },
    },
  });
  const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:123456789012:stateMachine:Waiter`;

  async function start(maxAttempts: number, timeScale: number): Promise<StepFunctionsStandIn> {
    stepFunctions = await StepFunctionsStandIn.start(lambda, { timeScale });
    stepFunctions.deploy({ arn: STATE_MACHINE_ARN, definition: definition(maxAttempts), functionArns: { Worker: arnOf('Worker'), Catcher: arnOf('Catcher') } });
    return stepFunctions;
  }

  test('a failing task is retried after IntervalSeconds × BackoffRate^n, scaled by timeScale, until it succeeds', async () => {
    // GIVEN a task that succeeds on its third attempt, retried every 10 s doubling, run 100 times faster
    const sfn = await start(3, 0.01);
    // WHEN an execution runs
    const execution = sfn.startExecution(STATE_MACHINE_ARN, JSON.stringify({ counter: path.join(directory, 'count'), succeedOnAttempt: 3 }));
    await execution.done;
    // THEN it succeeded on the third attempt, after waits of at least 100 ms and 200 ms (not 10 s and 20 s)
    const [first, second, third] = execution.attempts;
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { attempt: 3 } });
    expect(execution.attempts.map((attempt) => attempt.error)).toEqual(['NotYet', 'NotYet', undefined]);
    expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(100);
    expect(third.startedAt - second.startedAt).toBeGreaterThanOrEqual(200);
    expect(third.startedAt - first.startedAt).toBeLessThan(10_000);
  });

  test('when the retries run out, Catch passes {Error, Cause} to the next state, Cause being the function\'s error payload', async () => {
    // GIVEN a task that never succeeds, allowed one retry
    const sfn = await start(1, 0.001);
    // WHEN an execution runs
    const execution = sfn.startExecution(STATE_MACHINE_ARN, JSON.stringify({ counter: path.join(directory, 'count'), succeedOnAttempt: 99 }));
    await execution.done;
    // THEN two attempts failed, and the catcher got the last error
    const output = execution.output as { Error: string; Cause: string };
    expect(execution.attempts.map((attempt) => [attempt.state, attempt.error])).toEqual([
      ['Work', 'NotYet'],
      ['Work', 'NotYet'],
      ['Caught', undefined],
    ]);
    expect(output.Error).toBe('NotYet');
    expect(JSON.parse(output.Cause)).toMatchObject({ errorType: 'NotYet', errorMessage: 'not yet 2' });
  });

  test('StartExecution of an unknown state machine is refused with StateMachineDoesNotExist', async () => {
    // GIVEN the stand-in WHEN the SDK starts an execution of a state machine it does not have
    const sfn = await start(1, 1);
    const client = new SFNClient({ endpoint: sfn.url, region: REGION, credentials: CREDENTIALS });
    // THEN it throws Step Functions' error
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${STATE_MACHINE_ARN}Missing`, input: '{}' }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});
