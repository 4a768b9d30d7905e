import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  ListPhoneNumbersV2Command,
  ListPhoneNumbersSummary,
  SearchAvailablePhoneNumbersCommand,
  paginateListPhoneNumbersV2,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, instanceArn, OTHER_INSTANCE_ID, SETTLE_MS, sleep, tdgArn, useTestEmulator } from './helpers';

describe('ListPhoneNumbersV2 and SearchAvailablePhoneNumbers', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  const claim = (phoneNumber: string, target: { InstanceId?: string; TargetArn?: string } = { InstanceId: INSTANCE_ID }) =>
    client.send(new ClaimPhoneNumberCommand({ ...target, PhoneNumber: phoneNumber }));

  test('list summaries have the ListPhoneNumbersSummary members and no status or tags', async () => {
    // GIVEN a number claimed with tags and a description
    const { PhoneNumberId, PhoneNumberArn } = await client.send(
      new ClaimPhoneNumberCommand({
        InstanceId: INSTANCE_ID,
        PhoneNumber: '+12065550100',
        PhoneNumberDescription: 'main',
        Tags: { a: 'b' },
      }),
    );
    // WHEN listing
    const out = await client.send(new ListPhoneNumbersV2Command({}));
    // THEN exactly the summary members come back
    expect(out.ListPhoneNumbersSummaryList).toEqual([
      {
        PhoneNumberId,
        PhoneNumberArn,
        PhoneNumber: '+12065550100',
        PhoneNumberCountryCode: 'US',
        PhoneNumberType: 'DID',
        TargetArn: instanceArn(),
        InstanceId: INSTANCE_ID,
        PhoneNumberDescription: 'main',
      },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  test('list by instance returns only numbers claimed to that instance', async () => {
    // GIVEN numbers on two instances and a traffic distribution group
    await claim('+12065550100');
    await claim('+12065550101', { InstanceId: OTHER_INSTANCE_ID });
    await claim('+12065550102', { TargetArn: tdgArn() });
    // WHEN listing by the first instance and by the group ARN
    const byInstance = await client.send(new ListPhoneNumbersV2Command({ InstanceId: INSTANCE_ID }));
    const byGroup = await client.send(new ListPhoneNumbersV2Command({ TargetArn: tdgArn() }));
    // THEN each gets only its own number
    expect(byInstance.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+12065550100']);
    expect(byGroup.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+12065550102']);
  });

  test('list filters by prefix, country and type', async () => {
    // GIVEN a DID, a toll-free and a UK number
    await claim('+12065550100');
    await claim('+18335550100');
    await claim('+442071234567');
    // WHEN filtering
    const tollFree = await client.send(new ListPhoneNumbersV2Command({ PhoneNumberTypes: ['TOLL_FREE'] }));
    const gb = await client.send(new ListPhoneNumbersV2Command({ PhoneNumberCountryCodes: ['GB'] }));
    const prefix = await client.send(new ListPhoneNumbersV2Command({ PhoneNumberPrefix: '+1206' }));
    // THEN each filter keeps only its match
    expect(tollFree.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+18335550100']);
    expect(gb.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+442071234567']);
    expect(prefix.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+12065550100']);
  });

  test('list includes IN_PROGRESS numbers but not FAILED ones', async () => {
    // GIVEN one claim stuck IN_PROGRESS and one that FAILED
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    await claim('+12065550100');
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    await claim('+12065550101');
    await sleep(SETTLE_MS);
    // WHEN listing
    const out = await client.send(new ListPhoneNumbersV2Command({}));
    // THEN only the in-progress one is listed
    expect(out.ListPhoneNumbersSummaryList?.map((s) => s.PhoneNumber)).toEqual(['+12065550100']);
  });

  test('list pages with MaxResults and NextToken until every number is seen once', async () => {
    // GIVEN five claimed numbers
    for (let i = 0; i < 5; i += 1) await claim(`+1206555010${i}`);
    // WHEN paging two at a time with the SDK paginator
    const seen: ListPhoneNumbersSummary[] = [];
    let pages = 0;
    for await (const page of paginateListPhoneNumbersV2({ client, pageSize: 2 }, {})) {
      pages += 1;
      seen.push(...(page.ListPhoneNumbersSummaryList ?? []));
    }
    // THEN three pages cover all five numbers exactly once
    expect(pages).toBe(3);
    expect(seen.map((s) => s.PhoneNumber)).toEqual(['+12065550100', '+12065550101', '+12065550102', '+12065550103', '+12065550104']);
  });

  test('a NextToken that was not issued for this query is InvalidParameterException', async () => {
    // GIVEN a made-up token WHEN listing THEN 400 naming NextToken
    const err = await caught(client.send(new ListPhoneNumbersV2Command({ NextToken: 'bogus' })));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/NextToken/);
  });

  test('list by an unknown instance is ResourceNotFoundException', async () => {
    // GIVEN an instance that does not exist WHEN listing by it THEN 404
    const err = await caught(client.send(new ListPhoneNumbersV2Command({ InstanceId: 'missing-instance' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain('missing-instance');
  });

  test('search offers inventory numbers of the requested country and type', async () => {
    // GIVEN the default inventory WHEN searching US toll-free numbers
    const out = await client.send(
      new SearchAvailablePhoneNumbersCommand({ InstanceId: INSTANCE_ID, PhoneNumberCountryCode: 'US', PhoneNumberType: 'TOLL_FREE' }),
    );
    // THEN ten (the default page) toll-free numbers come back, with a NextToken
    expect(out.AvailableNumbersList).toHaveLength(10);
    expect(out.AvailableNumbersList?.every((n) => n.PhoneNumberType === 'TOLL_FREE' && n.PhoneNumber?.startsWith('+1833'))).toBe(true);
    expect(out.NextToken).toBeDefined();
  });

  test('search leaves out claimed and reserved numbers', async () => {
    // GIVEN +12065550100 claimed and +12065550101 reserved
    await claim('+12065550100');
    emulator.reserveNumber('+12065550101');
    // WHEN searching with MaxResults 2
    const out = await client.send(
      new SearchAvailablePhoneNumbersCommand({
        TargetArn: instanceArn(),
        PhoneNumberCountryCode: 'US',
        PhoneNumberType: 'DID',
        MaxResults: 2,
      }),
    );
    // THEN the first two free numbers are offered
    expect(out.AvailableNumbersList?.map((n) => n.PhoneNumber)).toEqual(['+12065550102', '+12065550103']);
  });

  test('search pages through the whole inventory with NextToken', async () => {
    // GIVEN an inventory of three numbers
    emulator.configure({
      inventory: ['+15550000001', '+15550000002', '+15550000003'].map((phoneNumber) => ({
        phoneNumber,
        countryCode: 'US',
        type: 'DID',
      })),
    });
    const input = { InstanceId: INSTANCE_ID, PhoneNumberCountryCode: 'US' as const, PhoneNumberType: 'DID' as const, MaxResults: 2 };
    // WHEN reading two pages
    const first = await client.send(new SearchAvailablePhoneNumbersCommand(input));
    const second = await client.send(new SearchAvailablePhoneNumbersCommand({ ...input, NextToken: first.NextToken }));
    // THEN the pages split the inventory and the last has no token
    expect(first.AvailableNumbersList?.map((n) => n.PhoneNumber)).toEqual(['+15550000001', '+15550000002']);
    expect(second.AvailableNumbersList?.map((n) => n.PhoneNumber)).toEqual(['+15550000003']);
    expect(second.NextToken).toBeUndefined();
  });
});
