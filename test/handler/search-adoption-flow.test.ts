import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { NumberNotAvailableError, NumberNotOwnedError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import {
  context,
  createEvent,
  deleteEvent,
  FakeClock,
  FakeStack,
  INSTANCE_ID,
  NUMBER_ARN,
  NUMBER_ID,
  OTHER_INSTANCE_ID,
  OWNER_TAG,
  PROPS,
  quietHandler,
  serviceError,
  summary,
  updateEvent,
  withProgress,
} from './fixtures';

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;
const SEARCH = { PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: '+1206', InstanceId: INSTANCE_ID };
const FLOW_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/flow-1`;
/** What Connect reports for a number that the search criteria of SEARCH describe. */
const US_DID = { PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' };
const notAvailable = (n: string) => serviceError('InvalidParameterException', `Phone number not available: ${n}`, 400);

beforeEach(() => {
  connect.reset();
  handler = quietHandler();
});

describe('Search and claim', () => {
  test('with no matching number held, searches with the criteria and the target, then claims one candidate', async () => {
    // GIVEN no claimed number matches the search, and two numbers are available
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550001' }, { PhoneNumber: '+12065550002' }] });
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN a search Create arrives
    const result = await handler.onEvent(createEvent(SEARCH), context());
    // THEN the claimed numbers were checked for a held match with the same criteria, the search named them,
    // one claim was made, and the attribute is the claimed number
    expect(connect).toHaveReceivedCommandWith(ListPhoneNumbersV2Command, {
      InstanceId: INSTANCE_ID,
      PhoneNumberCountryCodes: ['US'],
      PhoneNumberTypes: ['DID'],
      PhoneNumberPrefix: '+1206',
    });
    expect(connect).toHaveReceivedCommandWith(SearchAvailablePhoneNumbersCommand, {
      PhoneNumberCountryCode: 'US',
      PhoneNumberType: 'DID',
      PhoneNumberPrefix: '+1206',
      InstanceId: INSTANCE_ID,
    });
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
    const claimed = connect.commandCalls(ClaimPhoneNumberCommand)[0].args[0].input.PhoneNumber;
    expect(result.Data?.PhoneNumber).toBe(claimed);
  });

  test('a candidate taken between search and claim is skipped for the next, with the same token', async () => {
    // GIVEN no matching number is held, and the first claimed candidate is taken meanwhile
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550001' }, { PhoneNumber: '+12065550002' }] });
    connect.on(ClaimPhoneNumberCommand).rejectsOnce(notAvailable('x')).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN a search Create arrives
    await handler.onEvent(createEvent(SEARCH), context());
    // THEN both candidates were tried, once each, under one ClientToken
    const calls = connect.commandCalls(ClaimPhoneNumberCommand).map((call) => call.args[0].input);
    expect(new Set(calls.map((input) => input.PhoneNumber)).size).toBe(2);
    expect(new Set(calls.map((input) => input.ClientToken)).size).toBe(1);
  });

  test('an IdempotencyException means an earlier delivery claimed a number: that one is answered', async () => {
    // GIVEN the earlier delivery's number is not listed yet when the search starts, the claim is refused because
    // the token was used for another number, and by then the earlier delivery's number is listed
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550003' }] });
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('IdempotencyException', 'token reused', 409));
    connect
      .on(ListPhoneNumbersV2Command)
      .resolvesOnce({ ListPhoneNumbersSummaryList: [] })
      .resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumber: '+12065550001' }) });
    // WHEN the repeated delivery is handled
    const result = await handler.onEvent(createEvent(SEARCH), context());
    // THEN after the one refused claim it answers the number it already owns
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data?.PhoneNumber).toBe('+12065550001');
  });

  test('a new resource whose previous Create failed moments ago waits for the number that attempt claimed, and claims nothing', async () => {
    // GIVEN this resource's last Create failed a second ago, and its claim shows up in Connect's list only later
    const clock = new FakeClock();
    const stack = new FakeStack();
    stack.failedCreateAt = clock.now() - 1000;
    handler = quietHandler(clock, stack);
    connect
      .on(ListPhoneNumbersV2Command)
      .resolvesOnce({ ListPhoneNumbersSummaryList: [] })
      .resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ ...US_DID, PhoneNumber: '+12065550001' }) });
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550002' }] });
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: `${NUMBER_ARN}0`, PhoneNumberId: `${NUMBER_ID}0` });
    // WHEN the search Create of the next deploy arrives
    const result = await handler.onEvent(createEvent(SEARCH), context());
    // THEN it answers the number the failed attempt claimed, without searching or claiming
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).not.toHaveReceivedCommand(ClaimPhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(SearchAvailablePhoneNumbersCommand);
  });

  test('a previous Create that failed longer ago than the visibility window does not delay the search', async () => {
    // GIVEN this resource's last Create failed a minute ago (the test settings' window is 10 s), and nothing is held
    const clock = new FakeClock();
    const stack = new FakeStack();
    stack.failedCreateAt = clock.now() - 60_000;
    handler = quietHandler(clock, stack);
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550002' }] });
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    // WHEN the search Create arrives
    await handler.onEvent(createEvent(SEARCH), context());
    // THEN it claims at once: one look for a held number, no wait, no second look
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 1);
    expect(clock.sleeps).toEqual([]);
  });

  test('a repeated replacement never answers the number it replaces, even when Connect lists it among the matches', async () => {
    // GIVEN a number held under the old criteria (+1425) that does not match the new ones (+1206), so the update
    // replaces it; the new search's token was already used by an earlier delivery; and Connect lists two owned
    // numbers for the new criteria, the one being replaced first
    const newArn = NUMBER_ARN.replace(NUMBER_ID, 'new-number');
    const oldSearch = { ...SEARCH, PhoneNumberPrefix: '+1425' };
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+12065550003' }] });
    connect.on(ClaimPhoneNumberCommand).rejects(serviceError('IdempotencyException', 'token reused', 409));
    connect
      .on(ListPhoneNumbersV2Command)
      .resolvesOnce({ ListPhoneNumbersSummaryList: [] })
      .resolves({
        ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }, { PhoneNumberArn: newArn, PhoneNumberId: 'new-number' }],
      });
    connect.on(DescribePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN }).resolves({ ClaimedPhoneNumberSummary: summary({ ...US_DID, PhoneNumber: '+14255550004' }) });
    connect
      .on(DescribePhoneNumberCommand, { PhoneNumberId: newArn })
      .resolves({ ClaimedPhoneNumberSummary: summary({ ...US_DID, PhoneNumberArn: newArn, PhoneNumberId: 'new-number', PhoneNumber: '+12065550004' }) });
    // WHEN the repeated delivery of the replacing update is handled
    const result = await handler.onEvent(updateEvent(SEARCH, oldSearch), context());
    // THEN it answers the number this request claimed, not the one being replaced, which was only read once to decide
    expect(result.PhysicalResourceId).toBe(newArn);
    expect(result.Data?.PhoneNumber).toBe('+12065550004');
    expect(connect.commandCalls(DescribePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN })).toHaveLength(1);
  });

  test('no candidate left fails with advice to widen the search', async () => {
    // GIVEN nothing is available and nothing is owned
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [] });
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    // WHEN a search Create arrives
    // THEN it fails saying so
    await expect(handler.onEvent(createEvent(SEARCH), context())).rejects.toThrow(NumberNotAvailableError);
  });

  test('changing the criteria so that the held number no longer matches is a replacement; keeping them is not', async () => {
    // GIVEN a number found by search (+1206), held by this resource, and no other number held for the new criteria
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    connect.on(SearchAvailablePhoneNumbersCommand).resolves({ AvailableNumbersList: [{ PhoneNumber: '+14255550001' }] });
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN.replace(NUMBER_ID, 'new'), PhoneNumberId: 'new' });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ ...US_DID, PhoneNumber: '+12065550999' }) });
    // WHEN the prefix changes to one the number does not match, and separately only the description
    const replaced = await handler.onEvent(updateEvent({ ...SEARCH, PhoneNumberPrefix: '+1425' }, SEARCH), context());
    const inPlace = await handler.onEvent(updateEvent({ ...SEARCH, PhoneNumberDescription: 'x' }, SEARCH), context());
    // THEN the first claims a new number, the second keeps the number without a claim and reports it from Connect
    expect(replaced.PhysicalResourceId).not.toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(ClaimPhoneNumberCommand, 1);
    expect(inPlace.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(inPlace.Data?.PhoneNumber).toBe('+12065550999');
  });
});

describe('Adoption', () => {
  const claimedByHand = (overrides = {}) => {
    connect.on(ClaimPhoneNumberCommand).rejects(notAvailable('+12065550100'));
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumber: '+12065550100', PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ Tags: { legacy: 'yes' }, ...overrides }) });
  };

  test('adoptExisting tags the number as owned and replaces its tags with the declared ones', async () => {
    // GIVEN a number claimed by hand to the declared instance
    claimedByHand();
    // WHEN the resource is created with AdoptExisting (CloudFormation sends "true")
    const result = await handler.onEvent(createEvent({ ...PROPS, AdoptExisting: 'true' }), context());
    // THEN it is owned, tagged as declared, and the old tag removed
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { tags: { [OWNER_TAG]: 'Numbers/Support5CFB64A3' } });
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { tags: { team: 'support' } });
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { tagKeys: ['legacy'] });
  });

  test('without adoptExisting the same number is refused, suggesting the flag', async () => {
    // GIVEN a number claimed by hand
    claimedByHand();
    // WHEN the resource is created without the flag
    // THEN it fails naming adoptExisting
    await expect(handler.onEvent(createEvent(PROPS), context())).rejects.toThrow(/set adoptExisting: true/);
  });

  test('adoptExisting refuses a number claimed to another target', async () => {
    // GIVEN a number claimed by hand to another instance
    claimedByHand({ InstanceId: OTHER_INSTANCE_ID, TargetArn: `arn:aws:connect:us-east-1:123456789012:instance/${OTHER_INSTANCE_ID}` });
    // WHEN the resource is created with AdoptExisting
    const attempt = handler.onEvent(createEvent({ ...PROPS, AdoptExisting: 'true' }), context());
    // THEN it fails and changes nothing
    await expect(attempt).rejects.toThrow(NumberNotOwnedError);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });
});

describe('Contact-flow association', () => {
  test('associates the flow once the claim has converged', async () => {
    // GIVEN a claimed number and a declared flow
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    const clock = new FakeClock();
    handler = quietHandler(clock);
    // WHEN isComplete runs for the Create
    const event = withProgress(createEvent({ ...PROPS, ContactFlowArn: FLOW_ARN }), NUMBER_ARN, { waitFor: 'CONVERGED', startedAt: clock.now(), deadline: clock.now() + 60_000 });
    await handler.isComplete(event, context());
    // THEN the number is associated with the flow's instance and id
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, { PhoneNumberId: NUMBER_ARN, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' });
  });

  test('a changed flow is associated in place; a removed one disassociated', async () => {
    // GIVEN the number is held as declared
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN the flow is added, then removed
    await handler.onEvent(updateEvent({ ...PROPS, ContactFlowArn: FLOW_ARN }), context());
    await handler.onEvent(updateEvent(PROPS, { ...PROPS, ContactFlowArn: FLOW_ARN }), context());
    // THEN one association and one disassociation were sent
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 1);
    expect(connect).toHaveReceivedCommandWith(DisassociatePhoneNumberContactFlowCommand, { PhoneNumberId: NUMBER_ARN, InstanceId: INSTANCE_ID });
  });

  test('delete disassociates the declared flow before releasing', async () => {
    // GIVEN an owned number with a declared flow
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    // WHEN it is deleted
    await handler.onEvent(deleteEvent(NUMBER_ARN, { ...PROPS, ContactFlowArn: FLOW_ARN }), context());
    // THEN the disassociation comes first, then the release
    const order = connect.calls().map((call) => call.args[0].constructor.name);
    expect(order.indexOf('DisassociatePhoneNumberContactFlowCommand')).toBeLessThan(order.indexOf('ReleasePhoneNumberCommand'));
    expect(connect).toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('a refused disassociation does not block the release', async () => {
    // GIVEN Connect refuses the disassociation (the association was never made)
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
    connect.on(DisassociatePhoneNumberContactFlowCommand).rejects(serviceError('InvalidParameterException', 'no association', 400));
    // WHEN the number is deleted
    await handler.onEvent(deleteEvent(NUMBER_ARN, { ...PROPS, ContactFlowArn: FLOW_ARN }), context());
    // THEN it is released all the same
    expect(connect).toHaveReceivedCommand(ReleasePhoneNumberCommand);
  });

  test('a flow of another instance than the number\'s is refused before any call', async () => {
    // WHEN the flow belongs to another instance
    const attempt = handler.onEvent(createEvent({ ...PROPS, ContactFlowArn: FLOW_ARN.replace(INSTANCE_ID, OTHER_INSTANCE_ID) }), context());
    // THEN the Create fails with the reason
    await expect(attempt).rejects.toThrow(/is a flow of instance 66666666-7777-4888-9999-000000000000, but the number is claimed to instance/);
    expect(connect.calls()).toHaveLength(0);
  });
});
