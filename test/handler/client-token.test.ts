import { ClaimPhoneNumberCommand, ConnectClient } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { deriveClientToken } from '../../lambda/client-token';
import { context, createEvent, NUMBER_ARN, NUMBER_ID, PROPS, quietHandler } from './fixtures';

const connect = mockClient(ConnectClient);
beforeEach(() => connect.reset());

const scope = {
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/5b7e1c80-0000-4000-8000-000000000001',
  LogicalResourceId: 'Support5CFB64A3',
  RequestId: 'a5a1a7b0-1111-4222-8333-444455556666',
};
const CONNECT_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

describe('ClientToken derivation', () => {
  test('matches the ClientToken pattern of the Connect API', () => {
    // WHEN a token is derived
    const token = deriveClientToken(scope, 'ClaimPhoneNumber', '+12065550100');
    // THEN it is a lowercase UUID as Connect requires
    expect(token).toMatch(CONNECT_PATTERN);
  });

  test('is the same for a second delivery of the same event, as the handler sends it to Connect', async () => {
    // GIVEN a Create delivered twice (the second a fresh copy, as a Lambda retry deserializes it again)
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    const event = createEvent(PROPS, 'a5a1a7b0-1111-4222-8333-444455556666');
    // WHEN the handler runs both deliveries
    await quietHandler().onEvent(event, context());
    await quietHandler().onEvent(JSON.parse(JSON.stringify(event)), context());
    // THEN both claims carry one token, in Connect's pattern, and it is not the token of another request
    const tokens = connect.commandCalls(ClaimPhoneNumberCommand).map((call) => call.args[0].input.ClientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[0]).toMatch(CONNECT_PATTERN);
    await quietHandler().onEvent(createEvent(PROPS, 'b5a1a7b0-1111-4222-8333-444455556666'), context());
    expect(connect.commandCalls(ClaimPhoneNumberCommand)[2].args[0].input.ClientToken).not.toBe(tokens[0]);
  });

  test.each([
    ['another stack', { ...scope, StackId: scope.StackId.replace('Numbers', 'Other') }],
    ['another logical id', { ...scope, LogicalResourceId: 'Sales1863061C' }],
    ['another request', { ...scope, RequestId: 'b5a1a7b0-1111-4222-8333-444455556666' }],
  ])('differs for %s', (_name, other) => {
    // WHEN tokens are derived for two different requests
    // THEN they differ
    expect(deriveClientToken(other, 'ClaimPhoneNumber', '+12065550100')).not.toBe(deriveClientToken(scope, 'ClaimPhoneNumber', '+12065550100'));
  });

  test('differs between operations and between the values of one operation', () => {
    // WHEN one event derives tokens for several calls
    const tokens = [
      deriveClientToken(scope, 'ClaimPhoneNumber', '+12065550100'),
      deriveClientToken(scope, 'UpdatePhoneNumberMetadata', 'arn', 'a'),
      deriveClientToken(scope, 'UpdatePhoneNumberMetadata', 'arn', 'b'),
      deriveClientToken(scope, 'UpdatePhoneNumber', 'arn', 'a'),
      deriveClientToken(scope, 'ReleasePhoneNumber', 'arn'),
    ];
    // THEN no two calls share a token
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('does not confuse values that only differ in how they are split', () => {
    // GIVEN values whose concatenation is the same
    // THEN the tokens differ (the inputs are serialised with their boundaries)
    expect(deriveClientToken(scope, 'Op', 'ab', 'c')).not.toBe(deriveClientToken(scope, 'Op', 'a', 'bc'));
  });

  test('has the version 5 and RFC 4122 variant bits set', () => {
    // WHEN a token is derived
    const token = deriveClientToken(scope, 'ClaimPhoneNumber', '+12065550100');
    // THEN it reads as a name-based UUID
    expect(token[14]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(token[19]);
  });
});
