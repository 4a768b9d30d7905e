/**
 * The physical id of every resource of a stack, page by page (ListStackResources, 100 a page). The stack
 * reader's physicalIdOf (DescribeStackResource) costs one call per logical id; a stack holding hundreds of
 * numbers is read here in a few calls instead, which matters because CloudFormation's read limits are
 * shared with `cdk deploy`'s own polling.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { Clock, CONNECT_BACKOFF, withRetries } from '../lambda/retry';

export async function physicalIdsOf(client: CloudFormationClient, stackId: string, clock: Clock, deadline: number): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await withRetries(
      () => client.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: nextToken })),
      { ...CONNECT_BACKOFF, deadline },
      clock,
      () => undefined,
    );
    for (const resource of page.StackResourceSummaries ?? []) {
      if (resource.LogicalResourceId && resource.PhysicalResourceId) {
        ids.set(resource.LogicalResourceId, resource.PhysicalResourceId);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}
