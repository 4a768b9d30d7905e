/**
 * A property-based test: random sequences of CloudFormation requests and injected faults against one
 * logical resource, checking after every sequence that
 * - the resource holds at most one claimed number, and exactly the one CloudFormation thinks it has;
 * - that number is CLAIMED as declared (target, description, tags) and the attributes match Connect;
 * - a deleted resource leaves nothing claimed;
 * - a number the resource does not own is never released or changed.
 * Fixed seed and a bounded number of runs, so CI is repeatable and short.
 */
import * as fc from 'fast-check';
import { CloudAssembly } from '../../harness';
import { INSTANCE_ID, OTHER_INSTANCE_ID, startWorld, synthesizeE2eApp, TDG_ARN, World } from './world';

const OWNER = 'claimed-phone-number:owner';
const OPERATIONS = ['ClaimPhoneNumber', 'DescribePhoneNumber', 'UpdatePhoneNumber', 'UpdatePhoneNumberMetadata', 'TagResource', 'UntagResource', 'ReleasePhoneNumber', 'ListPhoneNumbersV2'];
const FAULTS = ['throttle', 'internalError', 'dropBeforeWork', 'dropAfterWork'] as const;
const FOREIGN_NUMBER = '+12065550999';

type Step =
  | { kind: 'describe'; description: string }
  | { kind: 'tags'; tags: { [key: string]: string } }
  | { kind: 'target'; target: 'instance' | 'other' | 'tdg' }
  | { kind: 'replace'; rollback: boolean }
  | { kind: 'rollback-last' }
  | { kind: 'redeliver-create' }
  | { kind: 'delete-and-recreate' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('describe' as const), description: fc.constantFrom('', 'Support', 'Support (24/7)') }),
  fc.record({ kind: fc.constant('tags' as const), tags: fc.dictionary(fc.constantFrom('team', 'tier', 'floor'), fc.constantFrom('a', 'b'), { maxKeys: 3 }) }),
  fc.record({ kind: fc.constant('target' as const), target: fc.constantFrom('instance' as const, 'other' as const, 'tdg' as const) }),
  fc.record({ kind: fc.constant('replace' as const), rollback: fc.boolean() }),
  fc.constant({ kind: 'rollback-last' as const }),
  fc.constant({ kind: 'redeliver-create' as const }),
  fc.constant({ kind: 'delete-and-recreate' as const }),
);
const faultArbitrary = fc.option(fc.record({ operation: fc.constantFrom(...OPERATIONS), kind: fc.constantFrom(...FAULTS) }), { nil: undefined });

let assembly: CloudAssembly;

beforeAll(() => {
  assembly = synthesizeE2eApp();
});

test('random event sequences with faults keep every invariant', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(stepArbitrary, faultArbitrary), { minLength: 2, maxLength: 4 }), async (steps) => {
      const world = await startWorld(assembly);
      try {
        await play(world, steps);
      } finally {
        await world.close();
      }
    }),
    { seed: 20261127, numRuns: 6, endOnFailure: true },
  );
}, 600_000);

async function play(world: World, steps: [Step, { operation: string; kind: (typeof FAULTS)[number] } | undefined][]): Promise<void> {
  const support = world.logicalId('Support');
  const foreign = world.emulator.claimOutOfBand({ phoneNumber: FOREIGN_NUMBER, instanceId: INSTANCE_ID, description: 'Not ours', tags: { owner: 'ops' } });
  let props: { [key: string]: unknown } = world.stack.declaredProperties(support);
  // A released number is in cooldown and cannot be claimed again: every new claim uses a fresh number.
  let fresh = 300;
  const freshNumber = () => `+1206555${String(fresh++).padStart(4, '0')}`;
  expect((await world.stack.create(support)).Status).toBe('SUCCESS');

  for (const [step, fault] of steps) {
    if (fault) world.emulator.faults.add(fault);
    const next = apply(step, props, freshNumber);
    switch (step.kind) {
      case 'replace': {
        const response = await world.stack.update(support, next);
        expect(response.Status).toBe('SUCCESS');
        if (step.rollback) {
          expect((await world.stack.rollbackUpdate(support)).Status).toBe('SUCCESS');
        } else {
          expect((await world.stack.cleanup()).every((r) => r.Status === 'SUCCESS')).toBe(true);
          props = next;
        }
        break;
      }
      case 'rollback-last': {
        // An update that a later failure rolls back.
        const changed = { ...props, PhoneNumberDescription: 'About to roll back' };
        expect((await world.stack.update(support, changed)).Status).toBe('SUCCESS');
        expect((await world.stack.rollbackUpdate(support)).Status).toBe('SUCCESS');
        break;
      }
      case 'redeliver-create': {
        // A duplicate delivery of a past Create (same RequestId) must not claim anything new.
        const first = world.stack.steps.find((record) => record.request.RequestType === 'Create');
        if (first) await world.stack.send(first.request);
        break;
      }
      case 'delete-and-recreate': {
        expect(await world.stack.delete(support)).toMatchObject({ Status: 'SUCCESS' });
        expect(world.emulator.claimedNumbers().filter((record) => record.tags[OWNER])).toHaveLength(0);
        props = { ...props, PhoneNumber: freshNumber() };
        expect((await world.stack.create(support, props)).Status).toBe('SUCCESS');
        break;
      }
      default: {
        expect((await world.stack.update(support, next)).Status).toBe('SUCCESS');
        props = next;
      }
    }
    world.emulator.faults.clear();
    checkInvariants(world, support, props, foreign);
  }

  expect(await world.stack.delete(support)).toMatchObject({ Status: 'SUCCESS' });
  expect(world.emulator.claimedNumbers().map((record) => record.phoneNumber)).toEqual([FOREIGN_NUMBER]);
  checkForeignUntouched(world, foreign);
}

function apply(step: Step, props: { [key: string]: unknown }, freshNumber: () => string): { [key: string]: unknown } {
  const { InstanceId: _i, TargetArn: _t, ...rest } = props;
  switch (step.kind) {
    case 'describe':
      return { ...props, PhoneNumberDescription: step.description || undefined };
    case 'tags':
      return { ...props, Tags: Object.keys(step.tags).length > 0 ? step.tags : undefined };
    case 'target':
      return step.target === 'tdg' ? { ...rest, TargetArn: TDG_ARN } : { ...rest, InstanceId: step.target === 'other' ? OTHER_INSTANCE_ID : INSTANCE_ID };
    case 'replace':
      return { ...props, PhoneNumber: freshNumber() };
    default:
      return props;
  }
}

function checkInvariants(world: World, logicalId: string, props: { [key: string]: unknown }, foreign: { arn: string }): void {
  const state = world.stack.state(logicalId)!;
  const owned = world.emulator.claimedNumbers().filter((record) => record.tags[OWNER] === `E2eNumbers/${logicalId}`);
  // At most one number per resource, and it is the one CloudFormation knows.
  expect(owned.map((record) => record.arn)).toEqual([state.physicalId]);
  const record = owned[0];
  expect(record.status).toBe('CLAIMED');
  expect(record.phoneNumber).toBe(props.PhoneNumber);
  expect(record.description ?? '').toBe(props.PhoneNumberDescription ?? '');
  const { [OWNER]: _owner, ...userTags } = record.tags;
  expect(userTags).toEqual(props.Tags ?? {});
  if (props.TargetArn) expect(record.targetArn).toBe(props.TargetArn);
  else expect(record.instanceId).toBe(props.InstanceId);
  expect(state.data).toMatchObject({ PhoneNumberArn: record.arn, PhoneNumberId: record.id, PhoneNumber: record.phoneNumber });
  checkForeignUntouched(world, foreign);
}

function checkForeignUntouched(world: World, foreign: { arn: string }): void {
  const now = world.emulator.numbers().find((record) => record.arn === foreign.arn);
  expect(now).toMatchObject({ status: 'CLAIMED', description: 'Not ours', tags: { owner: 'ops' } });
}
