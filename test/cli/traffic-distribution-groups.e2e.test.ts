/**
 * Numbers claimed to a traffic distribution group: ListPhoneNumbersV2 without a target is documented to list
 * the numbers of instances only, so `list` also lists each group the templates in force name.
 */
import { CloudAssembly } from '../../harness';
import { startWorld, TDG_ARN, World } from '../e2e/world';
import { cli, removeAssembly, synthesizeCliApp } from './cli-world';

let assembly: CloudAssembly;
let world: World;

beforeAll(async () => {
  assembly = synthesizeCliApp();
  // GIVEN a Connect that lists no traffic distribution group's numbers without a target
  world = await startWorld(assembly, { emulator: { variants: { listWithoutTargetIncludesTdgNumbers: false } } });
  // AND a stack with a number on an instance and one on a traffic distribution group
  const [support, sales] = [world.logicalId('Support'), world.logicalId('Sales')];
  await world.stack.deployStack({ [support]: world.stack.declaredProperties(support), [sales]: world.stack.declaredProperties(sales) });
  world.emulator.configure({ rateLimit: false });
}, 240_000);

afterAll(async () => {
  await world?.close();
  removeAssembly(assembly);
});

test('a number on a traffic distribution group its template names is listed', async () => {
  // WHEN listed
  const run = await cli(world, ['list', '--json'], { deps: { pace: { requestsPerSecond: 1000, burst: 1000 } } });
  // THEN both numbers are in use, the group's one included
  const entries = JSON.parse(run.stdout) as { phoneNumber: string; state: string; target: string }[];
  expect(entries).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ phoneNumber: '+12065550100', state: 'in-use' }),
      expect.objectContaining({ phoneNumber: '+18335550101', state: 'in-use', target: TDG_ARN }),
    ]),
  );
  expect(entries).toHaveLength(2);
});

test('the group costs one more list call, and no number is described twice', async () => {
  const before = world.emulator.calls.length;
  await cli(world, ['list'], { deps: { pace: { requestsPerSecond: 1000, burst: 1000 } } });
  const calls = world.emulator.calls.slice(before);
  expect(calls.filter((call) => call.operation === 'ListPhoneNumbersV2').map((call) => call.input?.TargetArn)).toEqual([undefined, TDG_ARN]);
  expect(calls.filter((call) => call.operation === 'DescribePhoneNumber')).toHaveLength(2);
});
