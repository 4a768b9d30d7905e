/** Argument parsing: bad input fails before any AWS call, with a message that says what to do. */
import { parseArgs } from '../../cli/args';
import { UsageError } from '../../cli/errors';

const usageError = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (error) {
    return error instanceof UsageError ? error.message : `not a UsageError: ${String(error)}`;
  }
  return 'no error';
};

test('list takes its options in both --name value and --name=value forms', () => {
  expect(parseArgs(['list', '--region', 'eu-west-2', '--profile=ops', '--stack', 'Numbers', '--json', '--state=kept,orphaned'])).toMatchObject({
    command: 'list',
    region: 'eu-west-2',
    profile: 'ops',
    stack: 'Numbers',
    json: true,
    states: ['kept', 'orphaned'],
  });
});

test('release separates numbers from ARNs', () => {
  const arn = 'arn:aws:connect:us-east-1:123456789012:phone-number/3457ed6e-7631-4c6a-8e1b-5f7daeb99cca';
  expect(parseArgs(['release', '+12065550100', arn, '--yes'])).toMatchObject({ command: 'release', numbers: ['+12065550100'], arns: [arn], yes: true });
});

test('no command prints the help', () => {
  expect(parseArgs([]).command).toBe('help');
});

test('an unknown state is bad input', () => {
  expect(usageError(['list', '--state', 'kept,lost'])).toBe('Unknown state "lost": states are in-use, kept, retained, orphaned.');
});

test('a number that is not E.164 is bad input', () => {
  expect(usageError(['release', '2065550100'])).toMatch(/^Not an E\.164 phone number: 2065550100/);
});

test('an ARN that is not a Connect phone number ARN is bad input', () => {
  expect(usageError(['release', 'arn:aws:connect:us-east-1:123456789012:instance/abc'])).toMatch(/^Not an Amazon Connect phone number ARN/);
});

test('release refuses the in-use state outright', () => {
  expect(usageError(['release', '--state', 'in-use'])).toMatch(/never releases in-use numbers/);
});

test('release without a state or a number is bad input', () => {
  expect(usageError(['release', '--yes'])).toMatch(/^Say what to release/);
});

test('an unknown option is bad input', () => {
  expect(usageError(['list', '--all'])).toBe('Unknown option --all.');
});

test('an option without its value is bad input', () => {
  expect(usageError(['list', '--region'])).toBe('--region needs a value.');
});
