import {
  ConnectClient,
  DescribePhoneNumberCommand,
  ReleasePhoneNumberCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ReleaseBlockedError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { PROGRESS_KEY } from '../../lambda/progress';
import {
  context,
  deleteEvent,
  FakeClock,
  FakeStack,
  HANDOVER_TAG,
  KEPT_TAG,
  NUMBER_ARN,
  OWNER_TAG,
  quietHandler,
  serviceError,
  summary,
  withProgress,
} from './fixtures';

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;
let stack: FakeStack;

beforeEach(() => {
  connect.reset();
  // Unless a test says otherwise, the Delete is what a user asked for: the cleanup after an update.
  stack = new FakeStack();
  stack.status_ = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
  handler = quietHandler(undefined, stack);
});

describe('Delete', () => {
  test('releases a number this resource owns, with a client token', async () => {
    // GIVEN the number carries this resource's owner tag
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN it is released, and isComplete waits until Connect no longer knows the number
    expect(connect).toHaveReceivedCommandWith(ReleasePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN });
    expect(connect.commandCalls(ReleasePhoneNumberCommand)[0].args[0].input.ClientToken).toMatch(/^[a-f0-9-]{36}$/);
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result[PROGRESS_KEY].waitFor).toBe('RELEASED');
  });

  test('an asynchronous release still IN_PROGRESS is not taken as done', async () => {
    // GIVEN the number is released, and Connect then shows the release IN_PROGRESS until the invocation ends
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) });
    const clock = new FakeClock();
    handler = quietHandler(clock, stack);
    // WHEN isComplete runs for the Delete
    const result = await handler.isComplete(withProgress(deleteEvent(), NUMBER_ARN, { waitFor: 'RELEASED', startedAt: clock.now(), deadline: clock.now() + 60_000 }), context(10_000));
    // THEN it released once and hands back to the waiter instead of reporting the Delete done
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
    expect(result).toEqual({ IsComplete: false });
  });

  test.each([
    ['the Provider framework CREATE_FAILED marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an id CloudFormation invented after a failed create', 'Numbers-Support5CFB64A3-1A2B3C4D5E6F'],
    ['a RequestId', '2f8e3a10-8f4b-4c1a-9f7e-3d2c1b0a9f8e'],
  ])('succeeds without any Connect call for %s', async (_name, physicalId) => {
    // GIVEN a physical id that is not a phone number ARN
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(physicalId), context());
    // THEN Connect is never called
    expect(connect.calls()).toHaveLength(0);
    expect(result.PhysicalResourceId).toBe(physicalId);
  });

  test('a number Connect no longer knows counts as already released', async () => {
    // GIVEN Describe answers ResourceNotFoundException
    connect.on(DescribePhoneNumberCommand).rejects(serviceError('ResourceNotFoundException', 'not found', 404));
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN it succeeds without a release
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });

  test('a release answered with ResourceNotFoundException counts as done', async () => {
    // GIVEN the number disappears between Describe and Release
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    connect.on(ReleasePhoneNumberCommand).rejects(serviceError('ResourceNotFoundException', 'not found', 404));
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN the delete succeeds
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });

  test('never releases a number without this resource owner tag', async () => {
    // GIVEN a number claimed by hand
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ Tags: {} }) });
    // WHEN the resource is deleted
    await handler.onEvent(deleteEvent(), context());
    // THEN nothing is released or changed
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('the old resource of a moved construct finishes the handover without releasing', async () => {
    // GIVEN the number was handed over from this resource to a sibling, which the stack holds with this number
    stack.physicalIds.set('NewSupport1234', NUMBER_ARN);
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { [OWNER_TAG]: 'Numbers/NewSupport1234', [HANDOVER_TAG]: 'Support5CFB64A3' } }),
    });
    // WHEN the old resource is deleted in the cleanup phase
    await handler.onEvent(deleteEvent(), context());
    // THEN only the handover tag is removed
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [HANDOVER_TAG] });
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('the new resource of a moved construct gives the number back when the stack still holds the previous logical id with that number', async () => {
    // GIVEN this resource took the number over from OldSupport, which the stack still holds with this number
    stack.status_ = 'UPDATE_ROLLBACK_IN_PROGRESS';
    stack.physicalIds.set('OldSupport', NUMBER_ARN);
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { [OWNER_TAG]: 'Numbers/Support5CFB64A3', [HANDOVER_TAG]: 'OldSupport' } }),
    });
    // WHEN this resource is deleted by the rollback
    await handler.onEvent(deleteEvent(), context());
    // THEN ownership goes back to OldSupport and the number stays claimed, without a kept marker
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: NUMBER_ARN, tags: { [OWNER_TAG]: 'Numbers/OldSupport' } });
    expect(connect).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [HANDOVER_TAG] });
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('a rollback keeps a taken-over number as this resource\'s when the stack no longer holds the previous logical id with it', async () => {
    // GIVEN this resource took the number over from OldSupport, but the stack holds OldSupport with another number
    stack.status_ = 'UPDATE_ROLLBACK_IN_PROGRESS';
    stack.physicalIds.set('OldSupport', NUMBER_ARN.replace(/[^/]+$/, 'another-number'));
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { [OWNER_TAG]: 'Numbers/Support5CFB64A3', [HANDOVER_TAG]: 'OldSupport' } }),
    });
    // WHEN this resource is deleted by the rollback
    await handler.onEvent(deleteEvent(), context());
    // THEN nothing is handed back: the number stays this resource's, marked kept, its handover tag removed
    expect(connect).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    const tags = connect.commandCalls(TagResourceCommand)[0].args[0].input.tags;
    expect(tags?.[OWNER_TAG]).toBe('Numbers/Support5CFB64A3');
    expect(tags?.[KEPT_TAG]).toMatch(/^UPDATE_ROLLBACK_IN_PROGRESS@/);
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [HANDOVER_TAG] });
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('waits instead of releasing while an operation is in progress', async () => {
    // GIVEN the number is IN_PROGRESS
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) });
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN no release is attempted yet and isComplete is asked to finish it
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(result[PROGRESS_KEY].waitFor).toBe('RELEASED');
  });

  test('isComplete releases once the operation in progress has finished', async () => {
    // GIVEN the number is IN_PROGRESS once more, then CLAIMED, and gone once released
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) })
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .rejects(serviceError('ResourceNotFoundException', 'not found', 404));
    const clock = new FakeClock();
    handler = quietHandler(clock);
    // WHEN isComplete runs for the delete
    const result = await handler.isComplete(withProgress(deleteEvent(), NUMBER_ARN, { waitFor: 'RELEASED', startedAt: clock.now(), deadline: clock.now() + 60_000 }), context());
    // THEN it releases exactly once and reports completion
    expect(result).toEqual({ IsComplete: true });
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
  });

  test('a release refused because of an in-progress operation is retried later, not failed', async () => {
    // GIVEN Release answers ResourceInUseException while the number is IN_PROGRESS
    connect
      .on(DescribePhoneNumberCommand)
      .resolvesOnce({ ClaimedPhoneNumberSummary: summary() })
      .resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) });
    connect.on(ReleasePhoneNumberCommand).rejects(serviceError('ResourceInUseException', 'An operation is in progress', 409));
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN isComplete will try again
    expect(result[PROGRESS_KEY].waitFor).toBe('RELEASED');
  });

  test('a release refused for a reason other than an operation in progress fails with Connect\'s reason and the fix', async () => {
    // GIVEN Release answers ResourceInUseException with a reason that waiting will not fix, the number CLAIMED
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    connect.on(ReleasePhoneNumberCommand).rejects(serviceError('ResourceInUseException', 'Phone number is associated with a contact flow', 409));
    // WHEN the resource is deleted
    const attempt = handler.onEvent(deleteEvent(), context());
    // THEN the error quotes Connect's reason, where to look, and how to keep the number instead
    await expect(attempt).rejects.toThrow(ReleaseBlockedError);
    await expect(handler.onEvent(deleteEvent(), context())).rejects.toThrow(
      /Connect refuses to release \+12065550100 \(arn:[^)]+\): Phone number is associated with a contact flow\..*Connect console: Channels > Phone numbers > the number.*disassociate-phone-number-contact-flow.*retry the deployment.*removalPolicy: RemovalPolicy\.RETAIN/s,
    );
    // (one release attempt per Delete: the refusal is not retried as if it were transient)
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 2);
  });

  test('does not validate the properties of a delete: a bad hand-edited value cannot block the cleanup', async () => {
    // GIVEN invalid properties on the Delete event
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN the resource is deleted
    await handler.onEvent(deleteEvent(NUMBER_ARN, { PhoneNumber: 'not-a-number' }), context());
    // THEN the number is still released
    expect(connect).toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });
});
