/**
 * Property: no sequence of deploys, failures and rollbacks loses, leaks or swaps a number.
 *
 * Random sequences of whole-stack deploys over several resources (add a number or a search, change
 * description or tags, change the number or the search, move a construct in the tree, move a number to the
 * other instance, remove one, delete the stack), where any deploy can fail: through Connect (throttling, 5xx,
 * dropped connections before or after the work, a claim that ends FAILED), through a Lambda invocation that
 * dies before or after doing its work, or through an unrelated resource of the same deploy. CloudFormation
 * (the stack model, harness/cfn) then rolls back as it does. The requests go through the real aws-cdk-lib
 * Provider framework code from the synthesized asset and the handler's own code, in process and in virtual
 * time (harness/in-process-provider.ts), against the Connect emulator and the CloudFormation API stand-in
 * over HTTP with the real AWS SDK.
 *
 * Also: requests delivered again after the stack moved on (a Delete or an Update, as Lambda may deliver an
 * asynchronous event late or twice), CloudFormation faults on the handler's reads (throttling, AccessDenied,
 * a dropped connection), and, in the nested configuration, a nested stack whose root rolls back, is deleted or
 * removes it in a successful update.
 *
 * Invariants after every step:
 * - the stack never ends in UPDATE_ROLLBACK_FAILED, ROLLBACK_FAILED or DELETE_FAILED (a Lambda invocation that
 *   dies during a rollback stops it in reality too: then continuing the rollback, as an operator does, must
 *   complete it);
 * - no number is released while the stack rolls back;
 * - nothing leaks: every claimed number but the foreign one carries this stack's owner tag, and each one is
 *   the physical id of a resource the stack holds, or kept with a mark whose reason is a status the stack (or
 *   its root) went through, or STACK_STATUS_UNREADABLE after a CloudFormation fault (or it was claimed by an
 *   invocation that died before answering, which the next deploy of its resource takes back);
 * - a stack delete leaves no number of the stack claimed but kept ones that no Delete could find: kept for a
 *   resource the stack no longer had when the delete began, or kept because the stack could not be read;
 * - none is claimed twice: apart from its physical id, a resource the stack holds owns only numbers marked
 *   kept-by-rollback;
 * - every resource the stack holds has its number claimed, owned by it, and as its properties declare
 *   (number or search, target, description, tags);
 * - the foreign number (claimed by hand) is never touched.
 *
 * Seed and run count: SEED below and PROPERTY_RUNS (default 200), as README "Failure handling" states.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import fc from 'fast-check';
import { ConnectEmulator, DEFAULT_VARIANTS, eachVariantValue, EmulatorVariants, startConnectEmulator } from '../../emulator';
import { CloudAssembly, ModelVariants, Properties, StackSimulator } from '../../harness';
import { ParentStackStub } from '../../harness/cfn/parent-stack-stub';
import { CloudFormationApi, startCloudFormationApi } from '../../harness/cloudformation-api';
import { frameworkDirectory, InProcessProvider } from '../../harness/in-process-provider';
import { LambdaRunner } from '../../harness/lambda-runner';
import { Logger } from '../../lambda/logger';
import { ClaimedPhoneNumberHandler, DEFAULT_SETTINGS } from '../../lambda/phone-number-handler';
import { Clock } from '../../lambda/retry';
import { KeptReason, parseKeptMark } from '../../lib/shared/contract';
import { CloudFormationStackReader } from '../../lambda/stack-reader';
import { INSTANCE_ID, OTHER_INSTANCE_ID, STACK_NAME, synthesizeE2eApp, TDG_ID } from './world';

const SEED = 20261201;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const OWNER = 'claimed-phone-number:owner';
const HANDOVER = 'claimed-phone-number:handover-from';
const KEPT = 'claimed-phone-number:kept-by-rollback';
const KEPT_NUMBERS = 'claimed-phone-number:kept-numbers';
const FOREIGN = '+12065550111';
const LITERALS = ['+12065550100', '+12065550101', '+12065550102', '+12065550103', FOREIGN];
const PREFIXES = ['+1206555013', '+1206555012'];
const BAD_ENDS = ['UPDATE_ROLLBACK_FAILED', 'ROLLBACK_FAILED', 'DELETE_FAILED'];
const ROLLING_BACK = ['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'];
const CREDENTIALS = { accessKeyId: 'AKIDPROPERTYTEST', secretAccessKey: 'property-secret' };

type Mutation =
  | { kind: 'add'; search: boolean; pick: number }
  | { kind: 'describe'; target: number; text: string }
  | { kind: 'tag'; target: number; value: string }
  | { kind: 'renumber'; target: number; pick: number }
  | { kind: 'move'; target: number }
  | { kind: 'retarget'; target: number }
  | { kind: 'remove'; target: number };

type Fault =
  | { kind: 'none' }
  | { kind: 'unrelated'; after: number }
  | { kind: 'connect'; operation: string; fault: 'throttle' | 'internalError' | 'dropBeforeWork' | 'dropAfterWork' | 'claimFailed'; times: number }
  | { kind: 'invocation'; nth: number; when: 'before' | 'after' }
  | { kind: 'cloudFormation'; fault: 'throttle' | 'denied' | 'unreachable'; times: number };

type Step =
  | { kind: 'deploy'; mutations: Mutation[]; fault: Fault }
  | { kind: 'deleteStack'; fault: Fault }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'root'; does: 'rollback' | 'delete' | 'cleanup' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), search: fc.boolean(), pick: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('describe' as const), target: fc.nat(9), text: fc.constantFrom('', 'Main line', 'Night line') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tag' as const), target: fc.nat(9), value: fc.constantFrom('a', 'b') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renumber' as const), target: fc.nat(9), pick: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), target: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retarget' as const), target: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), target: fc.nat(9) }) },
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unrelated' as const), after: fc.nat(3) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('connect' as const),
      operation: fc.constantFrom('ClaimPhoneNumber', 'DescribePhoneNumber', 'UpdatePhoneNumber', 'TagResource', 'ReleasePhoneNumber', 'ListPhoneNumbersV2'),
      fault: fc.constantFrom('throttle' as const, 'internalError' as const, 'dropBeforeWork' as const, 'dropAfterWork' as const, 'claimFailed' as const),
      times: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invocation' as const), nth: fc.nat(6), when: fc.constantFrom('before' as const, 'after' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cloudFormation' as const),
      fault: fc.constantFrom('throttle' as const, 'denied' as const, 'unreachable' as const),
      times: fc.integer({ min: 1, max: 6 }),
    }),
  },
);
const deleteFault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cloudFormation' as const),
      fault: fc.constantFrom('throttle' as const, 'denied' as const, 'unreachable' as const),
      times: fc.integer({ min: 1, max: 6 }),
    }),
  },
);

const deploy = fc.record({ kind: fc.constant('deploy' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), fault });
const redeliver = fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat(1000) });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 9, arbitrary: deploy },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteStack' as const), fault: deleteFault }) },
  { weight: 2, arbitrary: redeliver },
);
/**
 * A nested stack's steps: deploys (the root's updates that update it), deliveries again, and its root rolling
 * back, being deleted, or removing it in a successful update (a nested stack is deleted only by its parent).
 */
const nestedStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: deploy },
  { weight: 2, arbitrary: redeliver },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('root' as const), does: fc.constantFrom('rollback' as const, 'delete' as const, 'cleanup' as const) }) },
);

/** What the runs exercised, so that the property cannot pass by testing nothing. */
const newTally = () => ({
  requests: 0,
  rollbacks: 0,
  keptNumbers: 0,
  releases: 0,
  accepted: 0,
  platformRecoveries: 0,
  stackDeletes: 0,
  redeliveries: 0,
  cloudFormationFaults: 0,
  rootEvents: 0,
});
type Tally = ReturnType<typeof newTally>;

let assembly: CloudAssembly;
let emulator: ConnectEmulator;
let cloudFormation: CloudFormationApi;

beforeAll(async () => {
  assembly = synthesizeE2eApp();
  emulator = await startConnectEmulator({
    claimLatencyMs: 300,
    updateLatencyMs: 300,
    metadataLatencyMs: 200,
    instances: [INSTANCE_ID, OTHER_INSTANCE_ID],
    trafficDistributionGroups: [TDG_ID],
    // A run makes more claims and releases than the default quotas allow; those rules have tests of their own.
    claimedNumberLimit: false,
    claimReleaseBudget: false,
  });
  cloudFormation = await startCloudFormationApi();
});

afterAll(async () => {
  await Promise.all([emulator?.close(), cloudFormation?.close()]);
});

/** Where Connect's or CloudFormation's behaviour is not documented, every plausible one (emulator/README.md, harness/cfn/stack-model.ts). */
const VARIANT_RUNS = Number(process.env.PROPERTY_VARIANT_RUNS ?? 25);
const NESTED_RUNS = Number(process.env.PROPERTY_NESTED_RUNS ?? 50);
type Configuration = { label: string; runs: number; emulator: Partial<EmulatorVariants>; stack: ModelVariants; nested?: boolean };
const CONFIGURATIONS: Configuration[] = [
  { label: 'Connect and CloudFormation as documented', runs: RUNS, emulator: {}, stack: {} },
  { label: 'a nested stack whose root rolls back, is deleted or removes it', runs: NESTED_RUNS, emulator: {}, stack: {}, nested: true },
  { label: 'CloudFormation records the new physical id of a FAILED update', runs: VARIANT_RUNS, emulator: {}, stack: { failedUpdatePhysicalId: 'record-new' } },
  { label: 'GetTemplate shows the previous template while updating', runs: VARIANT_RUNS, emulator: {}, stack: { templateWhileUpdating: 'previous' } },
  ...eachVariantValue().map((choice) => ({ label: `Connect variant ${choice.label}`, runs: VARIANT_RUNS, emulator: choice.combination, stack: {} })),
];

describe.each(CONFIGURATIONS)('$label', (configuration) => {
  test(`no sequence of deploys, failures and rollbacks loses, leaks or swaps a number (${configuration.runs} runs, seed ${SEED})`, async () => {
    const exercised = newTally();
    await fc.assert(
      fc.asyncProperty(fc.array(configuration.nested ? nestedStep : step, { minLength: 2, maxLength: 8 }), fc.integer(), async (steps, rngSeed) => {
        await playRun(steps, rngSeed, configuration, exercised);
      }),
      { seed: SEED, numRuns: configuration.runs, endOnFailure: true },
    );
    // The runs played real rollbacks that kept numbers, and real deletes that released them.
    console.log(`rollback property (${configuration.label}): ${JSON.stringify(exercised)}`);
    expect(exercised.rollbacks).toBeGreaterThan(configuration.runs / 4);
    expect(exercised.keptNumbers).toBeGreaterThan(0);
    expect(exercised.releases).toBeGreaterThan(0);
    expect(exercised.redeliveries).toBeGreaterThan(0);
    if (configuration.nested) expect(exercised.rootEvents).toBeGreaterThan(0);
  }, 20 * 60_000);
});

/** What a run went through, for the invariants: which kept reasons are explained, which numbers may be unmarked. */
interface RunHistory {
  /** Statuses the stack went through, and `parent:<status>` for its root's. */
  readonly reasons: Set<string>;
  /** A CloudFormation fault was injected: STACK_STATUS_UNREADABLE is explained. */
  cloudFormationFaulted: boolean;
  /** Numbers claimed by an invocation that died before it answered: owned, not held, unmarked until taken back. */
  readonly unanswered: Set<string>;
  /** An invocation died in the run (after which an incomplete handover may stay until the next update). */
  invocationDied: boolean;
}

/** One run: a fresh account and stack, the steps, the invariants after each. */
async function playRun(steps: Step[], rngSeed: number, configuration: Configuration, exercised: Tally): Promise<void> {
  emulator.reset();
  emulator.configure({ claimedNumberLimit: false, claimReleaseBudget: false, variants: { ...DEFAULT_VARIANTS, ...configuration.emulator } });
  emulator.claimOutOfBand({ phoneNumber: FOREIGN, instanceId: INSTANCE_ID, description: 'Console', tags: { owner: 'ops' } });
  cloudFormation.clearFaults();
  const foreignBefore = JSON.stringify(emulator.numberByPhone(FOREIGN));
  const world = newStack(rngSeed, configuration);
  const history: RunHistory = { reasons: new Set(), cloudFormationFaulted: false, unanswered: new Set(), invocationDied: false };
  let template: { [logicalId: string]: Properties } = {};
  let nextId = 0;
  for (const s of steps) {
    /** The logical ids the stack held when a delete that lets everything go began. */
    let deletedFrom: Set<string> | undefined;
    let faultInStep = false;
    const exists = world.stack.status !== undefined && world.stack.status !== 'DELETE_COMPLETE';
    if (s.kind === 'deleteStack') {
      if (exists) {
        deletedFrom = new Set(world.stack.model.resources().map((r) => r.logicalId));
        faultInStep = world.arm(s.fault, history);
        await world.stack.deleteStack();
        world.disarm();
        template = {};
      }
      exercised.stackDeletes += 1;
    } else if (s.kind === 'root') {
      if (exists) {
        const before = new Set(world.stack.model.resources().map((r) => r.logicalId));
        world.root!.status = s.does === 'rollback' ? 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' : s.does === 'delete' ? 'DELETE_IN_PROGRESS' : 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
        history.reasons.add(`parent:${world.root!.status}`);
        await world.stack.deleteStack();
        world.root!.status = 'UPDATE_IN_PROGRESS';
        deletedFrom = s.does === 'rollback' ? undefined : before;
        template = {};
        exercised.rootEvents += 1;
      }
    } else if (s.kind === 'redeliver') {
      // A Delete or an Update of this stack delivered again, now that the stack has moved on.
      const candidates = world.stack.steps.filter((st) => st.request.RequestType !== 'Create' && st.request.StackId === world.stack.stackId);
      if (candidates.length > 0) {
        await world.stack.send(candidates[s.pick % candidates.length].request);
        exercised.redeliveries += 1;
      }
    } else {
      const desired = applyMutations(world.stack, template, s.mutations, () => `Number${nextId++}`);
      faultInStep = world.arm(s.fault, history);
      const result = await world.stack.deployStack(desired, s.fault.kind === 'unrelated' ? { failUnrelatedAfter: s.fault.after } : {});
      world.disarm();
      if (result.status === 'CREATE_COMPLETE' || result.status === 'UPDATE_COMPLETE') {
        template = desired;
      }
      exercised.platformRecoveries += await recoverFromPlatformFault(world.stack, s.fault);
    }
    for (const change of world.stack.statusHistory) history.reasons.add(change.status);
    if (s.kind === 'deploy' && s.fault.kind === 'invocation') {
      history.invocationDied = true;
      world.recordUnanswered(history);
    }
    checkInvariants(world, foreignBefore, s, history, deletedFrom, faultInStep);
  }
  exercised.requests += world.stack.steps.length;
  exercised.rollbacks += world.stack.statusHistory.filter((change) => /ROLLBACK_IN_PROGRESS$/.test(change.status)).length;
  exercised.keptNumbers += emulator.numbers().filter((n) => n.tags[KEPT]).length;
  exercised.releases += world.connectCalls.filter((call) => call.operation === 'ReleasePhoneNumberCommand').length;
  exercised.accepted += world.stack.steps.filter((st) => st.response.Status === 'SUCCESS').length;
  exercised.cloudFormationFaults += history.cloudFormationFaulted ? 1 : 0;
}

/** The owner scope of the nested configuration's stack: its root's name and the nested stack's logical id. */
const NESTED_SCOPE = 'Root/NumbersNestedStackNumbersNestedStackResource1A2B3C4D';

function newStack(rngSeed: number, configuration: Configuration) {
  let random = rngSeed >>> 0 || 1;
  const clock: Clock = {
    now: () => emulator.now(),
    sleep: async (ms) => {
      emulator.advanceClock(Math.max(0, Math.round(ms)));
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: () => {
      // xorshift32: the handler's backoff jitter, reproducible from the run's seed.
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      return (random >>> 0) / 2 ** 32;
    },
  };
  const root = configuration.nested ? new ParentStackStub('Root', 'UPDATE_IN_PROGRESS') : undefined;
  if (root) cloudFormation.register(root);
  const connectCalls: { operation: string; stackStatus: string | undefined; rootStatus: string | undefined }[] = [];
  const connect = new ConnectClient({ region: 'us-east-1', endpoint: emulator.url, credentials: CREDENTIALS, maxAttempts: 1 });
  const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: cloudFormation.url, credentials: CREDENTIALS, maxAttempts: 1 });
  // The stack is made below, after the provider it needs; the middleware reads its status at call time.
  const current: { stack?: StackSimulator } = {};
  connect.middlewareStack.add(
    (next, context) => async (args) => {
      connectCalls.push({ operation: String(context.commandName), stackStatus: current.stack?.status, rootStatus: root?.currentStatus });
      return next(args);
    },
    { step: 'initialize', name: 'recordStackStatus' },
  );
  const logger = new Logger({}, () => undefined);
  let failInvocation: { nth: number; when: 'before' | 'after' } | undefined;
  let invocations = 0;
  const spec = assembly.claimedNumbers(STACK_NAME)[0].provider;
  const settings = { ...DEFAULT_SETTINGS, ...(root ? { ownerScope: NESTED_SCOPE } : {}) };
  const provider = new InProcessProvider(frameworkDirectory(assembly, STACK_NAME, spec), spec, {
    newHandler: () => new ClaimedPhoneNumberHandler(connect, logger, settings, clock, (scope, c, log, deadline) => new CloudFormationStackReader(cfn, scope, c, log, deadline)),
    time: clock,
    onEventTimeoutSeconds: 14 * 60,
    isCompleteTimeoutSeconds: 120,
    failInvocation: () => (failInvocation && invocations++ === failInvocation.nth ? failInvocation.when : undefined),
  });
  const stack = new StackSimulator(assembly, STACK_NAME, new LambdaRunner({ environment: {} }), {
    provider,
    ...configuration.stack,
    ...(root ? { deployedName: 'Root-NumbersNestedStackNumbersNes-1A2B3C4D5E6F', nesting: { parentId: root.stackId, rootId: root.stackId } } : {}),
  });
  current.stack = stack;
  cloudFormation.register(stack);
  if (root) root.follow = () => stack.status;
  return {
    stack,
    root,
    connectCalls,
    ownerPrefix: root ? `${NESTED_SCOPE}/` : `${STACK_NAME}/`,
    /** Injects the step's fault; true when it is one that may leave a number unmarked or kept as unreadable. */
    arm(f: Fault, history: RunHistory): boolean {
      invocations = 0;
      failInvocation = f.kind === 'invocation' ? { nth: f.nth, when: f.when } : undefined;
      if (f.kind === 'connect') {
        emulator.faults.add({ operation: f.operation, kind: f.fault, times: f.times });
      }
      if (f.kind === 'cloudFormation') {
        history.cloudFormationFaulted = true;
        if (f.fault === 'throttle') cloudFormation.throttle(f.times);
        if (f.fault === 'denied') cloudFormation.addFault({ code: 'AccessDenied', message: 'explicit deny in a service control policy', httpStatus: 403, times: f.times });
        if (f.fault === 'unreachable') cloudFormation.addFault({ drop: true, times: f.times });
      }
      return f.kind === 'cloudFormation' || f.kind === 'invocation';
    },
    disarm() {
      failInvocation = undefined;
      emulator.faults.clear();
      cloudFormation.clearFaults();
    },
    /** After an invocation died: the numbers it may have claimed without answering (owned, not held, unmarked). */
    recordUnanswered(history: RunHistory) {
      const held = new Set(stack.model.resources().map((r) => r.physicalId));
      for (const n of liveNumbers()) {
        if (n.tags[OWNER]?.startsWith(this.ownerPrefix) && !held.has(n.arn) && !n.tags[KEPT]) history.unanswered.add(n.arn);
      }
    },
  };
}

/** Numbers claimed now; a release in progress (an emulator variant: Connect may release asynchronously) is a release. */
function liveNumbers() {
  return emulator.numbers().filter((n) => n.status === 'CLAIMED' || (n.status === 'IN_PROGRESS' && n.pending?.kind !== 'release'));
}

/**
 * A Lambda invocation that dies during a rollback fails that rollback step in reality too (the framework
 * answers FAILED; nothing retries it), and the stack stops in UPDATE_ROLLBACK_FAILED or ROLLBACK_FAILED. An
 * operator then continues the rollback (or deletes the stack again), and that must complete: every handler
 * decision is idempotent. Only an injected invocation death may cause this; a Connect fault or the handler's
 * own decisions never may (checkInvariants fails on any *_FAILED status left).
 */
async function recoverFromPlatformFault(stack: StackSimulator, f: Fault): Promise<number> {
  if (f.kind !== 'invocation') return 0;
  if (stack.status === 'UPDATE_ROLLBACK_FAILED') {
    await stack.continueUpdateRollback();
    return 1;
  }
  if (stack.status === 'ROLLBACK_FAILED' || stack.status === 'DELETE_FAILED') {
    await stack.deleteStack();
    return 1;
  }
  return 0;
}

/** The next template: the last one deployed with the step's changes. */
function applyMutations(
  stack: StackSimulator,
  current: { [logicalId: string]: Properties },
  mutations: Mutation[],
  newId: () => string,
): { [logicalId: string]: Properties } {
  const next: { [logicalId: string]: Properties } = JSON.parse(JSON.stringify(current));
  const literalTemplate = 'Support';
  const pickId = (target: number) => {
    const ids = Object.keys(next);
    return ids.length > 0 ? ids[target % ids.length] : undefined;
  };
  for (const m of mutations) {
    if (m.kind === 'add') {
      const id = newId();
      const props: Properties = m.search
        ? { PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: PREFIXES[m.pick % PREFIXES.length], InstanceId: INSTANCE_ID }
        : { PhoneNumber: LITERALS[m.pick % LITERALS.length], InstanceId: INSTANCE_ID };
      stack.addResource(id, templateLogicalId(stack, literalTemplate), props);
      next[id] = props;
      continue;
    }
    const id = pickId(m.target);
    if (!id) continue;
    const props = next[id];
    switch (m.kind) {
      case 'describe':
        next[id] = { ...props, PhoneNumberDescription: m.text || undefined };
        break;
      case 'tag':
        next[id] = { ...props, Tags: { team: m.value } };
        break;
      case 'renumber':
        next[id] = props.PhoneNumberPrefix
          ? { ...props, PhoneNumberPrefix: PREFIXES[m.pick % PREFIXES.length] }
          : { ...props, PhoneNumber: LITERALS[m.pick % LITERALS.length] };
        break;
      case 'move': {
        const moved = newId();
        stack.addResource(moved, templateLogicalId(stack, literalTemplate), props);
        delete next[id];
        next[moved] = props;
        break;
      }
      case 'retarget':
        next[id] = { ...props, InstanceId: props.InstanceId === INSTANCE_ID ? OTHER_INSTANCE_ID : INSTANCE_ID };
        break;
      case 'remove':
        delete next[id];
        break;
    }
  }
  // JSON round trip drops undefined members, as a template does.
  return JSON.parse(JSON.stringify(next));
}

function templateLogicalId(stack: StackSimulator, constructId: string): string {
  const found = stack.logicalIds().find((id) => id.startsWith(constructId));
  if (!found) throw new Error(`No ${constructId} in the e2e stack`);
  return found;
}

function checkInvariants(
  world: ReturnType<typeof newStack>,
  foreignBefore: string,
  s: Step,
  history: RunHistory,
  deletedFrom: Set<string> | undefined,
  faultInStep: boolean,
): void {
  const { stack } = world;
  const requests = () =>
    stack.steps
      .slice(-8)
      .map((st) => `${st.request.RequestType} ${st.request.LogicalResourceId} in ${st.stackStatus}: ${st.response.Status} ${st.response.Reason?.split('\n')[0] ?? ''}`)
      .join(' | ');
  const context = () =>
    `after ${JSON.stringify(s)}; stack ${stack.status}; last requests: ${requests()}; numbers ${JSON.stringify(
      emulator.numbers().filter((n) => n.status !== 'RELEASED').map((n) => ({ n: n.phoneNumber, s: n.status, i: n.instanceId, d: n.description, t: n.tags })),
    )}`;
  const fail = (what: string) => {
    throw new Error(`${what} — ${context()}`);
  };
  if (BAD_ENDS.includes(String(stack.status))) fail(`the stack ended in ${stack.status}`);
  const releasedInRollback = world.connectCalls.filter(
    (call) => call.operation === 'ReleasePhoneNumberCommand' && (ROLLING_BACK.includes(String(call.stackStatus)) || ROLLING_BACK.includes(String(call.rootStatus))),
  );
  if (releasedInRollback.length > 0) fail('a number was released while the stack (or its root) rolled back');
  if (JSON.stringify(emulator.numberByPhone(FOREIGN)) !== foreignBefore) fail('the foreign number was touched');

  const prefix = world.ownerPrefix;
  const live = liveNumbers();
  for (const n of live) {
    if (n.phoneNumber !== FOREIGN && !n.tags[OWNER]?.startsWith(prefix)) fail(`${n.phoneNumber} is claimed without this stack's owner tag (a leak)`);
  }
  const held = stack.model.resources().filter((r) => r.physicalId?.includes(':phone-number/'));
  const heldIds = new Set(held.map((r) => r.physicalId));
  for (const r of held) {
    const n = emulator.numbers().find((candidate) => candidate.arn === r.physicalId);
    if (!n || n.status !== 'CLAIMED') fail(`${r.logicalId}'s number ${r.physicalId} is not claimed (${n?.status})`);
    // A handover tag may linger when the cleanup Delete of the resource it names died: that resource is gone, so
    // the number is this one's alone (the handler reads it so); the next update removes the tag.
    const lingeringHandover = n!.tags[HANDOVER] !== undefined && held.some((other) => other.logicalId === n!.tags[HANDOVER]);
    // A handover whose Create died after its tag call and before it answered never completed: the sibling it names
    // is not in the stack with this number, so the number is still this resource's (custody.ts reads it so), and
    // the next update of the resource takes its tags back.
    const diedHandover =
      history.invocationDied &&
      n!.tags[HANDOVER] === r.logicalId &&
      !held.some((other) => `${prefix}${other.logicalId}` === n!.tags[OWNER] && other.physicalId === n!.arn);
    const owned = n!.tags[OWNER] === `${prefix}${r.logicalId}` || diedHandover;
    if (!owned || (lingeringHandover && !diedHandover) || n!.tags[KEPT]) fail(`${r.logicalId}'s number is not owned by it alone: ${JSON.stringify(n!.tags)}`);
    const p = r.properties as { [key: string]: string | undefined };
    const matches = p.PhoneNumberPrefix ? n!.phoneNumber.startsWith(p.PhoneNumberPrefix) : n!.phoneNumber === p.PhoneNumber;
    if (!matches) fail(`${r.logicalId} holds ${n!.phoneNumber}, which its properties do not declare`);
    if (n!.instanceId !== p.InstanceId) fail(`${r.logicalId}'s number is on ${n!.instanceId}, not ${p.InstanceId}`);
    // Under the variants where Connect does not clear a description given as '', the previous one stays.
    const clears = emulator.variants.emptyDescriptionUpdate === 'clears';
    if ((n!.description ?? '') !== (p.PhoneNumberDescription ?? '') && (clears || p.PhoneNumberDescription)) fail(`${r.logicalId}'s description is ${n!.description}`);
    const userTags = Object.fromEntries(Object.entries(n!.tags).filter(([key]) => ![OWNER, HANDOVER, KEPT, KEPT_NUMBERS].includes(key)));
    if (JSON.stringify(userTags) !== JSON.stringify((r.properties as { Tags?: unknown }).Tags ?? {})) fail(`${r.logicalId}'s tags are ${JSON.stringify(userTags)}`);
  }
  for (const n of live) {
    if (n.phoneNumber === FOREIGN || heldIds.has(n.arn)) continue;
    const owner = n.tags[OWNER]?.slice(prefix.length);
    const mark = n.tags[KEPT];
    if (!mark) {
      // Only an invocation that died after its claim, before answering, leaves a number this way.
      if (!history.unanswered.has(n.arn)) fail(`${n.phoneNumber} (owner ${owner}) is claimed, held by no resource and not marked kept (a silent leak)`);
      if (held.some((r) => r.logicalId === owner)) fail(`${owner} owns ${n.phoneNumber} besides its own number, unmarked (claimed twice)`);
      continue;
    }
    const { reason } = parseKeptMark(mark);
    const explained = reason === KeptReason.STACK_UNREADABLE ? history.cloudFormationFaulted : history.reasons.has(reason);
    if (!explained) fail(`${n.phoneNumber} is kept for ${reason}, which nothing in the run explains`);
    // A delete that lets everything go releases what was kept for the resources it deletes: what is left was kept
    // for a resource the stack no longer had (nothing can find it: README), or the stack could not be read.
    if (deletedFrom && !faultInStep && deletedFrom.has(owner ?? '') && !history.unanswered.has(n.arn)) {
      fail(`the delete left ${n.phoneNumber}, kept for ${owner} (${reason}), which the stack still had when the delete began`);
    }
  }
}
