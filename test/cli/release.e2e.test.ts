/**
 * `release` end to end: a kept and a retained number left by the real sequences (cli-world.ts playStates),
 * released by the command in-process against the emulator and the CloudFormation stand-in.
 */
import { CloudAssembly } from '../../harness';
import { startWorld, World } from '../e2e/world';
import { releaseToken } from '../../cli/release-token';
import { cli as cliRun, CliRun, playStates, RunOptions, removeAssembly, RETAINED_NUMBER, synthesizeCliApp } from './cli-world';

const SUPPORT = '+12065550100';
let assembly: CloudAssembly;
let world: World;
let kept: string;

beforeAll(() => {
  assembly = synthesizeCliApp();
});
afterAll(() => removeAssembly(assembly));

const UNPACED = { pace: { requestsPerSecond: 1000, burst: 1000 } };
const cli = (w: World, argv: string[], options: RunOptions = {}): Promise<CliRun> => cliRun(w, argv, { ...options, deps: { ...UNPACED, ...options.deps } });
/** A release that Connect takes long enough to finish that a second run finds it still in progress. */
const slowReleases = () => world.emulator.configure({ releaseLatencyMs: 8000 });
const releaseCalls = () => world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber');
const isClaimed = (phoneNumber: string) => world.emulator.claimedNumbers().some((n) => n.phoneNumber === phoneNumber);

describe('without releasing anything', () => {
  beforeAll(async () => {
    // GIVEN a kept and a retained number next to the in-use ones
    world = await startWorld(assembly);
    ({ kept } = await playStates(world));
    // The state is set: the commands below need not wait on Connect's rate (the pacer has its own test).
    world.emulator.configure({ rateLimit: false });
  }, 240_000);
  afterAll(async () => {
    await world?.close();
  });

  test('a dry run shows what would be released and the cooldown and 200% rule, and releases nothing', async () => {
    // WHEN release runs as a dry run
    const run = await cli(world, ['release', '--state', 'kept,retained', '--dry-run']);
    // THEN it shows both numbers and the costs, and no release reached Connect
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Would release 2 numbers:');
    expect(run.stdout).toContain(kept);
    expect(run.stdout).toContain(RETAINED_NUMBER);
    expect(run.stdout).toMatch(/180 days.*200% rule/s);
    expect(run.stdout).toContain('Dry run: nothing was released.');
    expect(releaseCalls()).toHaveLength(0);
  });

  test('an answer other than yes at the prompt releases nothing', async () => {
    const run = await cli(world, ['release', '--state', 'kept'], { input: 'no\n', stdinIsTTY: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Type "yes" to go on');
    expect(run.stdout).toContain('Nothing was released.');
    expect(releaseCalls()).toHaveLength(0);
  });

  test('without a terminal to confirm on and without --yes, release refuses with exit code 2', async () => {
    const run = await cli(world, ['release', '--state', 'kept'], { input: 'yes\n', stdinIsTTY: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/stdin is not a terminal.*--yes/);
    expect(releaseCalls()).toHaveLength(0);
  });

  test('an in-use number named for release is refused with the reason, and nothing is released', async () => {
    const run = await cli(world, ['release', SUPPORT, kept, '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Refusing to release a number in use: ${SUPPORT} (Stack E2eNumbers holds it as ${world.logicalId('Support')}.)`);
    expect(releaseCalls()).toHaveLength(0);
    expect(isClaimed(kept)).toBe(true);
  });

  test('a number the library does not hold is bad input', async () => {
    const run = await cli(world, ['release', '+12065550111', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Not a number of cdk-claimed-phone-number in this account and Region: +12065550111.');
  });
});

describe('releasing', () => {
  beforeEach(async () => {
    world = await startWorld(assembly, { emulator: { variants: { releaseMode: 'asynchronous' }, releaseLatencyMs: 1500 } });
    ({ kept } = await playStates(world));
    world.emulator.configure({ rateLimit: false });
  }, 240_000);
  afterEach(async () => {
    await world?.close();
  });

  test('a confirmed release releases the kept and retained numbers, waits until Connect no longer knows them, and leaves the in-use ones', async () => {
    // WHEN the user confirms
    const run = await cli(world, ['release', '--state', 'kept,retained'], { input: 'yes\n', stdinIsTTY: true });
    // THEN both are released (and gone, not just requested), each with a ClientToken, and the in-use numbers stay
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${kept}  released`);
    expect(run.stdout).toContain(`${RETAINED_NUMBER}  released`);
    expect(isClaimed(kept) || isClaimed(RETAINED_NUMBER)).toBe(false);
    expect(world.emulator.numberByPhone(kept)?.status).not.toBe('IN_PROGRESS');
    expect(releaseCalls().map((call) => call.input?.ClientToken)).toEqual([expect.any(String), expect.any(String)]);
    expect(isClaimed(SUPPORT)).toBe(true);
  });

  test('a second run after an interrupted one finishes the release without requesting it again', async () => {
    // GIVEN a run that requested the release and stopped waiting before Connect finished it
    slowReleases();
    const first = await cli(world, ['release', kept, '--yes'], { deps: { releaseTiming: { pollMs: 100, waitMs: 200 } } });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('the release was requested; run the same command again');
    expect(world.emulator.numberByPhone(kept)?.status).toBe('IN_PROGRESS');
    // WHEN the same command runs again
    const second = await cli(world, ['release', kept, '--yes'], { deps: { releaseTiming: { pollMs: 100, waitMs: 20_000 } } });
    // THEN it waits for that release to finish: one release request in all, and the number is gone
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${kept}  released`);
    expect(releaseCalls()).toHaveLength(1);
    expect(isClaimed(kept)).toBe(false);
  });

  test('a second run after a release whose answer was lost finishes it without requesting it again', async () => {
    // GIVEN a run whose release reached Connect but whose answer was lost, with no time left to retry
    slowReleases();
    const arn = world.emulator.numberByPhone(RETAINED_NUMBER)!.arn;
    world.emulator.faults.add({ operation: 'ReleasePhoneNumber', kind: 'dropAfterWork' });
    const first = await cli(world, ['release', RETAINED_NUMBER, '--yes'], { deps: { retryForMs: 0 } });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`${RETAINED_NUMBER}  NOT RELEASED`);
    // WHEN the command runs again
    const second = await cli(world, ['release', RETAINED_NUMBER, '--yes'], { deps: { releaseTiming: { pollMs: 100, waitMs: 20_000 } } });
    // THEN it waits for the release Connect had started: one request in all, with the token derived from the ARN
    expect(second.code).toBe(0);
    expect(releaseCalls().map((call) => call.input?.ClientToken)).toEqual([releaseToken(arn)]);
    expect(isClaimed(RETAINED_NUMBER)).toBe(false);
  });

  test('a contact flow associated outside any template is disassociated when Connect refuses the release for it', async () => {
    // GIVEN a Connect that refuses to release a number with a flow, and a flow associated to the retained number in the console
    world.emulator.configure({ variants: { releaseInUseWhen: 'operationInProgressOrFlowAssociation' } });
    const retained = world.emulator.numberByPhone(RETAINED_NUMBER)!;
    world.emulator.addContactFlow(retained.instanceId!, 'ffffffff-0000-4000-8000-000000000001');
    world.emulator.associateFlowOutOfBand(retained.id, 'ffffffff-0000-4000-8000-000000000001');
    // WHEN it is released
    const run = await cli(world, ['release', RETAINED_NUMBER, '--yes']);
    // THEN the flow is removed first and the number released
    expect(run.code).toBe(0);
    expect(world.emulator.calls.filter((call) => call.operation === 'DisassociatePhoneNumberContactFlow')).toHaveLength(1);
    expect(isClaimed(RETAINED_NUMBER)).toBe(false);
  });
});
