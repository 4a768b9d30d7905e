/**
 * `list` end to end: numbers put in each state by the real CloudFormation sequences (through the real
 * Provider framework code and handler bundle), then listed by the command in-process.
 */
import { TagResourceCommand, UpdatePhoneNumberCommand, UpdatePhoneNumberMetadataCommand } from '@aws-sdk/client-connect';
import { CloudAssembly } from '../../harness';
import { OTHER_INSTANCE_ID, startWorld, STACK_NAME, World } from '../e2e/world';
import { cli as cliRun, CliRun, connectClientFor, playStates, removeAssembly, RETAINED_NUMBER, synthesizeCliApp } from './cli-world';

const SUPPORT = '+12065550100';
const SALES = '+18335550101';
let assembly: CloudAssembly;
let world: World;
let kept: string;

beforeAll(async () => {
  // GIVEN a stack deployed, a failed replacement rolled back, and a RETAIN resource removed
  assembly = synthesizeCliApp();
  world = await startWorld(assembly);
  ({ kept } = await playStates(world));
  // AND the Sales number changed outside the stack: description, a tag and the target
  const connect = connectClientFor(world);
  const sales = world.emulator.numberByPhone(SALES)!;
  await connect.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: sales.arn, PhoneNumberDescription: 'Changed in the console' }));
  world.emulator.advanceClock(5000);
  await connect.send(new TagResourceCommand({ resourceArn: sales.arn, tags: { team: 'growth' } }));
  await connect.send(new UpdatePhoneNumberCommand({ PhoneNumberId: sales.arn, InstanceId: OTHER_INSTANCE_ID }));
  world.emulator.advanceClock(5000);
  // The state is set: the listings below need not wait on Connect's rate (the pacer is tested in pacer.test.ts).
  world.emulator.configure({ rateLimit: false });
}, 240_000);

afterAll(async () => {
  await world?.close();
  removeAssembly(assembly);
});

const UNPACED = { deps: { pace: { requestsPerSecond: 1000, burst: 1000 } } };
const cli = (w: World, argv: string[]): Promise<CliRun> => cliRun(w, argv, UNPACED);
const rowOf = (table: string, number: string) => table.split('\n').find((line) => line.includes(number)) ?? '';

test('the table shows a deployed number as in use', async () => {
  // WHEN the numbers are listed
  const run = await cli(world, ['list']);
  // THEN the Support number is in use by its logical id
  expect(run.code).toBe(0);
  expect(rowOf(run.stdout, SUPPORT)).toMatch(new RegExp(`^${STACK_NAME}\\s+${world.logicalId('Support')}\\s+\\${SUPPORT}\\s+in-use`));
});

test('the table shows the number a rolled-back replacement kept, with the reason and whether the next deploy takes it back', async () => {
  const run = await cli(world, ['list']);
  expect(rowOf(run.stdout, kept)).toMatch(/\skept\s.*Kept by a Delete at \S+ in UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS; the template in force does not ask for it/);
});

test('the table shows the number of a removed RETAIN resource as retained', async () => {
  const run = await cli(world, ['list']);
  expect(rowOf(run.stdout, RETAINED_NUMBER)).toMatch(new RegExp(`${world.logicalId('Archive')}\\s+\\${RETAINED_NUMBER}\\s+retained\\s`));
});

test('the summary line counts the numbers in each state', async () => {
  const run = await cli(world, ['list']);
  expect(run.stdout.trimEnd().split('\n').pop()).toBe('6 numbers: 4 in-use, 1 kept, 1 retained, 0 orphaned');
});

test('the table is sorted by stack, then state', async () => {
  const run = await cli(world, ['list']);
  const states = run.stdout.split('\n').slice(1, 7).map((line) => line.split(/\s+/)[3]);
  expect(states).toEqual(['in-use', 'in-use', 'in-use', 'in-use', 'kept', 'retained']);
});

test('drift shows the description, the tag and the target changed outside the stack', async () => {
  // WHEN the numbers are listed as JSON
  const run = await cli(world, ['list', '--json']);
  const sales = (JSON.parse(run.stdout) as { phoneNumber: string; drift: { drifted: boolean; fields: { field: string; status: string; detail?: string }[] } }[]).find(
    (entry) => entry.phoneNumber === SALES,
  )!;
  // THEN each of the three changes is drift, and the contact flow is unknown
  expect(sales.drift.drifted).toBe(true);
  expect(sales.drift.fields).toEqual([
    { field: 'description', status: 'drifted', detail: '"Changed in the console" (template: "Sales")' },
    { field: 'tags', status: 'drifted', detail: 'team=growth added' },
    { field: 'target', status: 'drifted', detail: expect.stringContaining(OTHER_INSTANCE_ID) },
    { field: 'contactFlow', status: 'unknown', detail: expect.stringContaining('does not report') },
  ]);
});

test('a number nobody changed shows no drift', async () => {
  const run = await cli(world, ['list']);
  expect(rowOf(run.stdout, SUPPORT)).toMatch(/no drift \(unknown: contactFlow\)$/);
});

test('JSON has the documented fields for every number', async () => {
  const run = await cli(world, ['list', '--json']);
  const entries = JSON.parse(run.stdout) as Record<string, unknown>[];
  expect(entries).toHaveLength(6);
  for (const entry of entries) {
    expect(Object.keys(entry)).toEqual(expect.arrayContaining(['phoneNumber', 'phoneNumberArn', 'stackName', 'logicalId', 'state', 'reason', 'drift']));
  }
  expect(entries.find((entry) => entry.phoneNumber === kept)).toMatchObject({
    state: 'kept',
    kept: { reason: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', takenBackOnNextDeploy: false },
    drift: null,
  });
});

test('--state shows only the numbers in those states', async () => {
  const run = await cli(world, ['list', '--state', 'kept,retained']);
  expect(run.stdout.trimEnd().split('\n').pop()).toBe('2 numbers: 0 in-use, 1 kept, 1 retained, 0 orphaned');
});

test('--stack with another stack name shows nothing', async () => {
  const run = await cli(world, ['list', '--stack', 'SomeOtherStack']);
  expect(run.stdout).toContain('No numbers of cdk-claimed-phone-number found.');
});

test('a number without the owner tag is not listed', async () => {
  // GIVEN a number claimed by hand
  world.emulator.claimOutOfBand({ phoneNumber: '+12065550115', instanceId: world.emulator.claimedNumbers()[0].instanceId });
  // WHEN listed THEN it is not there
  const run = await cli(world, ['list']);
  expect(run.stdout).not.toContain('+12065550115');
});

test('Connect throttling the describes is ridden out with the handler\'s backoff', async () => {
  // GIVEN Connect throttles the next three DescribePhoneNumber calls
  world.emulator.faults.add({ operation: 'DescribePhoneNumber', kind: 'throttle', times: 3 });
  // WHEN listed THEN every number is there
  const run = await cli(world, ['list']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('6 numbers: 4 in-use, 1 kept, 1 retained, 0 orphaned');
});

test('CloudFormation throttling the stack reads (HTTP 400 Throttling) is ridden out too', async () => {
  world.cloudFormation.throttle(3);
  const run = await cli(world, ['list']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('6 numbers: 4 in-use, 1 kept, 1 retained, 0 orphaned');
});

test('the stack is read once for all its numbers', async () => {
  const before = world.cloudFormation.calls.length;
  await cli(world, ['list']);
  const actions = world.cloudFormation.calls.slice(before).map((call) => call.action);
  expect(actions.sort()).toEqual(['DescribeStacks', 'GetTemplate', 'ListStackResources']);
});
