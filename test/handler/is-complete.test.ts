import { ConnectClient, DescribePhoneNumberCommand, UpdatePhoneNumberCommand, UpdatePhoneNumberMetadataCommand } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { OperationFailedError, OperationTimeoutError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler, pollDelayMs } from '../../lambda/phone-number-handler';
import {
  context,
  createEvent,
  failureOf,
  FakeClock,
  NUMBER_ARN,
  OTHER_INSTANCE_ID,
  PROPS,
  quietHandler,
  serviceError,
  SETTINGS,
  summary,
  updateEvent,
  withProgress,
} from './fixtures';

const connect = mockClient(ConnectClient);
let clock: FakeClock;
let handler: ClaimedPhoneNumberHandler;

beforeEach(() => {
  connect.reset();
  clock = new FakeClock();
  handler = quietHandler(clock);
});

const OTHER_INSTANCE_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${OTHER_INSTANCE_ID}`;
const waiting = (event = createEvent(), deadlineInMs = 60_000) =>
  withProgress(event, NUMBER_ARN, { waitFor: 'CONVERGED', startedAt: clock.now(), deadline: clock.now() + deadlineInMs });
const notFound = () => Object.assign(new Error('gone'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
/** Complete, with the number's attribute as Connect reports it (the summary fixture's +12065550100). */
const COMPLETE = { IsComplete: true, Data: { PhoneNumber: '+12065550100' } };
const status = (Status: string, Message?: string) => ({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status, Message } }) });

describe('isComplete after a claim', () => {
  test('the PhoneNumber attribute is the number Connect holds, not the one onEvent answered', async () => {
    // GIVEN onEvent answered a search candidate, but the claim's ClientToken replayed an earlier answer: Connect holds another number
    const event = { ...waiting(), Data: { PhoneNumber: '+12065550199' } };
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumber: '+12065550142' }) });
    // WHEN isComplete sees the number CLAIMED
    const result = await handler.isComplete(event, context());
    // THEN the attribute it hands the framework (merged over onEvent's Data) is the number Connect reports
    expect(result).toEqual({ IsComplete: true, Data: { PhoneNumber: '+12065550142' } });
  });

  test('a number Connect reports without its E.164 form completes without overriding the attribute', async () => {
    // GIVEN Connect's summary leaves PhoneNumber out
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumber: undefined }) });
    // WHEN isComplete sees the number CLAIMED
    const result = await handler.isComplete(waiting(), context());
    // THEN it completes with no Data, so onEvent's attribute stands
    expect(result).toEqual({ IsComplete: true });
  });

  test('completes once Connect reports CLAIMED', async () => {
    // GIVEN the claim is IN_PROGRESS twice, then CLAIMED
    connect.on(DescribePhoneNumberCommand).resolvesOnce(status('IN_PROGRESS')).resolvesOnce(status('IN_PROGRESS')).resolves(status('CLAIMED'));
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(), context());
    // THEN it completes after the third look: the first a second after the operation started, then every 500 ms
    expect(result).toEqual(COMPLETE);
    expect(connect).toHaveReceivedCommandTimes(DescribePhoneNumberCommand, 3);
    expect(clock.sleeps).toEqual([1000, 500, 500]);
  });

  test('a FAILED claim fails the event with Connect\'s message', async () => {
    // GIVEN Connect ends the claim FAILED
    connect.on(DescribePhoneNumberCommand).resolves(status('FAILED', 'The carrier rejected the number'));
    // WHEN isComplete runs
    const attempt = handler.isComplete(waiting(), context());
    // THEN the error carries the message
    await expect(attempt).rejects.toThrow(OperationFailedError);
    await expect(handler.isComplete(waiting(), context())).rejects.toThrow(
      `Connect could not claim +12065550100 (${NUMBER_ARN}): The carrier rejected the number.`,
    );
  });

  test('a claim still IN_PROGRESS at the deadline fails with a clear message', async () => {
    // GIVEN the claim never leaves IN_PROGRESS and the deadline is 10 s away
    connect.on(DescribePhoneNumberCommand).resolves(status('IN_PROGRESS'));
    // WHEN isComplete runs
    const attempt = handler.isComplete(waiting(createEvent(), 10_000), context());
    // THEN it fails saying how long it waited and that the rollback releases the number
    await expect(attempt).rejects.toThrow(OperationTimeoutError);
    expect(clock.now()).toBeLessThan(Date.UTC(2026, 10, 27) + 20_000);
  });

  // Marked failing: the message still says the rollback releases the number, but since a3d7c5d the rollback Delete
  // keeps a number this resource holds (releaseStep, case MINE). Remove .failing once the message is fixed.
  test('the timeout message says what the rollback does with the number: keeps it, marked, instead of releasing it', async () => {
    // GIVEN the claim never leaves IN_PROGRESS and the deadline is 10 s away
    connect.on(DescribePhoneNumberCommand).resolves(status('IN_PROGRESS'));
    // WHEN isComplete runs out of time
    const error = await failureOf(handler.isComplete(waiting(createEvent(), 10_000), context()));
    // THEN the message does not promise a release that the rollback Delete no longer makes, and says the number is kept
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(error.message).not.toMatch(/releases the number/);
    expect(error.message).toMatch(/kept/i);
  });

  test('hands back to the waiter when its polling budget runs out before the deadline', async () => {
    // GIVEN a long deadline and a claim that stays IN_PROGRESS
    connect.on(DescribePhoneNumberCommand).resolves(status('IN_PROGRESS'));
    // WHEN isComplete runs with a 30 s polling budget
    const result = await handler.isComplete(waiting(createEvent(), 3_600_000), context());
    // THEN it answers "not yet" within that budget
    expect(result).toEqual({ IsComplete: false });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(SETTINGS.pollBudgetMs);
  });

  test('looks first one second after the operation started, then every 500 ms, then less often, never slower than every 5 s', () => {
    // GIVEN the times of the looks of an operation that never ends, over ten minutes
    const looks: number[] = [];
    for (let elapsed = 0; elapsed < 600_000; ) {
      elapsed += pollDelayMs(elapsed);
      looks.push(elapsed);
    }
    const gaps = looks.slice(1).map((at, i) => at - looks[i]);
    // THEN the first look is at 1 s, the next ones 500 ms apart, the gaps never shrink and cap at 5 s
    expect(looks.slice(0, 4)).toEqual([1000, 1500, 2000, 2500]);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(Math.max(...gaps)).toBe(5000);
  });

  test('times the first look from the start of the operation, hiding the invocation\'s own start-up', () => {
    // GIVEN an isComplete invocation that starts 400 ms after the operation
    // THEN its first look waits only the remaining 600 ms
    expect(pollDelayMs(400)).toBe(600);
  });

  test('a number Connect does not know once the visibility grace has passed fails the event, and not before', async () => {
    // GIVEN Connect never knows the number (released while the deploy waited, or the claim was dropped)
    connect.on(DescribePhoneNumberCommand).rejects(notFound());
    const start = clock.now();
    // WHEN isComplete runs
    // THEN it fails with an explanation, only after looking through the whole grace window
    await expect(handler.isComplete(waiting(), context())).rejects.toThrow(
      /is not known to Connect 10 s after the operation started: it was released while the deploy waited, or Connect dropped the claim/,
    );
    expect(clock.now() - start).toBeGreaterThanOrEqual(SETTINGS.visibilityGraceMs);
    expect(connect.commandCalls(DescribePhoneNumberCommand).length).toBeGreaterThan(1);
  });

  test('a new claim Connect does not show yet within the visibility grace is not complete, and not failed', async () => {
    // GIVEN Connect does not show the number, and the invocation ends 5 s after the claim (10 s left, 5 s margin)
    connect.on(DescribePhoneNumberCommand).rejects(notFound());
    const start = clock.now();
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(), context(10_000));
    // THEN it hands back to the waiter, still inside the grace window
    expect(result).toEqual({ IsComplete: false });
    expect(clock.now() - start).toBeLessThan(SETTINGS.visibilityGraceMs);
  });

  test('a new claim that becomes visible within the visibility grace completes', async () => {
    // GIVEN Connect does not show the number for the first two looks, then shows it CLAIMED
    connect.on(DescribePhoneNumberCommand).rejectsOnce(notFound()).rejectsOnce(notFound()).resolves(status('CLAIMED'));
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(), context());
    // THEN it completes at the third look
    expect(result).toEqual(COMPLETE);
    expect(connect).toHaveReceivedCommandTimes(DescribePhoneNumberCommand, 3);
  });
});

describe('isComplete after an update', () => {
  test('applies a pending description change once the move has finished', async () => {
    // GIVEN a move and a description change, with the number CLAIMED at the new target and the old description
    const event = updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID, PhoneNumberDescription: 'Moved' });
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary({ InstanceId: OTHER_INSTANCE_ID, TargetArn: OTHER_INSTANCE_ARN }) })
      .resolves({ ClaimedPhoneNumberSummary: summary({ InstanceId: OTHER_INSTANCE_ID, TargetArn: OTHER_INSTANCE_ARN, PhoneNumberDescription: 'Moved' }) });
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(event), context());
    // THEN it sets the description, waits for it, and completes without another move
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberMetadataCommand, { PhoneNumberDescription: 'Moved' });
    expect(connect).not.toHaveReceivedCommand(UpdatePhoneNumberCommand);
    expect(result).toEqual(COMPLETE);
  });

  test('a number on a traffic distribution group that also reports an instance is where it should be', async () => {
    // GIVEN a number CLAIMED to the group whose summary carries an InstanceId too
    const tdg = 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const { InstanceId: _instance, ...rest } = PROPS;
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ TargetArn: tdg }) });
    // WHEN isComplete runs for a number declared on that group
    const result = await handler.isComplete(waiting(createEvent({ ...rest, TargetArn: tdg })), context());
    // THEN it completes without moving it
    expect(result).toEqual(COMPLETE);
    expect(connect).not.toHaveReceivedCommand(UpdatePhoneNumberCommand);
  });

  test('starts a move that onEvent could not start because the number was busy', async () => {
    // GIVEN the number is CLAIMED at the old instance, though the event asks for another
    const event = updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID });
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .resolves({ ClaimedPhoneNumberSummary: summary({ InstanceId: OTHER_INSTANCE_ID, TargetArn: OTHER_INSTANCE_ARN }) });
    // WHEN isComplete runs
    await handler.isComplete(waiting(event), context());
    // THEN it moves the number
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberCommand, { InstanceId: OTHER_INSTANCE_ID });
  });

  test('a FAILED move fails the event with Connect\'s message', async () => {
    // GIVEN the move ends FAILED
    connect.on(DescribePhoneNumberCommand).resolves(status('FAILED', 'Target instance is not active'));
    // WHEN isComplete runs for the update
    // THEN the update fails with the message
    await expect(handler.isComplete(waiting(updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID })), context())).rejects.toThrow(
      /could not update \+12065550100 .*Target instance is not active/,
    );
  });
});

describe('isComplete when Connect is busy', () => {
  const throttled = () => serviceError('ThrottlingException', 'Rate exceeded', 429);

  test('a throttled look means "not yet": it looks again and completes once Connect answers', async () => {
    // GIVEN Connect throttles the first look, then reports CLAIMED
    connect.on(DescribePhoneNumberCommand).rejectsOnce(throttled()).resolves(status('CLAIMED'));
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(), context());
    // THEN it completes, after one rejected and one answered look
    expect(result).toEqual(COMPLETE);
    expect(connect).toHaveReceivedCommandTimes(DescribePhoneNumberCommand, 2);
  });

  test.each([
    ['ThrottlingException', 429],
    ['TooManyRequestsException', 429],
    ['InternalServiceException', 500],
    ['ServiceUnavailableException', 503],
    ['GatewayTimeout', 504],
  ])('Connect answering every look with %s (%i) hands back to the waiter with "not yet" instead of failing', async (name, httpStatus) => {
    // GIVEN Connect answers every DescribePhoneNumber with the error
    connect.on(DescribePhoneNumberCommand).rejects(serviceError(name, 'busy', httpStatus));
    const invokedAt = clock.now();
    // WHEN isComplete runs with its full polling budget
    const result = await handler.isComplete(waiting(createEvent(), 3_600_000), context());
    // THEN it answers "not yet" within the budget, having tried more than once
    expect(result).toEqual({ IsComplete: false });
    expect(clock.now() - invokedAt).toBeLessThanOrEqual(SETTINGS.pollBudgetMs);
    expect(connect.commandCalls(DescribePhoneNumberCommand).length).toBeGreaterThan(1);
  });

  test('a throttled invocation with little time left answers before its own deadline', async () => {
    // GIVEN Connect throttles every look, and the invocation has 12 s left, of which 5 s are kept as margin
    connect.on(DescribePhoneNumberCommand).rejects(throttled());
    const invokedAt = clock.now();
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(createEvent(), 3_600_000), context(12_000));
    // THEN it answers "not yet" before the margin begins, so Lambda never kills it
    expect(result).toEqual({ IsComplete: false });
    expect(clock.now() - invokedAt).toBeLessThanOrEqual(12_000 - SETTINGS.safetyMarginMs);
  });

  test('an invocation with no time for even one look answers "not yet" at once', async () => {
    // GIVEN an invocation whose deadline, less the margin, comes before the first look is due
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(), context(SETTINGS.safetyMarginMs + 500));
    // THEN it answers without calling Connect
    expect(result).toEqual({ IsComplete: false });
    expect(connect).not.toHaveReceivedCommand(DescribePhoneNumberCommand);
  });

  test('a move that a look starts is retried with the same ClientToken after a 5xx answer', async () => {
    // GIVEN a number CLAIMED at the old instance, and a move that Connect first answers with a 500
    const event = updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID });
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .resolves({ ClaimedPhoneNumberSummary: summary({ InstanceId: OTHER_INSTANCE_ID, TargetArn: OTHER_INSTANCE_ARN }) });
    connect.on(UpdatePhoneNumberCommand).rejectsOnce(serviceError('InternalServiceException', 'boom', 500)).resolves({});
    // WHEN isComplete runs
    const result = await handler.isComplete(waiting(event), context());
    // THEN the move is made with one ClientToken throughout, and the update completes
    expect(result).toEqual(COMPLETE);
    const tokens = connect.commandCalls(UpdatePhoneNumberCommand).map((call) => call.args[0].input.ClientToken);
    expect(new Set(tokens).size).toBe(1);
  });

  test('an answer that waiting cannot change still fails the event', async () => {
    // GIVEN Connect denies the look
    connect.on(DescribePhoneNumberCommand).rejects(serviceError('AccessDeniedException', 'not authorized', 403));
    // WHEN isComplete runs
    // THEN it fails with Connect's message
    await expect(handler.isComplete(waiting(), context())).rejects.toThrow('not authorized');
  });

  test('when the operation limit passes while Connect throttles every look, the error says that Connect was busy', async () => {
    // GIVEN an operation that started 24 min 50 s ago with a 25-minute limit, and Connect throttling every look
    connect.on(DescribePhoneNumberCommand).rejects(throttled());
    const event = withProgress(createEvent(), NUMBER_ARN, { waitFor: 'CONVERGED', startedAt: clock.now() - 1_490_000, deadline: clock.now() + 10_000 });
    // WHEN isComplete runs
    const attempt = handler.isComplete(event, context());
    // THEN it fails with an explanation that names the rate limit, not with "stayed IN_PROGRESS"
    await expect(attempt).rejects.toThrow(OperationTimeoutError);
    await expect(handler.isComplete(event, context())).rejects.toThrow(/throttled or failed the handler's last look/);
  });
});
