/** What the provider's functions are given so that a stack of hundreds of numbers deploys (README "Large stacks"). */
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { newStack, validProps } from './helpers';

function templateOf(count: number): Template {
  const stack = newStack();
  for (let i = 0; i < count; i++) {
    new ClaimedPhoneNumber(stack, `N${i}`, validProps({ phoneNumber: `+1206555${String(1000 + i)}` }));
  }
  return Template.fromStack(stack);
}

type FunctionProperties = { Handler: string; Timeout: number; ReservedConcurrentExecutions?: number };

function functions(template: Template): FunctionProperties[] {
  return Object.values(template.findResources('AWS::Lambda::Function')).map((resource) => resource.Properties as FunctionProperties);
}

describe('the provider of a large stack', () => {
  // How many numbers share the provider does not change its functions; three keep the synth short.
  let template: Template;
  beforeAll(() => {
    template = templateOf(3);
  });

  test('onEvent may wait 14 minutes for a claim, less than the framework function that invokes it synchronously', () => {
    // GIVEN a stack of numbers
    const all = functions(template);
    // WHEN the function timeouts are read
    const onEvent = all.find((fn) => fn.Handler === 'index.onEvent')!;
    const frameworkOnEvent = all.find((fn) => fn.Handler === 'framework.onEvent')!;
    // THEN onEvent has 14 minutes, a minute less than the framework's 15
    expect(onEvent.Timeout).toBe(840);
    expect(frameworkOnEvent.Timeout).toBe(900);
  });

  test('isComplete keeps its 2 minutes: one invocation polls for at most one', () => {
    // GIVEN a stack of numbers
    // WHEN the isComplete function is read
    const isComplete = functions(template).find((fn) => fn.Handler === 'index.isComplete')!;
    // THEN its timeout is 120 s
    expect(isComplete.Timeout).toBe(120);
  });

  test('no function has reserved concurrency, which would make the framework\'s synchronous invokes fail', () => {
    // GIVEN a stack of numbers
    // WHEN every function of the template is read
    const reserved = functions(template).filter((fn) => fn.ReservedConcurrentExecutions !== undefined);
    // THEN none reserves concurrency
    expect(reserved).toEqual([]);
  });
});
