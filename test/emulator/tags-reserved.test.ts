import { ConnectClient, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, useTestEmulator } from './helpers';

/** Admin guide, Tagging: "You cannot add, modify, or delete aws:* tags, and they don't count against your tags-per-resource limit." */
describe('aws: tags', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  let arn: string;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  // Runs after the shared setup's reset: a number that carries a system tag, as one made by a service would.
  beforeEach(() => {
    arn = emulator.claimOutOfBand({ phoneNumber: '+12065550170', instanceId: INSTANCE_ID, tags: { 'aws:cloudformation:stack-name': 'S' } }).arn;
  });

  test('TagResource cannot add an aws: tag', async () => {
    // GIVEN a number WHEN an aws: tag is added
    const err = await caught(client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:team': 'x' } })));
    // THEN 400 naming the key, and the tags are unchanged
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/^tags key 'aws:team' must match pattern/);
    expect(emulator.numberByPhone('+12065550170')?.tags).toEqual({ 'aws:cloudformation:stack-name': 'S' });
  });

  test('TagResource cannot change an aws: tag', async () => {
    // GIVEN a number with a system tag WHEN its value is changed
    const err = await caught(client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:cloudformation:stack-name': 'T' } })));
    // THEN 400
    expect(err.name).toBe('InvalidParameterException');
  });

  test('UntagResource cannot remove an aws: tag', async () => {
    // GIVEN a number with a system tag WHEN it is removed
    const err = await caught(client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['aws:cloudformation:stack-name'] })));
    // THEN 400 and the tag is still there
    expect(err.name).toBe('InvalidParameterException');
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ 'aws:cloudformation:stack-name': 'S' });
  });

  test('aws: tags do not count towards the 50 tags of a resource', async () => {
    // GIVEN a number with one system tag WHEN 50 user tags are added
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags }));
    // THEN it has 51 tags
    expect(Object.keys((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? {})).toHaveLength(51);
  });

  test('a 51st user tag is still refused', async () => {
    // GIVEN 50 user tags
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags }));
    // WHEN one more is added THEN 400
    const err = await caught(client.send(new TagResourceCommand({ resourceArn: arn, tags: { extra: 'v' } })));
    expect(err.message).toMatch(/at most 50 tags/);
  });
});
