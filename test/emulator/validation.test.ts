import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  ListPhoneNumbersV2Command,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, instanceArn, useTestEmulator } from './helpers';

/** Raw POST, for inputs the SDK would refuse to serialise. */
async function rawPost(emulator: ConnectEmulator, path: string, body: unknown) {
  const res = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as { Message: string } };
}

describe('input validation driven by the API model', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const claim = (input: Record<string, unknown>) =>
    caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550120', ...input })));

  test('a phone number without the leading plus breaks the PhoneNumber pattern', async () => {
    // GIVEN a number in national format WHEN claimed
    const err = await claim({ PhoneNumber: '12065550120' });
    // THEN InvalidParameterException names the member and the pattern
    expect(err.name).toBe('InvalidParameterException');
    expect(err.status).toBe(400);
    expect(err.message).toBe('PhoneNumber must match pattern \\+[1-9]\\d{1,14}$');
  });

  test('a phone number longer than 15 digits breaks the pattern', async () => {
    // GIVEN 16 digits WHEN claimed THEN rejected naming PhoneNumber
    const err = await claim({ PhoneNumber: '+1234567890123456' });
    expect(err.message).toMatch(/^PhoneNumber must match pattern/);
  });

  test('a missing PhoneNumber is reported as a required member', async () => {
    // GIVEN a claim body without PhoneNumber (sent raw: the SDK would send it anyway)
    const res = await rawPost(emulator, '/phone-number/claim', { InstanceId: INSTANCE_ID });
    // THEN 400 InvalidParameterException naming it as required
    expect(res.status).toBe(400);
    expect(res.type).toBe('InvalidParameterException');
    expect(res.body.Message).toBe('PhoneNumber is required but was not provided');
  });

  test('a claim with neither InstanceId nor TargetArn is rejected', async () => {
    // GIVEN no target WHEN claimed
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ PhoneNumber: '+12065550120' })));
    // THEN the one-of rule is named
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toBe('You must enter InstanceId or TargetArn');
  });

  test('a claim with both InstanceId and TargetArn is rejected', async () => {
    // GIVEN both targets WHEN claimed
    const err = await claim({ TargetArn: instanceArn() });
    // THEN the one-of rule is named
    expect(err.message).toMatch(/TargetArn or InstanceId/);
  });

  test('a TargetArn that is not an instance or traffic distribution group ARN is rejected', async () => {
    // GIVEN a queue ARN as target
    const err = await caught(
      client.send(
        new ClaimPhoneNumberCommand({
          TargetArn: 'arn:aws:connect:us-east-1:123456789012:instance/x/queue/y',
          PhoneNumber: '+12065550120',
        }),
      ),
    );
    // THEN 400 naming TargetArn
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/^TargetArn must be an Amazon Connect instance or traffic distribution group ARN/);
  });

  test('a description longer than 500 characters breaks the length rule', async () => {
    // GIVEN 501 characters WHEN claimed THEN the max length is named
    const err = await claim({ PhoneNumberDescription: 'x'.repeat(501) });
    expect(err.message).toBe('PhoneNumberDescription must have length less than or equal to 500');
  });

  test('an empty InstanceId breaks the minimum length', async () => {
    // GIVEN InstanceId '' sent raw
    const res = await rawPost(emulator, '/phone-number/claim', { InstanceId: '', PhoneNumber: '+12065550120' });
    // THEN the min length is named
    expect(res.body.Message).toBe('InstanceId must have length greater than or equal to 1');
  });

  test('a tag key starting with aws: breaks the TagKey pattern', async () => {
    // GIVEN a reserved tag key WHEN claimed THEN the key is named
    const err = await claim({ Tags: { 'aws:owner': 'me' } });
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/^Tags key 'aws:owner' must match pattern/);
  });

  test('tag keys with Unicode letters are accepted', async () => {
    // GIVEN a key with accented letters and spaces WHEN claimed
    const out = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550121', Tags: { 'Équipe de nuit': 'été' } }),
    );
    // THEN it is stored
    expect(emulator.numberByPhone('+12065550121')?.tags).toEqual({ 'Équipe de nuit': 'été' });
    expect(out.PhoneNumberId).toBeDefined();
  });

  test('a tag value longer than 256 characters is rejected', async () => {
    // GIVEN a 257-character value THEN the value is named
    const err = await claim({ Tags: { k: 'v'.repeat(257) } });
    expect(err.message).toBe('Tags.k must have length less than or equal to 256');
  });

  test('more than 50 tags break the TagMap size', async () => {
    // GIVEN 51 tags WHEN claimed THEN the map size is named
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const err = await claim({ Tags: tags });
    expect(err.message).toBe('Tags must have at most 50 entries');
  });

  test('an empty tag map on TagResource breaks the minimum of one entry', async () => {
    // GIVEN tags {} WHEN tagging THEN the minimum is named
    const err = await caught(
      client.send(new TagResourceCommand({ resourceArn: 'arn:aws:connect:us-east-1:123456789012:phone-number/x', tags: {} })),
    );
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toBe('tags must have at least 1 entry(ies)');
  });

  test('a ClientToken that is not a lowercase UUID is rejected', async () => {
    // GIVEN a made-up token WHEN claimed THEN the token rule is named
    const err = await claim({ ClientToken: 'my-token' });
    expect(err.message).toMatch(/^ClientToken must match pattern \^\[a-f0-9\]\{8\}/);
  });

  test('a ClientToken longer than 500 characters is rejected for its length', async () => {
    // GIVEN 501 characters WHEN claimed THEN the max length is named
    const err = await claim({ ClientToken: 'a'.repeat(501) });
    expect(err.message).toBe('ClientToken must have length less than or equal to 500');
  });

  test('an unknown PhoneNumberType enum value is rejected on search', async () => {
    // GIVEN a type the model does not list (sent raw; the SDK types would refuse it at compile time)
    const res = await rawPost(emulator, '/phone-number/search-available', {
      InstanceId: INSTANCE_ID,
      PhoneNumberCountryCode: 'US',
      PhoneNumberType: 'LANDLINE',
    });
    // THEN the enum rule is named
    expect(res.type).toBe('InvalidParameterException');
    expect(res.body.Message).toMatch(/^PhoneNumberType must be one of the enum values \[TOLL_FREE, DID/);
  });

  test('search MaxResults above 10 is rejected', async () => {
    // GIVEN MaxResults 11 WHEN searching THEN the bound is named
    const err = await caught(
      client.send(
        new SearchAvailablePhoneNumbersCommand({
          InstanceId: INSTANCE_ID,
          PhoneNumberCountryCode: 'US',
          PhoneNumberType: 'DID',
          MaxResults: 11,
        }),
      ),
    );
    expect(err.message).toBe('MaxResults must be less than or equal to 10');
  });

  test('search without a target is rejected', async () => {
    // GIVEN no InstanceId or TargetArn WHEN searching THEN the one-of rule is named
    const err = await caught(
      client.send(new SearchAvailablePhoneNumbersCommand({ PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' })),
    );
    expect(err.message).toBe('You must enter InstanceId or TargetArn');
  });

  test('list with more than 10 country codes breaks the list size', async () => {
    // GIVEN 11 country codes WHEN listing THEN the list size is named
    const err = await caught(
      client.send(
        new ListPhoneNumbersV2Command({
          PhoneNumberCountryCodes: ['US', 'GB', 'DE', 'FR', 'AU', 'NZ', 'JP', 'IE', 'ES', 'IT', 'MX'],
        }),
      ),
    );
    expect(err.message).toBe('PhoneNumberCountryCodes must have at most 10 member(s)');
  });

  test('a list prefix with letters breaks the PhoneNumberPrefix pattern', async () => {
    // GIVEN prefix '+1abc' WHEN listing THEN the pattern is named
    const err = await caught(client.send(new ListPhoneNumbersV2Command({ PhoneNumberPrefix: '+1abc' })));
    expect(err.message).toMatch(/^PhoneNumberPrefix must match pattern/);
  });

  test('update without a target is rejected', async () => {
    // GIVEN an update naming no target THEN the one-of rule is named
    const err = await caught(client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: 'x' })));
    expect(err.message).toBe('You must enter InstanceId or TargetArn');
  });

  test('a body that is not JSON is a SerializationException', async () => {
    // GIVEN a malformed body
    const res = await fetch(`${emulator.url}/phone-number/claim`, { method: 'POST', body: '{not json' });
    // THEN 400 SerializationException
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  test('a path no operation uses is UnknownOperationException with 404', async () => {
    // GIVEN a route outside the model
    const res = await fetch(`${emulator.url}/phone-number/claim/extra/segments`, { method: 'GET' });
    // THEN 404 UnknownOperationException
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await res.json()) as { Message: string }).Message).toMatch(/No operation matches GET/);
  });
});
