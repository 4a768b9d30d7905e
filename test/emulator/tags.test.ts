import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  ListTagsForResourceCommand,
  ReleasePhoneNumberCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, SETTLE_MS, sleep, useTestEmulator } from './helpers';

describe('TagResource, UntagResource and ListTagsForResource', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  let arn: string;

  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  // Runs after the shared setup's reset.
  beforeEach(async () => {
    const out = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550150', Tags: { env: 'dev' } }),
    );
    arn = out.PhoneNumberArn as string;
  });

  test('list returns the tags stored at claim', async () => {
    // GIVEN a number claimed with env=dev WHEN its tags are listed
    const out = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    // THEN they come back under `tags`
    expect(out.tags).toEqual({ env: 'dev' });
  });

  test('tagging merges new tags and overwrites existing keys', async () => {
    // GIVEN env=dev WHEN tagged with env=prod and team=a
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod', team: 'a' } }));
    // THEN both are present, env overwritten
    const out = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(out.tags).toEqual({ env: 'prod', team: 'a' });
  });

  test('untagging removes every key given as repeated tagKeys query parameters', async () => {
    // GIVEN three tags
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }));
    // WHEN two keys are removed in one call
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'env'] }));
    // THEN only the third is left, and the call log shows both keys bound as a list
    const out = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(out.tags).toEqual({ b: '2' });
    expect(emulator.calls.find((c) => c.operation === 'UntagResource')?.input.tagKeys).toEqual(['a', 'env']);
  });

  test('tags set through the API show up on the record', async () => {
    // GIVEN a tag call WHEN the record is inspected
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'ops' } }));
    // THEN the record has it
    expect(emulator.numberByPhone('+12065550150')?.tags).toEqual({ env: 'dev', owner: 'ops' });
  });

  test('tagging past 50 tags in total is InvalidParameterException', async () => {
    // GIVEN one tag already WHEN 50 more are added
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const err = await caught(client.send(new TagResourceCommand({ resourceArn: arn, tags })));
    // THEN 400 saying 50 is the limit, and nothing was added
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/at most 50 tags/);
    expect(emulator.numberByPhone('+12065550150')?.tags).toEqual({ env: 'dev' });
  });

  test('untag with more than 50 keys breaks the TagKeyList size', async () => {
    // GIVEN 51 keys WHEN untagging THEN the list size is named
    const err = await caught(
      client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })),
    );
    expect(err.message).toBe('tagKeys must have at most 50 member(s)');
  });

  test('tagging an unknown ARN is ResourceNotFoundException', async () => {
    // GIVEN an ARN of no number WHEN tagged THEN 404
    const err = await caught(
      client.send(
        new TagResourceCommand({
          resourceArn: 'arn:aws:connect:us-east-1:123456789012:phone-number/00000000-0000-4000-8000-000000000000',
          tags: { a: 'b' },
        }),
      ),
    );
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.status).toBe(404);
  });

  test('the tags of a released number are not found', async () => {
    // GIVEN the number released once CLAIMED
    await sleep(SETTLE_MS);
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: arn }));
    // WHEN its tags are listed THEN 404
    const err = await caught(client.send(new ListTagsForResourceCommand({ resourceArn: arn })));
    expect(err.name).toBe('ResourceNotFoundException');
  });
});
