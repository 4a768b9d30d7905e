/**
 * Every phone number of the account and Region, page by page (ListPhoneNumbersV2, 1,000 a page: the most
 * its API model allows). The gateway's own paging (ConnectGateway.listPhoneNumbers) is private to its filtered look-ups; this is the
 * unfiltered walk, retried with the same backoff.
 */
import { ConnectClient, ListPhoneNumbersSummary, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { Clock, CONNECT_BACKOFF, withRetries } from '../lambda/retry';

/** `targetArn`: only the numbers claimed to that instance or traffic distribution group. */
export async function listAllNumbers(client: ConnectClient, clock: Clock, deadline: number, targetArn?: string): Promise<ListPhoneNumbersSummary[]> {
  const all: ListPhoneNumbersSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetries(
      () => client.send(new ListPhoneNumbersV2Command({ TargetArn: targetArn, MaxResults: 1000, NextToken: nextToken })),
      { ...CONNECT_BACKOFF, deadline },
      clock,
      () => undefined,
    );
    all.push(...(page.ListPhoneNumbersSummaryList ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return all;
}
