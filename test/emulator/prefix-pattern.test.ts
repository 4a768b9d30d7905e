import { ConnectClient, ListPhoneNumbersV2Command, SearchAvailablePhoneNumbersCommand } from '@aws-sdk/client-connect';
import { caught, claimNumber, INSTANCE_ID, listedNumbers, useTestEmulator } from './helpers';

/** PhoneNumberPrefix: pattern `\+?[0-9]{1,11}` in the API model, on ListPhoneNumbersV2 and SearchAvailablePhoneNumbers. */
describe('PhoneNumberPrefix', () => {
  let client: ConnectClient;
  useTestEmulator((_started, startedClient) => {
    client = startedClient;
  });

  const search = (prefix: string) =>
    client.send(
      new SearchAvailablePhoneNumbersCommand({ InstanceId: INSTANCE_ID, PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: prefix, MaxResults: 1 }),
    );

  test('a search prefix of eleven digits is accepted', async () => {
    // GIVEN the default inventory WHEN searching with +12065550100 (11 digits)
    const out = await search('+12065550100');
    // THEN the number is offered
    expect(out.AvailableNumbersList?.map((n) => n.PhoneNumber)).toEqual(['+12065550100']);
  });

  test('a search prefix of twelve digits breaks the pattern', async () => {
    // GIVEN 12 digits WHEN searching THEN 400 naming the member
    const err = await caught(search('+120655501001'));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/^PhoneNumberPrefix must match pattern/);
  });

  test('a search prefix without the plus is accepted', async () => {
    // GIVEN no leading + WHEN searching THEN the matching number is offered
    const out = await search('1206555010');
    expect(out.AvailableNumbersList?.[0].PhoneNumber).toBe('+12065550100');
  });

  test('an empty list prefix breaks the pattern', async () => {
    // GIVEN an empty prefix WHEN listing THEN 400
    const err = await caught(client.send(new ListPhoneNumbersV2Command({ PhoneNumberPrefix: '' })));
    expect(err.message).toMatch(/^PhoneNumberPrefix must match pattern/);
  });

  test('a list prefix of twelve digits breaks the pattern', async () => {
    // GIVEN a claimed number WHEN listing with a 12-digit prefix THEN 400
    await claimNumber(client, '+12065550100');
    const err = await caught(listedNumbers(client, { PhoneNumberPrefix: '+120655501001' }));
    expect(err.name).toBe('InvalidParameterException');
  });
});
