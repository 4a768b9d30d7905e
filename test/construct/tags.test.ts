/**
 * Tags: from the `tags` prop and from `Tags.of(scope).add()`, as on native taggable resources, and the
 * 48-tag limit checked again at synth, once the Tags.of() aspects have run.
 */
import { Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { logicalIdOf, newApp, newStack, validProps } from './helpers';

const fortyEightTags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`key${i}`, 'value']));

test('the tags prop becomes the Tags map', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number is declared with two tags
  const number = new ClaimedPhoneNumber(stack, 'Number', validProps({ tags: { team: 'support', env: 'prod' } }));

  // THEN they are the Tags map
  expect(Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties.Tags).toEqual({
    team: 'support',
    env: 'prod',
  });
});

test('Tags.of(stack).add() reaches the Tags map, next to the tags prop', () => {
  // GIVEN a stack with a tagged number
  const stack = newStack();
  const number = new ClaimedPhoneNumber(stack, 'Number', validProps({ tags: { team: 'support' } }));

  // WHEN a tag is added to the whole stack
  Tags.of(stack).add('cost-center', 'contact-center');

  // THEN the number carries both
  expect(Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties.Tags).toEqual({
    team: 'support',
    'cost-center': 'contact-center',
  });
});

test('Tags.of() with excludeResourceTypes Custom::ClaimedPhoneNumber leaves the number untagged', () => {
  // GIVEN a stack with an untagged number
  const stack = newStack();
  const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

  // WHEN a stack tag excludes the number's resource type
  Tags.of(stack).add('cost-center', 'contact-center', { excludeResourceTypes: [ClaimedPhoneNumber.RESOURCE_TYPE] });

  // THEN the number has no Tags
  expect(Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties).not.toHaveProperty('Tags');
});

test('a Tags.of() tag that brings a number to 49 tags fails synth with the construct\'s message', () => {
  // GIVEN a stack with a number that has 48 tags, the most allowed
  const app = newApp();
  const stack = newStack('TestStack', app);
  new ClaimedPhoneNumber(stack, 'Number', validProps({ tags: fortyEightTags }));

  // WHEN one more tag is added to the whole stack
  Tags.of(stack).add('cost-center', 'contact-center');

  // THEN synth fails, naming the number and the limit
  expect(() => app.synth()).toThrow(
    '[TestStack/Number] ClaimedPhoneNumber TestStack/Number: tags (including those added with Tags.of()) may hold ' +
      'at most 48 tags (Connect allows 50 per number and this construct reserves 2 for its ownership tags); got 49.',
  );
});

test('a Tags.of() tag with the reserved ownership key fails synth', () => {
  // GIVEN a stack with a number
  const app = newApp();
  const stack = newStack('TestStack', app);
  new ClaimedPhoneNumber(stack, 'Number', validProps());

  // WHEN the reserved key is added to the whole stack
  Tags.of(stack).add('claimed-phone-number:owner', 'someone-else');

  // THEN synth fails: the handler relies on that tag to know its own numbers
  expect(() => app.synth()).toThrow(
    'ClaimedPhoneNumber TestStack/Number: tags (including those added with Tags.of()) key ' +
      '"claimed-phone-number:owner" is reserved: the handler uses it to record which resource owns the number.',
  );
});

test('48 tags in all, counting Tags.of() tags, synthesize', () => {
  // GIVEN a stack with a number that has 47 tags
  const stack = newStack();
  const number = new ClaimedPhoneNumber(
    stack,
    'Number',
    validProps({ tags: Object.fromEntries(Object.entries(fortyEightTags).slice(0, 47)) }),
  );

  // WHEN one more tag is added to the whole stack
  Tags.of(stack).add('cost-center', 'contact-center');

  // THEN the stack synthesizes with all 48
  expect(Object.keys(Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties.Tags)).toHaveLength(48);
});
