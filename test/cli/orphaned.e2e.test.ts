/**
 * `list` after the owner's stack is gone: a stack deleted out from under a kept number (and a RETAIN one),
 * and numbers whose owner tag names a stack or nested stack that does not exist.
 */
import { CloudAssembly } from '../../harness';
import { INSTANCE_ID, startWorld, STACK_NAME, World } from '../e2e/world';
import { cli, playStates, removeAssembly, RETAINED_NUMBER, synthesizeCliApp } from './cli-world';

const OWNER = 'claimed-phone-number:owner';
const KEPT = 'claimed-phone-number:kept-by-rollback';
let assembly: CloudAssembly;
let world: World;
let kept: string;

beforeAll(async () => {
  assembly = synthesizeCliApp();
  world = await startWorld(assembly);
  // GIVEN a kept and a retained number in a stack
  ({ kept } = await playStates(world));
  // WHEN the stack is deleted
  const deleted = await world.stack.deleteStack();
  expect(deleted.status).toBe('DELETE_COMPLETE');
  world.emulator.configure({ rateLimit: false });
}, 240_000);

afterAll(async () => {
  await world?.close();
  removeAssembly(assembly);
});

const list = async (): Promise<({ phoneNumber: string; stackName: string; state: string; reason: string })[]> =>
  JSON.parse((await cli(world, ['list', '--json'], { deps: { pace: { requestsPerSecond: 1000, burst: 1000 } } })).stdout);

test('the number of a removed RETAIN resource is orphaned once its stack is deleted', async () => {
  const entry = (await list()).find((e) => e.phoneNumber === RETAINED_NUMBER);
  expect(entry).toMatchObject({ state: 'orphaned', reason: `Stack ${STACK_NAME} does not exist: nothing will take it back.` });
});

test('every number still tagged for the deleted stack is orphaned, the kept one included if the delete left it', async () => {
  const entries = (await list()).filter((e) => e.stackName === STACK_NAME);
  expect(entries.map((e) => e.state)).toEqual(entries.map(() => 'orphaned'));
  // The handler on main leaves the kept number claimed; a handler that releases kept numbers with the stack
  // (issue 19) leaves nothing to list for it.
  expect(world.emulator.claimedNumbers().some((n) => n.phoneNumber === kept)).toBe(entries.some((e) => e.phoneNumber === kept));
});

test('a number whose owner names a nested stack its root does not have is orphaned', async () => {
  // GIVEN a number kept for a nested stack path under a root that does not exist any more
  world.emulator.claimOutOfBand({
    phoneNumber: '+12065550112',
    instanceId: INSTANCE_ID,
    tags: { [OWNER]: `${STACK_NAME}/Nested1A2B/Support3C4D`, [KEPT]: 'parent:UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@2026-12-07T05:00:00.000Z' },
  });
  // WHEN listed THEN it is orphaned: the kept mark does not matter once nothing can take it back
  const entry = (await list()).find((e) => e.phoneNumber === '+12065550112');
  expect(entry).toMatchObject({ stackName: `${STACK_NAME}/Nested1A2B`, logicalId: 'Support3C4D', state: 'orphaned' });
});
