import { deriveClientToken } from '../../lambda/client-token';

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

  test('is the same for a second delivery of the same event', () => {
    // GIVEN the same event delivered twice (equal fields, different objects)
    const first = deriveClientToken({ ...scope }, 'ClaimPhoneNumber', '+12065550100');
    const second = deriveClientToken({ ...scope }, 'ClaimPhoneNumber', '+12065550100');
    // THEN both deliveries use one token
    expect(second).toBe(first);
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
