import { ConnectClient, DescribePhoneNumberCommand, UpdatePhoneNumberMetadataCommand } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { InvalidPropertiesError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import {
  context,
  createEvent,
  INSTANCE_ID,
  NUMBER_ARN,
  PROPS,
  quietHandler,
  summary,
  TDG_ARN,
  updateEvent,
} from './fixtures';

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;

beforeEach(() => {
  connect.reset();
  handler = quietHandler();
});

describe('Handler validation (a hand-edited template or a token that resolved to a bad value)', () => {
  test.each([
    ['a phone number without +', { ...PROPS, PhoneNumber: '2065550100' }, 'PhoneNumber must be in E.164 format'],
    ['no phone number', { InstanceId: INSTANCE_ID }, 'PhoneNumber is required'],
    ['both targets', { ...PROPS, TargetArn: TDG_ARN }, 'Give exactly one of InstanceId or TargetArn, not both'],
    ['no target', { PhoneNumber: '+12065550100' }, 'Give exactly one of InstanceId (the Connect instance id) or TargetArn'],
    ['a TargetArn of another service', { PhoneNumber: '+12065550100', TargetArn: 'arn:aws:s3:::bucket' }, 'TargetArn must be the ARN of a Connect instance'],
    ['a long description', { ...PROPS, PhoneNumberDescription: 'x'.repeat(501) }, 'PhoneNumberDescription must be at most 500 characters; got 501'],
    ['tags as a list', { ...PROPS, Tags: [{ Key: 'a', Value: 'b' }] }, 'Tags must be a map of tag keys to values'],
    ['a reserved tag key', { ...PROPS, Tags: { 'claimed-phone-number:owner': 'me' } }, 'is reserved'],
    ['an aws: tag key', { ...PROPS, Tags: { 'aws:x': 'y' } }, 'may not start with "aws:"'],
    ['a number given as a JSON number', { ...PROPS, PhoneNumber: 12065550100 }, 'PhoneNumber must be a string'],
  ])('fails a Create with %s before any Connect call', async (_name, props, message) => {
    // WHEN a Create event carries invalid properties
    const attempt = handler.onEvent(createEvent(props), context());
    // THEN it fails with the reason, and Connect was never called
    await expect(attempt).rejects.toThrow(InvalidPropertiesError);
    await expect(handler.onEvent(createEvent(props), context())).rejects.toThrow(message);
    expect(connect.calls()).toHaveLength(0);
  });

  test('shows the end of a long bad value, where an ARN says what kind of resource it is', async () => {
    // GIVEN a TargetArn of a queue, longer than the shortened display
    const queueArn = `arn:aws:connect:us-east-1:123456789012:instance/${'0'.repeat(80)}/queue/q1`;
    // WHEN a Create carries it
    const attempt = handler.onEvent(createEvent({ PhoneNumber: '+12065550100', TargetArn: queueArn }), context());
    // THEN the message still shows the /queue/ part
    await expect(attempt).rejects.toThrow(/\.\.\.0+\/queue\/q1"/);
  });

  test('fails an Update with bad new properties before any Connect call', async () => {
    // WHEN an update carries an invalid phone number
    const attempt = handler.onEvent(updateEvent({ ...PROPS, PhoneNumber: '+1 206 555 0100' }), context());
    // THEN it fails and Connect was never called
    await expect(attempt).rejects.toThrow('got "+1 206 555 0100"');
    expect(connect.calls()).toHaveLength(0);
  });

  test('accepts old properties that today\'s rules would reject, so an update can fix them', async () => {
    // GIVEN the old properties have a description now too long, the new ones fix it; Connect holds the old one
    const old = { ...PROPS, PhoneNumberDescription: 'x'.repeat(600) };
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: summary({ PhoneNumberDescription: old.PhoneNumberDescription }) });
    // WHEN the update arrives
    const result = await handler.onEvent(updateEvent(PROPS, old), context());
    // THEN it proceeds in place and sets the fixed description
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberMetadataCommand, { PhoneNumberId: NUMBER_ARN, PhoneNumberDescription: 'Support line' });
  });
});
