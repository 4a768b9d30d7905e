/**
 * Every phone number of the account and Region, page by page (ListPhoneNumbersV2, 100 a page). The
 * gateway's own paging (ConnectGateway.listPhoneNumbers) is private to its filtered look-ups; this is the
 * unfiltered walk, retried with the same backoff.
 */
import { ConnectClient, ListPhoneNumbersSummary, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { Clock, CONNECT_BACKOFF, withRetries } from '../lambda/retry';

export async function listAllNumbers(client: ConnectClient, clock: Clock, deadline: number): Promise<ListPhoneNumbersSummary[]> {
  const all: ListPhoneNumbersSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetries(
      () => client.send(new ListPhoneNumbersV2Command({ MaxResults: 100, NextToken: nextToken })),
      { ...CONNECT_BACKOFF, deadline },
      clock,
      () => undefined,
    );
    all.push(...(page.ListPhoneNumbersSummaryList ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return all;
}
