/**
 * The counts the provider gives its functions for pacing throttled retries (lib/crowd-count.ts,
 * lambda/retry.ts CrowdPacing): the numbers of the stack CloudFormation works on at once, and those of every
 * stack of the app that may deploy at the same time in the same account and Region.
 */
import { NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ClaimedPhoneNumber } from '../../lib';
import { HandlerEnv } from '../../lib/shared/contract';
import { handlerFunctions, newApp, validProps } from './helpers';

let nextNumber = 1000;
function addNumbers(scope: Construct, count: number): ClaimedPhoneNumber[] {
  return Array.from({ length: count }, (_, i) => new ClaimedPhoneNumber(scope, `N${i}`, validProps({ phoneNumber: `+1206555${nextNumber++}` })));
}

/** The pacing counts of the stack's handler functions (both functions get the same). */
function countsOf(stack: Stack): { inStack: number; inAccount: number } {
  const functions = Object.values(handlerFunctions(stack, Template.fromStack(stack)));
  const counts = functions.map((fn) => {
    const variables = fn.Properties.Environment.Variables as { [name: string]: string };
    return { inStack: Number(variables[HandlerEnv.NUMBERS_IN_STACK]), inAccount: Number(variables[HandlerEnv.NUMBERS_IN_ACCOUNT]) };
  });
  expect(counts).toHaveLength(2);
  expect(counts[1]).toEqual(counts[0]);
  return counts[0];
}

const ENV = { account: '123456789012', region: 'us-east-1' };

describe('the crowd a stack counts', () => {
  test('every number of a stack counts when none depends on another', () => {
    // GIVEN a stack of 5 numbers
    const stack = new Stack(newApp(), 'Numbers', { env: ENV });
    addNumbers(stack, 5);
    // THEN its functions count 5 in the stack and 5 in the account
    expect(countsOf(stack)).toEqual({ inStack: 5, inAccount: 5 });
  });

  test('numbers that depend on each other count as the largest wave CloudFormation creates at once', () => {
    // GIVEN 6 numbers, each depending on the one 2 before it (3 waves of 2)
    const stack = new Stack(newApp(), 'Numbers', { env: ENV });
    const numbers = addNumbers(stack, 6);
    numbers.forEach((number, i) => i >= 2 && number.node.addDependency(numbers[i - 2]));
    // THEN the crowd is 2
    expect(countsOf(stack).inStack).toBe(2);
  });
});

describe("the crowd of the app's stacks in one account and Region", () => {
  test("stacks of one app in the same account and Region count each other's numbers", () => {
    // GIVEN an app with stacks of 3, 4 and 5 numbers in one account and Region
    const app = newApp();
    const stacks = [3, 4, 5].map((count, i) => {
      const stack = new Stack(app, `Numbers${i}`, { env: ENV });
      addNumbers(stack, count);
      return stack;
    });
    // THEN each counts its own numbers in the stack and all 12 in the account
    expect(stacks.map(countsOf)).toEqual([
      { inStack: 3, inAccount: 12 },
      { inStack: 4, inAccount: 12 },
      { inStack: 5, inAccount: 12 },
    ]);
  });

  test('a stack ordered after another by a dependency does not count it: they deploy one after the other', () => {
    // GIVEN stacks A (3 numbers), B (4, depends on A) and C (5, independent) in one account and Region
    const app = newApp();
    const [a, b, c] = [3, 4, 5].map((count, i) => {
      const stack = new Stack(app, `Numbers${i}`, { env: ENV });
      addNumbers(stack, count);
      return stack;
    });
    b.addStackDependency(a);
    // THEN A and B count C but not each other; C counts both
    expect([countsOf(a).inAccount, countsOf(b).inAccount, countsOf(c).inAccount]).toEqual([8, 9, 12]);
  });

  test('stacks of another account or Region do not count', () => {
    // GIVEN stacks of 3 numbers in us-east-1, 4 in us-west-2 and 5 in another account
    const app = newApp();
    const here = new Stack(app, 'Here', { env: ENV });
    addNumbers(here, 3);
    addNumbers(new Stack(app, 'OtherRegion', { env: { ...ENV, region: 'us-west-2' } }), 4);
    addNumbers(new Stack(app, 'OtherAccount', { env: { ...ENV, account: '210987654321' } }), 5);
    // THEN the first counts only its own
    expect(countsOf(here)).toEqual({ inStack: 3, inAccount: 3 });
  });

  test("a nested stack's numbers count with its parent's, which CloudFormation deploys at the same time", () => {
    // GIVEN a stack of 3 numbers with a nested stack of 4
    const root = new Stack(newApp(), 'Root', { env: ENV });
    addNumbers(root, 3);
    const nested = new NestedStack(root, 'Nested');
    addNumbers(nested, 4);
    // THEN both providers count 7 in the account
    expect([countsOf(root), countsOf(nested)]).toEqual([
      { inStack: 3, inAccount: 7 },
      { inStack: 4, inAccount: 7 },
    ]);
  });

  test("stacks of different Stages (each a cloud assembly of its own, as a pipeline's stages) do not count each other", () => {
    // GIVEN one app with two Stages, each with a stack of numbers in the same account and Region
    const app = newApp();
    const first = new Stack(new Stage(app, 'Beta'), 'Numbers', { env: ENV });
    addNumbers(first, 3);
    addNumbers(new Stack(new Stage(app, 'Prod'), 'Numbers', { env: ENV }), 4);
    // THEN the first counts only its own
    expect(countsOf(first).inAccount).toBe(3);
  });
});
