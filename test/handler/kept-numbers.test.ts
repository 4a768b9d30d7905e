import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { PROGRESS_KEY } from '../../lambda/progress';
import {
  capturingLogger,
  context,
  deleteEvent,
  FakeClock,
  FakeStack,
  KEPT_NUMBERS_TAG,
  KEPT_TAG,
  LOGICAL_ID,
  NUMBER_ARN,
  NUMBER_ID,
  OWNER_TAG,
  PROPS,
  SETTINGS,
  summary,
  updateEvent,
  withProgress,
} from './fixtures';

const connect = mockClient(ConnectClient);
const MY_TAG = `Numbers/${LOGICAL_ID}`;
const KEPT_ID = '99999999-9999-4999-8999-999999999999';
const KEPT_ARN = NUMBER_ARN.replace(NUMBER_ID, KEPT_ID);
const HELD_ID = '77777777-7777-4777-8777-777777777777';
const HELD_ARN = NUMBER_ARN.replace(NUMBER_ID, HELD_ID);

let stack: FakeStack;
let lines: string[];
let handler: ClaimedPhoneNumberHandler;
let clock: FakeClock;

function handlerWith(settings = SETTINGS): ClaimedPhoneNumberHandler {
  const captured = capturingLogger();
  lines = captured.lines;
  return new ClaimedPhoneNumberHandler(new ConnectClient({}), captured.logger, settings, clock, (scope) => stack.forRequest(scope));
}

function connectHolds(...summaries: ReturnType<typeof summary>[]): void {
  for (const held of summaries) {
    connect.on(DescribePhoneNumberCommand, { PhoneNumberId: held.PhoneNumberArn }).resolves({ ClaimedPhoneNumberSummary: held });
  }
}

const warnings = () => lines.map((line) => JSON.parse(line) as { [key: string]: unknown }).filter((entry) => entry.level === 'WARN');

beforeEach(() => {
  connect.reset();
  connect.on(DescribePhoneNumberCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  stack = new FakeStack();
  clock = new FakeClock();
  handler = handlerWith();
});

describe('a kept number is never silent', () => {
  test('a keep writes one WARN line with the number, the reason, what to do and an embedded metric', async () => {
    // GIVEN a Delete during a rollback of the number this resource holds
    stack.status_ = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    connectHolds(summary());
    // WHEN it is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN one WARN line names the number and reason, says what to do, and carries a NumbersKept metric by stack and reason
    const [warning] = warnings();
    expect(warning).toMatchObject({
      phoneNumberArn: NUMBER_ARN,
      reason: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      StackName: 'Numbers',
      Reason: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      NumbersKept: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'ClaimedPhoneNumber', Dimensions: [['StackName'], ['StackName', 'Reason']], Metrics: [{ Name: 'NumbersKept', Unit: 'Count' }] }] },
    });
    expect(String(warning.whatToDo)).toMatch(/cdk-claimed-phone-number release/);
  });

  test('a keep for an unreadable stack is logged at ERROR as well, naming the cause', async () => {
    // GIVEN CloudFormation denies the reads
    stack.failure = Object.assign(new Error('not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' });
    connectHolds(summary());
    // WHEN the Delete is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN an ERROR line says the stack could not be read, and the kept mark says so too
    expect(lines.map((line) => JSON.parse(line) as { level: string; message: string }).some((entry) => entry.level === 'ERROR' && /Could not read the stack/.test(entry.message))).toBe(true);
    const tags = connect.commandCalls(TagResourceCommand, { resourceArn: NUMBER_ARN })[0].args[0].input.tags!;
    expect(tags[KEPT_TAG]).toMatch(/^STACK_STATUS_UNREADABLE@/);
  });
});

describe('late and forged Deletes', () => {
  test('a Delete that names the number the stack holds for this logical id leaves it untouched', async () => {
    // GIVEN the stack is UPDATE_COMPLETE and holds this ARN for this logical id
    stack.status_ = 'UPDATE_COMPLETE';
    stack.physicalIds.set(LOGICAL_ID, NUMBER_ARN);
    connectHolds(summary());
    // WHEN a Delete for it arrives (stale, or from anyone allowed to invoke the function)
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN nothing is released, tagged or marked, and the Delete is done
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });

  test("a rollback cleanup's Delete delivered after UPDATE_ROLLBACK_COMPLETE keeps the number and notes it on the held one", async () => {
    // GIVEN the stack rolled back to HELD_ARN, and the Delete of the failed replacement's number arrives late
    stack.status_ = 'UPDATE_ROLLBACK_COMPLETE';
    stack.physicalIds.set(LOGICAL_ID, HELD_ARN);
    connectHolds(summary({ PhoneNumberArn: KEPT_ARN, PhoneNumberId: KEPT_ID }), summary({ PhoneNumberArn: HELD_ARN, PhoneNumberId: HELD_ID }));
    // WHEN it is handled
    await handler.onEvent(deleteEvent(KEPT_ARN), context());
    // THEN the number is kept with the status as reason, and its id is noted on the number the resource holds
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: KEPT_ARN })[0].args[0].input.tags![KEPT_TAG]).toMatch(/^UPDATE_ROLLBACK_COMPLETE@/);
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: HELD_ARN })[0].args[0].input.tags).toEqual({ [KEPT_NUMBERS_TAG]: KEPT_ID });
  });
});

describe('late Updates and unreadable stacks', () => {
  test('an Update delivered after the stack moved on changes nothing', async () => {
    // GIVEN the stack is UPDATE_COMPLETE and the Update would change the description
    stack.status_ = 'UPDATE_COMPLETE';
    connectHolds(summary());
    // WHEN a stale Update arrives
    const result = await handler.onEvent(updateEvent({ ...PROPS, PhoneNumberDescription: 'Stale' }), context());
    // THEN Connect is not asked to change anything, and the answer keeps the physical id
    expect(connect.commandCalls(UpdatePhoneNumberMetadataCommand)).toHaveLength(0);
    expect(connect.commandCalls(DescribePhoneNumberCommand)).toHaveLength(0);
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
  });

  test('an Update that needs a new number while the stack cannot be read fails before claiming', async () => {
    // GIVEN CloudFormation denies the reads and the declared number is not one this resource holds
    stack.failure = Object.assign(new Error('explicit deny'), { name: 'AccessDenied' });
    connectHolds(summary());
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    // WHEN an Update to another number arrives
    const outcome = handler.onEvent(updateEvent({ ...PROPS, PhoneNumber: '+12065550199' }), context());
    // THEN it fails, naming the cause, and nothing is claimed
    await expect(outcome).rejects.toThrow(/could not be read/);
    expect(connect.commandCalls(ClaimPhoneNumberCommand)).toHaveLength(0);
  });
});

describe('a stack delete releases what rollbacks kept', () => {
  test('the Delete of the held number releases the kept numbers noted on it first', async () => {
    // GIVEN the stack is being deleted, and the number it holds notes a number kept by an earlier rollback
    stack.status_ = 'DELETE_IN_PROGRESS';
    connectHolds(
      summary({ Tags: { [OWNER_TAG]: MY_TAG, [KEPT_NUMBERS_TAG]: KEPT_ID } }),
      summary({ PhoneNumberArn: KEPT_ARN, PhoneNumberId: KEPT_ID, Tags: { [OWNER_TAG]: MY_TAG, [KEPT_TAG]: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@2026-12-01T00:00:00.000Z' } }),
    );
    // WHEN the Delete is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN both are released, the kept one first
    expect(connect.commandCalls(ReleasePhoneNumberCommand).map((call) => call.args[0].input.PhoneNumberId)).toEqual([KEPT_ARN, NUMBER_ARN]);
  });

  test('a noted number that was taken back into use (no kept mark) is not released', async () => {
    // GIVEN the noted number carries no kept mark any more: a later deploy took it back
    stack.status_ = 'DELETE_IN_PROGRESS';
    connectHolds(
      summary({ Tags: { [OWNER_TAG]: MY_TAG, [KEPT_NUMBERS_TAG]: KEPT_ID } }),
      summary({ PhoneNumberArn: KEPT_ARN, PhoneNumberId: KEPT_ID, Tags: { [OWNER_TAG]: 'Numbers/Other' } }),
    );
    // WHEN the Delete is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN only the deleted resource's own number is released
    expect(connect.commandCalls(ReleasePhoneNumberCommand).map((call) => call.args[0].input.PhoneNumberId)).toEqual([NUMBER_ARN]);
  });

  test('the cleanup of a replacement moves the kept list to the new number instead of releasing it', async () => {
    // GIVEN a successful replacement: the logical id holds HELD_ARN now, and the old number notes a kept one
    stack.status_ = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    stack.physicalIds.set(LOGICAL_ID, HELD_ARN);
    connectHolds(
      summary({ Tags: { [OWNER_TAG]: MY_TAG, [KEPT_NUMBERS_TAG]: KEPT_ID } }),
      summary({ PhoneNumberArn: HELD_ARN, PhoneNumberId: HELD_ID }),
    );
    // WHEN the cleanup Delete of the old number is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN only the old number is released, and the new one notes the kept number
    expect(connect.commandCalls(ReleasePhoneNumberCommand).map((call) => call.args[0].input.PhoneNumberId)).toEqual([NUMBER_ARN]);
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: HELD_ARN })[0].args[0].input.tags).toEqual({ [KEPT_NUMBERS_TAG]: KEPT_ID });
  });
});

describe('reads of the stack', () => {
  test('isComplete waits for a release without reading the stack again', async () => {
    // GIVEN onEvent decided to release (the plan travels in the progress), and Connect shows the release in progress
    connect.on(DescribePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN }).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) });
    const progress = { waitFor: 'RELEASED' as const, startedAt: clock.now(), deadline: clock.now() + 60_000, delete: { release: [NUMBER_ARN] } };
    // WHEN isComplete polls for a while
    await handler.isComplete(withProgress(deleteEvent(), NUMBER_ARN, progress), context(20_000));
    // THEN it never read the stack
    expect(stack.reads).toBe(0);
  });
});

describe('nested stacks', () => {
  const nestedStackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root-NumbersNestedStackResourceA1B2-XYZ123/5b7e1c80-0000-4000-8000-000000000009';
  const scope = 'Root/NumbersNestedStackNumbersNestedStackResourceA1B2C3D4';

  test("a number tagged by 0.2.0 with the nested stack's generated name is this resource's, and is retagged with the scope", async () => {
    // GIVEN the handler of a nested stack with an owner scope, and a number tagged with the stack's generated name
    handler = handlerWith({ ...SETTINGS, ownerScope: scope });
    stack.status_ = 'UPDATE_IN_PROGRESS';
    const legacy = summary({ Tags: { [OWNER_TAG]: `Root-NumbersNestedStackResourceA1B2-XYZ123/${LOGICAL_ID}`, team: 'support' } });
    connectHolds(legacy);
    const event = { ...updateEvent(PROPS), StackId: nestedStackId };
    // WHEN an Update in place arrives
    await handler.onEvent(event, context());
    // THEN the number is taken into use with the scope's owner tag
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: NUMBER_ARN })[0].args[0].input.tags).toEqual({ [OWNER_TAG]: `${scope}/${LOGICAL_ID}` });
  });

  test('a nested stack deleted while its parent rolls back keeps its number, marked with the parent status', async () => {
    // GIVEN the nested stack is DELETE_IN_PROGRESS because its parent's failed update had added it
    stack.status_ = 'DELETE_IN_PROGRESS';
    stack.parents = ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'];
    connectHolds(summary());
    // WHEN the Delete is handled
    await handler.onEvent(deleteEvent(), context());
    // THEN the number is kept
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: NUMBER_ARN })[0].args[0].input.tags![KEPT_TAG]).toMatch(/^parent:UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@/);
  });
});

