/** Release ClientTokens: the same for the same number on every run, so a repeated release is the same release. */
import { releaseToken } from '../../cli/release-token';

const ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/3457ed6e-7631-4c6a-8e1b-5f7daeb99cca';

test('a number gets the same release token on every run', () => {
  expect(releaseToken(ARN)).toBe(releaseToken(ARN));
});

test('two numbers get different release tokens, in the UUID form Connect accepts', () => {
  expect(releaseToken(ARN)).not.toBe(releaseToken(ARN.replace('3457', '3458')));
  expect(releaseToken(ARN)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
