import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ListPhoneNumbersV2Command,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { NumberNotAvailableError, NumberNotOwnedError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { PROGRESS_KEY } from '../../lambda/progress';
import {
  context,
  createEvent,
  FakeStack,
  HANDOVER_TAG,
  NUMBER_ARN,
  NUMBER_ID,
  OWNER_TAG,
  PROPS,
  quietHandler,
  serviceError,
  summary,
  TDG_ARN,
} from './fixtures';

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;
let stack: FakeStack;

beforeEach(() => {
  connect.reset();
  stack = new FakeStack();
  stack.status_ = 'UPDATE_IN_PROGRESS';
  handler = quietHandler(undefined, stack);
});

const notAvailable = () => serviceError('InvalidParameterException', 'Phone number not available: +12065550100', 400);

describe('Create', () => {
  test('claims the number to the instance with its description, tags and the ownership tag', async () => {
    // GIVEN Connect accepts the claim
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN a Create event arrives
    await handler.onEvent(createEvent(), context());
    // THEN the claim carries exactly the declared values and the owner tag
    expect(connect).toHaveReceivedCommandWith(ClaimPhoneNumberCommand, {
      PhoneNumber: '+12065550100',
      InstanceId: PROPS.InstanceId,
      PhoneNumberDescription: 'Support line',
      Tags: { team: 'support', [OWNER_TAG]: 'Numbers/Support5CFB64A3' },
    });
  });

  test('claims to a traffic distribution group by TargetArn when one is given', async () => {
    // GIVEN properties with a TargetArn instead of an InstanceId
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    const props = { PhoneNumber: '+12065550100', TargetArn: TDG_ARN };
    // WHEN the number is created
    await handler.onEvent(createEvent(props), context());
    // THEN the claim names the TargetArn and no InstanceId
    const input = connect.commandCalls(ClaimPhoneNumberCommand)[0].args[0].input;
    expect(input).toMatchObject({ TargetArn: TDG_ARN });
    expect(input.InstanceId).toBeUndefined();
  });

  test('answers with the phone number ARN as physical id and the three attributes', async () => {
    // GIVEN Connect accepts the claim
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN the number is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN the answer identifies the number and asks isComplete to wait for the claim
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data).toEqual({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID, PhoneNumber: '+12065550100' });
    expect(result[PROGRESS_KEY].waitFor).toBe('CONVERGED');
  });

  test('sends no description when none is declared', async () => {
    // GIVEN properties without a description
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN the number is created
    await handler.onEvent(createEvent({ PhoneNumber: '+12065550100', InstanceId: PROPS.InstanceId }), context());
    // THEN the claim carries no PhoneNumberDescription and only the ownership tag
    const input = connect.commandCalls(ClaimPhoneNumberCommand)[0].args[0].input;
    expect(input.PhoneNumberDescription).toBeUndefined();
    expect(input.Tags).toEqual({ [OWNER_TAG]: 'Numbers/Support5CFB64A3' });
  });

  test('retries a throttled claim with the same client token until it succeeds', async () => {
    // GIVEN Connect throttles the first two attempts
    connect
      .on(ClaimPhoneNumberCommand)
      .rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded', 429))
      .rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded', 429))
      .resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN the number is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN the third attempt succeeds, and all three carried one token
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    const tokens = connect.commandCalls(ClaimPhoneNumberCommand).map((call) => call.args[0].input.ClientToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  test('retries a 5xx answer and a dropped connection like throttling', async () => {
    // GIVEN an internal error, then a reset connection, then success
    connect
      .on(ClaimPhoneNumberCommand)
      .rejectsOnce(serviceError('InternalServiceException', 'boom', 500))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN the number is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN the claim succeeds after three attempts
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 3);
  });

  test('gives up on throttling shortly before the invocation deadline instead of after three attempts', async () => {
    // GIVEN Connect throttles every attempt, and the invocation has 20 s left (5 s kept as margin)
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded', 429));
    connect.on(ListPhoneNumbersV2Command).rejects(serviceError('ThrottlingException', 'Rate exceeded', 429));
    // WHEN the number is created
    const attempt = handler.onEvent(createEvent(), context(20_000));
    // THEN it fails with the throttling error, after many more than the SDK's default 3 attempts
    await expect(attempt).rejects.toThrow('Rate exceeded');
    expect(connect.commandCalls(ClaimPhoneNumberCommand).length).toBeGreaterThan(5);
  });

  test('does not retry an answer that cannot change, such as access denied', async () => {
    // GIVEN Connect denies the claim
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('AccessDeniedException', 'not authorized', 403));
    // WHEN the number is created
    await expect(handler.onEvent(createEvent(), context())).rejects.toThrow('not authorized');
    // THEN exactly one attempt was made and nothing else was called
    expect(connect.calls()).toHaveLength(1);
  });

  test('takes back a number this resource claimed in an interrupted earlier attempt', async () => {
    // GIVEN the number is not available because this very resource already holds it
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }],
    });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN the number is created again
    const result = await handler.onEvent(createEvent(), context());
    // THEN the resource answers with that number and changes nothing that is already as declared
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
    expect(connect).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('brings the tags of a taken-back number to the declared state', async () => {
    // GIVEN the earlier attempt tagged the number differently
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }],
    });
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { team: 'sales', stale: 'x', [OWNER_TAG]: 'Numbers/Support5CFB64A3' } }),
    });
    // WHEN the number is created again
    await handler.onEvent(createEvent(), context());
    // THEN the changed tag is set and the stale one removed; the owner tag is left alone
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: NUMBER_ARN, tags: { team: 'support' } });
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: ['stale'] });
  });

  test('takes over a number from the resource of the same stack it moved from, recording the handover', async () => {
    // GIVEN the number belongs to another logical id of the same stack that the template no longer declares and
    // that the stack still holds with this number (the construct moved in the tree)
    stack.physicalIds.set('OldSupportABCD1234', NUMBER_ARN);
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }],
    });
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { team: 'support', [OWNER_TAG]: 'Numbers/OldSupportABCD1234' } }),
    });
    // WHEN the new logical id is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN it owns the number and remembers where it came from, in one tag call
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, {
      resourceArn: NUMBER_ARN,
      tags: { [OWNER_TAG]: 'Numbers/Support5CFB64A3', [HANDOVER_TAG]: 'OldSupportABCD1234' },
    });
    expect(connect).toHaveReceivedCommandTimes(TagResourceCommand, 1);
  });

  test('takes the number of a removed resource the stack no longer holds without recording a handover', async () => {
    // GIVEN the number belongs to another logical id of the same stack that neither the template nor the stack
    // holds any more (a rollback kept its number, or it was retained)
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }],
    });
    connect.on(DescribePhoneNumberCommand).resolves({
      ClaimedPhoneNumberSummary: summary({ Tags: { team: 'support', [OWNER_TAG]: 'Numbers/OldSupportABCD1234' } }),
    });
    // WHEN the new logical id is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN it owns the number, with no handover to give back
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: NUMBER_ARN, tags: { [OWNER_TAG]: 'Numbers/Support5CFB64A3' } });
  });

  test('refuses a number claimed by somebody else and changes nothing', async () => {
    // GIVEN the number is claimed in the account without this stack's owner tag
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }],
    });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ Tags: { team: 'console' } }) });
    // WHEN the number is created
    const attempt = handler.onEvent(createEvent(), context());
    // THEN Create fails naming the number and the missing tag, and no tag was written
    await expect(attempt).rejects.toThrow(NumberNotOwnedError);
    await expect(handler.onEvent(createEvent(), context())).rejects.toThrow(
      /\+12065550100 is already claimed in this account .* its "claimed-phone-number:owner" tag is missing/,
    );
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('explains a number that is neither available nor claimed in the account', async () => {
    // GIVEN the number is in cooldown or held by another account
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    // WHEN the number is created
    const attempt = handler.onEvent(createEvent(), context());
    // THEN Create fails with the reasons a number can be unavailable
    await expect(attempt).rejects.toThrow(NumberNotAvailableError);
    await expect(handler.onEvent(createEvent(), context())).rejects.toThrow(/cooldown \(up to 180 days/);
  });

  test('follows ListPhoneNumbersV2 pages until it finds the number', async () => {
    // GIVEN the number is on the second page of the list
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable());
    connect
      .on(ListPhoneNumbersV2Command)
      .resolvesOnce({ ListPhoneNumbersSummaryList: [{ PhoneNumber: '+120655501001' }], NextToken: 'page-2' })
      .resolvesOnce({ ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN the number is created
    const result = await handler.onEvent(createEvent(), context());
    // THEN the second page was requested with the token and the number found there
    expect(connect.commandCalls(ListPhoneNumbersV2Command)[1].args[0].input.NextToken).toBe('page-2');
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
  });
});
