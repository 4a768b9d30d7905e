import { NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { newApp, validProps } from './helpers';

/** A root stack `Root` holding nested stack `Numbers`, which holds nested stack `Inner` with one number. */
function nestedNumbers(): { root: Stack; numbers: NestedStack; inner: NestedStack } {
  const root = new Stack(newApp(), 'Root');
  const numbers = new NestedStack(root, 'Numbers');
  const inner = new NestedStack(numbers, 'Inner');
  new ClaimedPhoneNumber(inner, 'Support', validProps());
  return { root, numbers, inner };
}

function handlerFunctions(stack: Stack) {
  return Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Custom::ClaimedPhoneNumber') } });
}

describe('numbers in nested stacks', () => {
  test("the handler's owner scope is the root stack's name and the nested stacks' logical ids", () => {
    // GIVEN a number two nested stacks below the root
    const { root, numbers, inner } = nestedNumbers();
    // WHEN the inner stack is synthesized
    const functions = Object.values(handlerFunctions(inner));
    // THEN both handler functions carry OWNER_SCOPE = Root/<Numbers' logical id in Root>/<Inner's logical id in Numbers>
    const numbersId = root.resolve((numbers.nestedStackResource as unknown as { logicalId: string }).logicalId);
    const innerId = numbers.resolve((inner.nestedStackResource as unknown as { logicalId: string }).logicalId);
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.OWNER_SCOPE).toBe(`Root/${numbersId}/${innerId}`);
    }
  });

  test('the handler may describe the root stack and the stacks nested under it, and nothing else besides its own', () => {
    // GIVEN a number in a nested stack
    const { inner } = nestedNumbers();
    // WHEN the inner stack is synthesized
    const policies = Template.fromStack(inner).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]);
    const parentReads = statements.filter((statement) => statement.Action === 'cloudformation:DescribeStacks');
    // THEN one statement allows DescribeStacks on stack/Root/* and stack/Root-*/* only
    expect(parentReads).toHaveLength(1);
    expect(JSON.stringify(parentReads[0].Resource)).toMatch(/:stack\/Root\/\*"/);
    expect(JSON.stringify(parentReads[0].Resource)).toMatch(/:stack\/Root-\*\/\*"/);
  });

  test('a top-level stack gets no owner scope, so its owner tags stay those of 0.2.0', () => {
    // GIVEN a number in a top-level stack
    const stack = new Stack(newApp(), 'TopLevel');
    new ClaimedPhoneNumber(stack, 'Support', validProps());
    // WHEN it is synthesized
    const functions = Object.values(handlerFunctions(stack));
    // THEN no handler function has OWNER_SCOPE
    expect(functions.map((fn) => fn.Properties.Environment.Variables.OWNER_SCOPE)).toEqual([undefined, undefined]);
  });
});
