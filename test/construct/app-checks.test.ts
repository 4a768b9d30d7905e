/**
 * Mistakes synth catches across the app, before any deploy: the same literal number declared in two stacks
 * for one environment, and props renamed since 0.1 (as plain JavaScript, Python or 0.1 code passes them).
 */
import { Stack, Stage } from 'aws-cdk-lib';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps, PhoneNumberSearch } from '../../lib';
import { INSTANCE_ID, newApp, PHONE_NUMBER } from './helpers';

/** The message `run` throws, or undefined if it does not throw. */
function errorOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const ENV_A = { account: '111111111111', region: 'us-east-1' };
const ENV_B = { account: '222222222222', region: 'us-east-1' };

describe('a literal number declared in two stacks of one app', () => {
  test('fails synth naming both construct paths when both stacks are environment-agnostic', () => {
    // GIVEN two stacks without an environment, each declaring the same number
    const app = newApp();
    new ClaimedPhoneNumber(new Stack(app, 'Support'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(app, 'Sales'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });

    // WHEN the app is synthesized
    const error = errorOf(() => app.synth());

    // THEN synth fails, naming the number and both declarations
    expect(error).toContain(`Phone number ${PHONE_NUMBER} is declared twice in environment-agnostic stacks`);
    expect(error).toContain('by Support/Line and by Sales/Line');
  });

  test('fails synth when both stacks have the same account and Region', () => {
    // GIVEN two stacks for the same account and Region, each declaring the same number
    const app = newApp();
    new ClaimedPhoneNumber(new Stack(app, 'Support', { env: ENV_A }), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(app, 'Sales', { env: ENV_A }), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });

    // WHEN the app is synthesized
    const error = errorOf(() => app.synth());

    // THEN synth fails for that account and Region
    expect(error).toContain(`Phone number ${PHONE_NUMBER} is declared twice for account 111111111111 and Region us-east-1: by Support/Line and by Sales/Line.`);
  });

  test('compares only stacks of the same environment', () => {
    // GIVEN the number in two stacks of account A and in one of account B (each account claims its own copy)
    const app = newApp();
    new ClaimedPhoneNumber(new Stack(app, 'Support', { env: ENV_A }), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(app, 'Test', { env: ENV_B }), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(app, 'Sales', { env: ENV_A }), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });

    // WHEN the app is synthesized
    const error = errorOf(() => app.synth()) ?? '';

    // THEN only the pair of account A is reported
    expect(error).toContain('by Support/Line and by Sales/Line');
    expect(error).not.toContain('Test/Line');
  });

  test('compares the stacks of one Stage, each Stage being its own cloud assembly', () => {
    // GIVEN a Stage whose two stacks declare the number, and another Stage (as a pipeline's Prod) that declares it once
    const app = newApp();
    const beta = new Stage(app, 'Beta');
    new ClaimedPhoneNumber(new Stack(beta, 'Support'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(beta, 'Sales'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(new Stack(new Stage(app, 'Prod'), 'Support'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });

    // WHEN the app is synthesized
    const error = errorOf(() => app.synth()) ?? '';

    // THEN the pair within Beta is reported, and Prod's number is not compared with Beta's
    expect(error).toContain('by Beta/Support/Line and by Beta/Sales/Line');
    expect(error).not.toContain('Prod/');
  });
});

describe('props renamed since 0.1', () => {
  test('search.type fails with a hint that it was renamed to numberType', () => {
    // GIVEN props written for 0.1 (or in plain JavaScript): search.type instead of search.numberType
    const stack = new Stack(newApp(), 'Old');
    const search = { countryCode: 'US', type: 'DID' } as unknown as PhoneNumberSearch;

    // WHEN the number is declared
    const error = errorOf(() => new ClaimedPhoneNumber(stack, 'Line', { search, instanceId: INSTANCE_ID } as ClaimedPhoneNumberProps));

    // THEN the message names the rename, and says nothing about a missing numberType
    expect(error).toBe(
      'ClaimedPhoneNumber Old/Line: search.type was renamed to numberType in 0.2.0 (type is a reserved word in Go and a builtin in ' +
        'Python): write search: { numberType: "DID" } (PhoneNumberType.DID in TypeScript) instead of search: { type: "DID" }.',
    );
  });
});
