import fc from 'fast-check';
import { ApiError } from '../../emulator/errors';
import { compilePattern, operations, shape } from '../../emulator/model';
import { validateInput } from '../../emulator/validation';

/** The validation message for an input, or undefined when it is valid. */
function violation(operation: string, input: Record<string, unknown>): string | undefined {
  try {
    validateInput(operations[operation], input);
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
}

describe('validation against the model (no HTTP)', () => {
  test('the doubled backslashes of the published PhoneNumber pattern are read as the documented regex', () => {
    // GIVEN the model's PhoneNumber pattern WHEN compiled
    const re = compilePattern(shape('PhoneNumber').pattern as string);
    // THEN it is the E.164 rule, matched against the whole value
    expect(re.test('+12065550100')).toBe(true);
    expect(re.test('\\\\+12065550100')).toBe(false);
    expect(re.test('x+12065550100')).toBe(false);
  });

  test('any E.164 number is accepted as a claim PhoneNumber', () => {
    // GIVEN any +<1-9><1..14 digits> WHEN validated THEN no violation
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{1,14}$/), (first, rest) =>
        violation('ClaimPhoneNumber', { InstanceId: 'i', PhoneNumber: `+${first}${rest}` }) === undefined,
      ),
    );
  });

  test('any PhoneNumber outside the E.164 rule is rejected naming PhoneNumber', () => {
    // GIVEN any string that does not match the rule WHEN validated THEN the message names the member
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\+[1-9]\d{1,14}$/.test(s)),
        (s) => violation('ClaimPhoneNumber', { InstanceId: 'i', PhoneNumber: s })?.startsWith('PhoneNumber must match pattern') === true,
      ),
    );
  });

  test('tag keys of letters, digits and spaces in any script are valid unless they start with aws:', () => {
    // GIVEN keys built from Unicode letters/digits WHEN validated THEN valid iff no aws: prefix
    fc.assert(
      fc.property(fc.stringMatching(/^[\p{L}\p{N} _.:/=+@-]{1,40}$/u), (key) => {
        const message = violation('TagResource', { resourceArn: 'arn', tags: { [key]: 'v' } });
        return key.startsWith('aws:') ? message !== undefined : message === undefined;
      }),
    );
  });

  test('every operation in the model has a handler', async () => {
    // GIVEN the model's operations WHEN compared with the handler table
    const { handlers } = await import('../../emulator/operations');
    // THEN none is left out (ImportPhoneNumber included)
    expect(Object.keys(operations).filter((name) => !handlers[name])).toEqual([]);
  });
});
