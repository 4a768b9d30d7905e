/**
 * The decisions the handler takes from what Connect and the stack hold rather than from the event alone:
 * in place or replace, restore or claim, keep or release, take back or refuse.
 */
import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClaimRefusedError, NumberDeclaredTwiceError, NumberNotOwnedError, OperationFailedError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { PROGRESS_KEY } from '../../lambda/progress';
import {
  context,
  createEvent,
  deleteEvent,
  failureOf,
  FakeClock,
  FakeStack,
  HANDOVER_TAG,
  INSTANCE_ID,
  KEPT_NUMBERS_TAG,
  KEPT_TAG,
  LOGICAL_ID,
  NUMBER_ARN,
  NUMBER_ID,
  OWNER_TAG,
  PROPS,
  quietHandler,
  serviceError,
  SETTINGS,
  summary,
  TDG_ARN,
  updateEvent,
  withProgress,
} from './fixtures';

const connect = mockClient(ConnectClient);
let clock: FakeClock;
let stack: FakeStack;
let handler: ClaimedPhoneNumberHandler;

const MY_TAG = `Numbers/${LOGICAL_ID}`;
const SIBLING = 'NewSupport1234';
const SIBLING_TAG = `Numbers/${SIBLING}`;
const NEW_ID = '99999999-9999-4999-8999-999999999999';
const NEW_ARN = NUMBER_ARN.replace(NUMBER_ID, NEW_ID);
const ISO_TIME = /@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** What Connect reports for a number that SEARCH describes. */
const US_DID = { PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' };
const SEARCH = {
  PhoneNumberCountryCode: 'US',
  PhoneNumberType: 'DID',
  PhoneNumberPrefix: '+1206',
  InstanceId: INSTANCE_ID,
  PhoneNumberDescription: 'Support line',
  Tags: { team: 'support' },
};
const notAvailable = () => serviceError('InvalidParameterException', 'Phone number not available: +12065550100', 400);

/** Connect describes `arn` as `held` (and every other number as unknown unless mocked too). */
function connectHolds(held: ReturnType<typeof summary>): void {
  connect.on(DescribePhoneNumberCommand, { PhoneNumberId: held.PhoneNumberArn }).resolves({ ClaimedPhoneNumberSummary: held });
}

/** ListPhoneNumbersV2 finds `arn` for a lookup by the prefix of `phoneNumber`. */
function listed(phoneNumber: string, arn: string, prefix = phoneNumber): void {
  connect
    .on(ListPhoneNumbersV2Command, { PhoneNumberPrefix: prefix })
    .resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumber: phoneNumber, PhoneNumberArn: arn, PhoneNumberId: arn.slice(arn.lastIndexOf('/') + 1) }] });
}

/** The tags of the only TagResource call made for `arn`. */
function onlyTagCallFor(arn: string): { [key: string]: string } {
  const calls = connect.commandCalls(TagResourceCommand, { resourceArn: arn });
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input.tags ?? {};
}

beforeEach(() => {
  connect.reset();
  connect.on(DescribePhoneNumberCommand).rejects(serviceError('ResourceNotFoundException', 'not found', 404));
  connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
  clock = new FakeClock();
  stack = new FakeStack();
  stack.status_ = 'UPDATE_IN_PROGRESS';
  handler = quietHandler(clock, stack);
});

describe('Update: in place whenever the held number satisfies the declaration', () => {
  test('a search whose criteria change is updated in place while the held number still matches', async () => {
    // GIVEN this resource holds +12065550100, found with prefix +1206
    connectHolds(summary(US_DID));
    // WHEN the prefix is shortened to +120, which the number still matches
    const result = await handler.onEvent(updateEvent({ ...SEARCH, PhoneNumberPrefix: '+120' }, SEARCH), context());
    // THEN the number is kept as it is: nothing is listed, searched, claimed or changed
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data?.PhoneNumber).toBe('+12065550100');
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
    expect(connect.calls().map((call) => call.args[0].constructor.name)).toEqual(['DescribePhoneNumberCommand']);
  });

  test('the swapped rollback Update of a failed search change is in place, with no claim', async () => {
    // GIVEN an update from prefix +1206 to +1425 failed, the number held still matches +1206, and the stack rolls back
    stack.status_ = 'UPDATE_ROLLBACK_IN_PROGRESS';
    connectHolds(summary(US_DID));
    // WHEN CloudFormation sends the rollback: the old criteria as ResourceProperties, the failed ones as old
    const result = await handler.onEvent(updateEvent(SEARCH, { ...SEARCH, PhoneNumberPrefix: '+1425' }), context());
    // THEN the number stays, and nothing is searched or claimed
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 0);
    expect(connect).toHaveReceivedCommandTimes(SearchAvailablePhoneNumbersCommand, 0);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('Connect\'s own tags (aws:) are never untagged, even when the declared tags change', async () => {
    // GIVEN the held number carries an aws: tag besides the declared and owner tags
    connectHolds(summary({ Tags: { team: 'support', 'aws:connect:system': 'yes', [OWNER_TAG]: MY_TAG } }));
    // WHEN the declared tags change
    await handler.onEvent(updateEvent({ ...PROPS, Tags: { floor: '3' } }), context());
    // THEN only the user's removed tag is untagged and the new one tagged
    expect(connect.commandCalls(UntagResourceCommand).map((call) => call.args[0].input.tagKeys)).toEqual([['team']]);
    expect(connect.commandCalls(TagResourceCommand).map((call) => call.args[0].input.tags)).toEqual([{ floor: '3' }]);
  });
});

describe('Update during a rollback: restore, never claim', () => {
  test('a rollback Update whose physical number does not satisfy the old properties restores the held one and keeps the other', async () => {
    // GIVEN an update replaced +12065550100 by +12065550111 (NEW_ARN), then failed waiting for it; the stack rolls
    // back and this resource still holds the old number
    stack.status_ = 'UPDATE_ROLLBACK_IN_PROGRESS';
    connectHolds(summary({ PhoneNumberArn: NEW_ARN, PhoneNumberId: NEW_ID, PhoneNumber: '+12065550111' }));
    connectHolds(summary());
    listed('+12065550100', NUMBER_ARN);
    // WHEN the rollback Update arrives for NEW_ARN with the old properties
    const result = await handler.onEvent(updateEvent(PROPS, { ...PROPS, PhoneNumber: '+12065550111' }, NEW_ARN), context());
    // THEN it answers the old number, marks the new one kept (owned by this resource), and claims nothing; the
    // restored number only gets the kept number's id noted (for the stack's delete)
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data?.PhoneNumber).toBe('+12065550100');
    const kept = onlyTagCallFor(NEW_ARN);
    expect(kept[OWNER_TAG]).toBe(MY_TAG);
    expect(kept[KEPT_TAG]).toMatch(new RegExp(`^UPDATE_ROLLBACK_IN_PROGRESS${ISO_TIME.source}`));
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 0);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect.commandCalls(TagResourceCommand, { resourceArn: NUMBER_ARN }).map((call) => call.args[0].input.tags)).toEqual([{ [KEPT_NUMBERS_TAG]: NEW_ID }]);
  });

  test('the rollback Update of a failed replacement answered with the old physical id marks the abandoned new number kept', async () => {
    // GIVEN an update to +12065550111 claimed NEW_ARN, then failed in onEvent, so the physical id stayed NUMBER_ARN;
    // the stack rolls back
    stack.status_ = 'UPDATE_ROLLBACK_IN_PROGRESS';
    connectHolds(summary());
    connectHolds(summary({ PhoneNumberArn: NEW_ARN, PhoneNumberId: NEW_ID, PhoneNumber: '+12065550111' }));
    listed('+12065550111', NEW_ARN);
    // WHEN the rollback Update arrives for NUMBER_ARN with the old properties
    const result = await handler.onEvent(updateEvent(PROPS, { ...PROPS, PhoneNumber: '+12065550111' }), context());
    // THEN the old number stays in place, and the abandoned one is kept and marked, never released or claimed again
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    const kept = onlyTagCallFor(NEW_ARN);
    expect(kept[OWNER_TAG]).toBe(MY_TAG);
    expect(kept[KEPT_TAG]).toMatch(new RegExp(`^UPDATE_ROLLBACK_IN_PROGRESS${ISO_TIME.source}`));
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 0);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });
});

describe('Delete: keep in a rollback, release only on a user\'s request', () => {
  test.each(['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'])(
    'a Delete while the stack is %s keeps the number with the kept marker and no release',
    async (status) => {
      // GIVEN this resource holds the number and the stack rolls back
      stack.status_ = status;
      connectHolds(summary());
      // WHEN the rollback deletes the resource
      const result = await handler.onEvent(deleteEvent(), context());
      // THEN the number stays claimed, owned by this resource and marked with the status and time
      expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
      const kept = onlyTagCallFor(NUMBER_ARN);
      expect(kept[OWNER_TAG]).toBe(MY_TAG);
      expect(kept[KEPT_TAG]).toMatch(new RegExp(`^${status}${ISO_TIME.source}`));
      expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
    },
  );

  test.each(['DELETE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'])('a Delete while the stack is %s releases the number', async (status) => {
    // GIVEN this resource holds the number and a user removed it (stack deleted, or the cleanup after an update)
    stack.status_ = status;
    connectHolds(summary());
    // WHEN the resource is deleted
    await handler.onEvent(deleteEvent(), context());
    // THEN the number is released once, and not tagged
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
    expect(connect).toHaveReceivedCommandWith(ReleasePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN });
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('a Delete whose stack status cannot be read keeps the number', async () => {
    // GIVEN CloudFormation does not answer the status
    const unreadable = new FakeStack();
    unreadable.status = async () => {
      throw serviceError('AccessDenied', 'not authorized to perform cloudformation:DescribeStacks', 403);
    };
    handler = quietHandler(clock, unreadable);
    connectHolds(summary());
    // WHEN the resource is deleted
    await handler.onEvent(deleteEvent(), context());
    // THEN the number is kept, marked as kept for want of a status, not released
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(onlyTagCallFor(NUMBER_ARN)[KEPT_TAG]).toMatch(new RegExp(`^STACK_STATUS_UNREADABLE${ISO_TIME.source}`));
  });

  test('a FAILED number is released when a user deletes it, since a failed move leaves the number claimed', async () => {
    // GIVEN this resource's number ended FAILED, and a user deletes the resource
    stack.status_ = 'DELETE_IN_PROGRESS';
    connectHolds(summary({ PhoneNumberStatus: { Status: 'FAILED', Message: 'The target is at its number limit' } }));
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN the release is attempted once, nothing is tagged, and there is nothing to wait for
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });

  test('a FAILED number whose release Connect refuses does not fail the Delete', async () => {
    // GIVEN this resource's claim ended FAILED (Connect returns such a number to its inventory itself), and Connect refuses its release
    stack.status_ = 'DELETE_IN_PROGRESS';
    connectHolds(summary({ PhoneNumberStatus: { Status: 'FAILED', Message: 'The allowed limit for claimed phone numbers has been exceeded for your instance' } }));
    connect.on(ReleasePhoneNumberCommand).rejects(serviceError('InvalidRequestException', 'The phone number is not claimed', 400));
    // WHEN the resource is deleted
    const result = await handler.onEvent(deleteEvent(), context());
    // THEN the Delete succeeds with nothing to wait for
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });
});

describe('Delete during a rollback: a number not visible yet', () => {
  test('a rollback Delete of a number Connect does not show yet waits through the visibility grace, then completes without a release', async () => {
    // GIVEN the stack rolls back a Create whose claim Connect does not show yet, and never will
    stack.status_ = 'ROLLBACK_IN_PROGRESS';
    // WHEN the rollback deletes the resource, and isComplete follows up
    const started = await handler.onEvent(deleteEvent(), context());
    const startedAt = clock.now();
    const done = await handler.isComplete(withProgress(deleteEvent(), NUMBER_ARN, started[PROGRESS_KEY]), context());
    // THEN onEvent asks to wait, isComplete completes only once the grace has passed, and nothing was released or tagged
    expect(started[PROGRESS_KEY].waitFor).toBe('RELEASED');
    expect(done).toEqual({ IsComplete: true });
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(SETTINGS.visibilityGraceMs);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });
});

describe('Handovers, checked against the stack', () => {
  const handedToSibling = () => summary({ Tags: { team: 'support', [OWNER_TAG]: SIBLING_TAG, [HANDOVER_TAG]: LOGICAL_ID } });

  test('an incomplete handover (the sibling is not in the stack) counts as this resource\'s: a user Delete releases it', async () => {
    // GIVEN the number was handed to a sibling that the stack does not hold (its Create failed after the tag call)
    stack.status_ = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    connectHolds(handedToSibling());
    // WHEN a user deletes this resource
    await handler.onEvent(deleteEvent(), context());
    // THEN the number is released
    expect(connect).toHaveReceivedCommandTimes(ReleasePhoneNumberCommand, 1);
  });

  test('an incomplete handover (the sibling holds another number) counts as this resource\'s: an update takes it back', async () => {
    // GIVEN the number was handed to a sibling, but the stack holds that sibling with another number
    stack.physicalIds.set(SIBLING, NEW_ARN);
    connectHolds(handedToSibling());
    // WHEN this resource is updated with its properties unchanged
    const result = await handler.onEvent(updateEvent(PROPS), context());
    // THEN it keeps the number, taking back the owner tag and removing the handover tag
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(onlyTagCallFor(NUMBER_ARN)).toEqual({ [OWNER_TAG]: MY_TAG });
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [HANDOVER_TAG] });
    expect(connect).not.toHaveReceivedCommand(ClaimPhoneNumberCommand);
  });

  test('a completed handover (the sibling holds the number) is not released, and its handover tag is removed', async () => {
    // GIVEN the number was handed to a sibling that the stack holds with this number
    stack.status_ = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    stack.physicalIds.set(SIBLING, NUMBER_ARN);
    connectHolds(handedToSibling());
    // WHEN the cleanup deletes this (old) resource
    await handler.onEvent(deleteEvent(), context());
    // THEN the sibling keeps the number: only the handover tag goes
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(connect).toHaveReceivedCommandTimes(UntagResourceCommand, 1);
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [HANDOVER_TAG] });
  });
});

describe('Create: take back what this resource holds, refuse what is declared twice', () => {
  test('a number a rollback kept is taken back on Create with no accepted claim, and its kept marker removed', async () => {
    // GIVEN Connect refuses the claim because this resource holds the number, kept by a rollback
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    listed('+12065550100', NUMBER_ARN);
    connectHolds(summary({ Tags: { team: 'support', [OWNER_TAG]: MY_TAG, [KEPT_TAG]: 'ROLLBACK_IN_PROGRESS@2026-11-26T10:00:00.000Z' } }));
    // WHEN the resource is created again
    const result = await handler.onEvent(createEvent(), context());
    // THEN it answers the kept number; the one claim attempt was refused; only the kept marker is untagged
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
    expect(connect).toHaveReceivedCommandTimes(UntagResourceCommand, 1);
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: [KEPT_TAG] });
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('a search Create takes back a held matching number without searching or claiming', async () => {
    // GIVEN this resource holds a number that matches the search (kept by a rollback)
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }] });
    connectHolds(summary({ ...US_DID, Tags: { team: 'support', [OWNER_TAG]: MY_TAG, [KEPT_TAG]: 'ROLLBACK_IN_PROGRESS@2026-11-26T10:00:00.000Z' } }));
    // WHEN the search resource is created
    const result = await handler.onEvent(createEvent(SEARCH), context());
    // THEN it answers that number, and never searched or claimed
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data?.PhoneNumber).toBe('+12065550100');
    expect(connect).toHaveReceivedCommandTimes(SearchAvailablePhoneNumbersCommand, 0);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 0);
  });

  test('a number held by a sibling that the template still declares fails as declared twice', async () => {
    // GIVEN the number belongs to a sibling that the template declares too
    stack.declared.add(SIBLING);
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    listed('+12065550100', NUMBER_ARN);
    connectHolds(summary({ Tags: { team: 'support', [OWNER_TAG]: SIBLING_TAG } }));
    // WHEN this resource is created
    const attempt = handler.onEvent(createEvent(), context());
    // THEN it fails naming both resources, and nothing was changed
    await expect(attempt).rejects.toThrow(NumberDeclaredTwiceError);
    await expect(handler.onEvent(createEvent(), context())).rejects.toThrow(`declared twice, by ${SIBLING} and by ${LOGICAL_ID}`);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(connect).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('a number held by a sibling, when the template read is not the one being deployed, fails clearly and changes nothing', async () => {
    // GIVEN the number belongs to a sibling, and CloudFormation shows an older template
    stack.templateIsCurrent = false;
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    listed('+12065550100', NUMBER_ARN);
    connectHolds(summary({ Tags: { team: 'support', [OWNER_TAG]: SIBLING_TAG } }));
    // WHEN this resource is created
    const attempt = handler.onEvent(createEvent(), context());
    // THEN it fails saying why it cannot decide, and no number was tagged, moved or released
    await expect(attempt).rejects.toThrow(NumberNotOwnedError);
    await expect(handler.onEvent(createEvent(), context())).rejects.toThrow(
      /did not show the template being deployed, so it cannot be told whether NewSupport1234 moved or stays\. Nothing was changed; retry the deployment\./,
    );
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(connect).not.toHaveReceivedCommand(UntagResourceCommand);
    expect(connect).not.toHaveReceivedCommand(UpdatePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('a number held by another stack\'s ClaimedPhoneNumber fails as declared twice there, without offering adoptExisting as the fix', async () => {
    // GIVEN the number carries the owner tag of resource Hotline of stack Sales, and this resource sets adoptExisting
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    listed('+12065550100', NUMBER_ARN);
    connectHolds(summary({ Tags: { team: 'support', [OWNER_TAG]: 'Sales/Hotline' } }));
    // WHEN this resource is created
    const error = await failureOf(handler.onEvent(createEvent({ ...PROPS, AdoptExisting: 'true' }), context()));
    // THEN it fails as declared twice, naming the other stack and resource, and nothing was adopted
    expect(error).toBeInstanceOf(NumberDeclaredTwiceError);
    expect(error.message).toContain('stack Sales');
    expect(error.message).toContain('Hotline');
    expect(error.message).toContain('declared twice');
    expect(error.message).toContain('Remove one of the two declarations');
    // adoptExisting may appear only as the last step of moving the number, after the other stack gave it up
    const moveRecipe = /remove it from Sales with removalPolicy RETAIN first, delete its "claimed-phone-number:owner" tag, then declare it here with adoptExisting: true/;
    expect(error.message.replace(moveRecipe, '')).not.toContain('adoptExisting');
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(connect).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('a traffic distribution group claim answered ResourceNotFoundException looks the number up', async () => {
    // GIVEN a claim to a group answered as not available, and this resource holds the number there
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('ResourceNotFoundException', 'Phone number not found', 404));
    listed('+12065550100', NUMBER_ARN);
    connectHolds(summary({ InstanceId: undefined, TargetArn: TDG_ARN }));
    // WHEN the resource is created on the group
    const result = await handler.onEvent(createEvent({ PhoneNumber: '+12065550100', TargetArn: TDG_ARN, PhoneNumberDescription: 'Support line', Tags: { team: 'support' } }), context());
    // THEN the number was looked up and taken back
    expect(connect).toHaveReceivedCommandWith(ListPhoneNumbersV2Command, { PhoneNumberPrefix: '+12065550100' });
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
  });

  test('a 12-digit number is looked up with its first 11 digits as PhoneNumberPrefix and matched exactly', async () => {
    // GIVEN a UK number that Connect says is not available, listed after another number with the same 11 digits
    const uk = '+447700900123';
    const ukArn = NUMBER_ARN.replace(NUMBER_ID, 'uk-number');
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('InvalidParameterException', `Phone number not available: ${uk}`, 400));
    connect.on(ListPhoneNumbersV2Command, { PhoneNumberPrefix: '+44770090012' }).resolves({
      ListPhoneNumbersSummaryList: [
        { PhoneNumber: '+447700900124', PhoneNumberArn: NUMBER_ARN.replace(NUMBER_ID, 'other'), PhoneNumberId: 'other' },
        { PhoneNumber: uk, PhoneNumberArn: ukArn, PhoneNumberId: 'uk-number' },
      ],
    });
    connectHolds(summary({ PhoneNumberArn: ukArn, PhoneNumberId: 'uk-number', PhoneNumber: uk }));
    // WHEN the resource is created
    const result = await handler.onEvent(createEvent({ ...PROPS, PhoneNumber: uk }), context());
    // THEN the lookup sent 11 digits, and the exact number was taken back
    expect(connect.commandCalls(ListPhoneNumbersV2Command).map((call) => call.args[0].input.PhoneNumberPrefix)).toEqual(['+44770090012']);
    expect(result.PhysicalResourceId).toBe(ukArn);
  });
});

describe('isComplete: failures explained', () => {
  test('a FAILED claim over the instance limit names the "Phone numbers per instance" quota', async () => {
    // GIVEN Connect ends the claim FAILED because the instance holds as many numbers as allowed
    connectHolds(summary({ PhoneNumberStatus: { Status: 'FAILED', Message: 'The allowed limit for claimed phone numbers has been exceeded for your instance' } }));
    const event = withProgress(createEvent(), NUMBER_ARN, { waitFor: 'CONVERGED', startedAt: clock.now(), deadline: clock.now() + 60_000 });
    // WHEN isComplete looks at it
    const error = await failureOf(handler.isComplete(event, context()));
    // THEN the event fails naming the quota to raise
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error.message).toContain('The allowed limit for claimed phone numbers has been exceeded for your instance.');
    expect(error.message).toContain('raise "Phone numbers per instance" in Service Quotas');
  });
});

describe('Claims refused for the account quotas', () => {
  test.each([
    ['ServiceQuotaExceededException', 402],
    ['LimitExceededException', 429],
  ])('a claim refused with %s names the 200%% claim/release rule and the fix', async (name, status) => {
    // GIVEN Connect refuses the claim for the account's quotas (the error it answers for the 200% rule is undocumented)
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError(name, 'Request rejected', status));
    // WHEN the resource is created
    const error = await failureOf(handler.onEvent(createEvent(), context()));
    // THEN the failure says why and what to do, and nothing else was tried
    expect(error).toBeInstanceOf(ClaimRefusedError);
    expect(error.message).toMatch(/exceed 200% of its phone number quota.*AWS Support.*Service Quotas/s);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
  });

  test('a refusal of another kind keeps Connect\'s own error', async () => {
    // GIVEN Connect refuses the claim for a reason unrelated to quotas
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('AccessDeniedException', 'User is not authorized', 403));
    // WHEN the resource is created THEN the error is Connect's own
    const error = await failureOf(handler.onEvent(createEvent(), context()));
    expect(error.name).toBe('AccessDeniedException');
  });
});
