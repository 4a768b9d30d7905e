import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ReleasePhoneNumberCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { PROGRESS_KEY } from '../../lambda/progress';
import {
  context,
  INSTANCE_ID,
  NUMBER_ARN,
  NUMBER_ID,
  OTHER_INSTANCE_ID,
  OWNER_TAG,
  PROPS,
  quietHandler,
  serviceError,
  summary,
  TDG_ARN,
  updateEvent,
} from './fixtures';

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;
const callNames = () => connect.calls().map((call) => call.args[0].constructor.name);

beforeEach(() => {
  connect.reset();
  handler = quietHandler();
  // Every update first reads the number it holds: unless a test says otherwise, Connect holds it as PROPS left it.
  connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary() });
});

describe('Update in place', () => {
  test('a description change reads the number, then calls UpdatePhoneNumberMetadata and nothing else', async () => {
    // GIVEN only the description changed
    const props = { ...PROPS, PhoneNumberDescription: 'Support line (24/7)' };
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent(props), context());
    // THEN after reading the number, one metadata update is the only Connect call, and the physical id is kept
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberMetadataCommand, {
      PhoneNumberId: NUMBER_ARN,
      PhoneNumberDescription: 'Support line (24/7)',
    });
    expect(callNames()).toEqual(['DescribePhoneNumberCommand', 'UpdatePhoneNumberMetadataCommand']);
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result[PROGRESS_KEY].waitFor).toBe('CONVERGED');
  });

  test('removing the description clears it', async () => {
    // GIVEN the description was removed from the template
    const { PhoneNumberDescription: _removed, ...props } = PROPS;
    // WHEN the update arrives
    await handler.onEvent(updateEvent(props), context());
    // THEN the description is set to the empty string
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberMetadataCommand, { PhoneNumberDescription: '' });
  });

  test('added and changed tags are tagged, removed tags untagged, and nothing else is called after reading the number', async () => {
    // GIVEN one tag changed, one added and one removed (Connect holds the old tags)
    const old = { ...PROPS, Tags: { team: 'support', floor: '3' } };
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ Tags: { ...old.Tags, [OWNER_TAG]: 'Numbers/Support5CFB64A3' } }) });
    const props = { ...PROPS, Tags: { team: 'care', region: 'emea' } };
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent(props, old), context());
    // THEN besides reading the number, exactly one TagResource and one UntagResource were sent
    expect(connect).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: NUMBER_ARN, tags: { team: 'care', region: 'emea' } });
    expect(connect).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: NUMBER_ARN, tagKeys: ['floor'] });
    expect(connect.calls()).toHaveLength(3);
    expect(connect).toHaveReceivedCommandTimes(DescribePhoneNumberCommand, 1);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
  });

  test('removed tags are untagged before new ones are tagged, so a full set never exceeds the limit', async () => {
    // GIVEN a tag key renamed (Connect holds the old key)
    const old = { ...PROPS, Tags: { floor: '3' } };
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ Tags: { floor: '3', [OWNER_TAG]: 'Numbers/Support5CFB64A3' } }) });
    // WHEN the update arrives
    await handler.onEvent(updateEvent({ ...PROPS, Tags: { level: '3' } }, old), context());
    // THEN after reading the number, the old key goes first
    expect(callNames()).toEqual(['DescribePhoneNumberCommand', 'UntagResourceCommand', 'TagResourceCommand']);
  });

  test('a new target moves the number with UpdatePhoneNumber instead of releasing it', async () => {
    // GIVEN the instance changed
    const props = { ...PROPS, InstanceId: OTHER_INSTANCE_ID };
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent(props), context());
    // THEN the number is moved (the only call after reading it) and isComplete waits for CLAIMED
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN, InstanceId: OTHER_INSTANCE_ID });
    expect(callNames()).toEqual(['DescribePhoneNumberCommand', 'UpdatePhoneNumberCommand']);
    expect(result[PROGRESS_KEY].waitFor).toBe('CONVERGED');
  });

  test('moving from an instance id to a traffic distribution group ARN sends the TargetArn', async () => {
    // GIVEN InstanceId was replaced by a TargetArn
    const { InstanceId: _instance, ...rest } = PROPS;
    const props = { ...rest, TargetArn: TDG_ARN };
    // WHEN the update arrives
    await handler.onEvent(updateEvent(props), context());
    // THEN the move names the traffic distribution group
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN, TargetArn: TDG_ARN });
  });

  test('naming the same instance by ARN instead of by id is not a move', async () => {
    // GIVEN the same instance, now given as an instance ARN
    const { InstanceId: _instance, ...rest } = PROPS;
    const props = { ...rest, TargetArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` };
    // WHEN the update arrives
    await handler.onEvent(updateEvent(props), context());
    // THEN no Connect call is made besides reading the number
    expect(callNames()).toEqual(['DescribePhoneNumberCommand']);
  });

  test('a move together with a new description moves first and leaves the description to isComplete', async () => {
    // GIVEN both target and description changed
    const props = { ...PROPS, InstanceId: OTHER_INSTANCE_ID, PhoneNumberDescription: 'Moved' };
    // WHEN the update arrives
    await handler.onEvent(updateEvent(props), context());
    // THEN only the move is started now (a metadata update would collide with it)
    expect(connect).toHaveReceivedCommand(UpdatePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(UpdatePhoneNumberMetadataCommand);
  });

  test('all three kinds of change together: tags now, then the move', async () => {
    // GIVEN tags, target and description changed
    const props = { ...PROPS, InstanceId: OTHER_INSTANCE_ID, PhoneNumberDescription: 'Moved', Tags: { team: 'care' } };
    // WHEN the update arrives
    await handler.onEvent(updateEvent(props), context());
    // THEN after reading the number, tags and the move are sent, in that order
    expect(callNames()).toEqual(['DescribePhoneNumberCommand', 'TagResourceCommand', 'UpdatePhoneNumberCommand']);
  });

  test('nothing that matters changed: one read of the number and no other Connect call', async () => {
    // GIVEN identical properties except for an irrelevant ServiceToken-free copy
    const props = { ...PROPS, Tags: { ...PROPS.Tags } };
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent(props), context());
    // THEN Connect is only asked for the number, and isComplete makes no call at all
    expect(callNames()).toEqual(['DescribePhoneNumberCommand']);
    expect(result[PROGRESS_KEY].waitFor).toBe('NOTHING');
    expect(await handler.isComplete({ ...updateEvent(props), [PROGRESS_KEY]: result[PROGRESS_KEY] }, context())).toEqual({ IsComplete: true });
    expect(callNames()).toEqual(['DescribePhoneNumberCommand']);
  });

  test('a move refused because an earlier operation is still running is left to isComplete', async () => {
    // GIVEN Connect answers ResourceInUseException to the move
    connect.on(UpdatePhoneNumberCommand).rejects(serviceError('ResourceInUseException', 'operation in progress', 409));
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID }), context());
    // THEN onEvent still succeeds and isComplete converges later
    expect(result[PROGRESS_KEY].waitFor).toBe('CONVERGED');
  });

  test('the move carries a token that differs from the metadata update token', async () => {
    // GIVEN a target change, then (another event) a description change
    await handler.onEvent(updateEvent({ ...PROPS, InstanceId: OTHER_INSTANCE_ID }), context());
    await handler.onEvent(updateEvent({ ...PROPS, PhoneNumberDescription: 'x' }), context());
    // THEN each call carries its own valid token
    const moveToken = connect.commandCalls(UpdatePhoneNumberCommand)[0].args[0].input.ClientToken;
    const metadataToken = connect.commandCalls(UpdatePhoneNumberMetadataCommand)[0].args[0].input.ClientToken;
    expect(moveToken).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/);
    expect(metadataToken).not.toBe(moveToken);
  });
});

describe('Update that replaces the number', () => {
  test('a new phone number is claimed and answered with its own ARN', async () => {
    // GIVEN the phone number changed
    const newArn = 'arn:aws:connect:us-east-1:123456789012:phone-number/99999999-9999-4999-8999-999999999999';
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: newArn, PhoneNumberId: '99999999-9999-4999-8999-999999999999' });
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent({ ...PROPS, PhoneNumber: '+12065550111' }), context());
    // THEN the new number is claimed and becomes the physical id (CloudFormation deletes the old one later)
    expect(connect).toHaveReceivedCommandWith(ClaimPhoneNumberCommand, { PhoneNumber: '+12065550111' });
    expect(result.PhysicalResourceId).toBe(newArn);
    expect(result.Data?.PhoneNumber).toBe('+12065550111');
  });

  test('the replacement does not touch the old number', async () => {
    // GIVEN the phone number changed
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN.replace(NUMBER_ID, 'new'), PhoneNumberId: 'new' });
    // WHEN the update arrives
    await handler.onEvent(updateEvent({ ...PROPS, PhoneNumber: '+12065550111' }), context());
    // THEN the old number is only read; the claim is the only other call
    expect(callNames()).toEqual(['DescribePhoneNumberCommand', 'ClaimPhoneNumberCommand']);
    expect(connect).not.toHaveReceivedCommand(ReleasePhoneNumberCommand);
    expect(connect).not.toHaveReceivedCommand(TagResourceCommand);
  });
});
