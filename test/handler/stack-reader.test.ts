import { CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, StackEvent, StackStatus } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Logger } from '../../lambda/logger';
import { CloudFormationStackReader } from '../../lambda/stack-reader';
import { FakeClock, LOGICAL_ID, serviceError, STACK_ID } from './fixtures';

const cloudFormation = mockClient(CloudFormationClient);
let clock: FakeClock;

function reader(): CloudFormationStackReader {
  return new CloudFormationStackReader(new CloudFormationClient({}), { StackId: STACK_ID, LogicalResourceId: LOGICAL_ID }, clock, new Logger({}, () => undefined), clock.now() + 60_000);
}

/** A stack event as CloudFormation reports it. */
function event(logicalId: string, status: StackEvent['ResourceStatus'], at: number): StackEvent {
  return { StackId: STACK_ID, EventId: `${logicalId}-${at}`, StackName: 'Numbers', LogicalResourceId: logicalId, ResourceStatus: status, Timestamp: new Date(at) };
}

function events(count: number, newest: number): StackEvent[] {
  return Array.from({ length: count }, (_, i) => event(`Other${i}`, 'CREATE_COMPLETE', newest - i * 100));
}

beforeEach(() => {
  cloudFormation.reset();
  clock = new FakeClock();
});

describe("reading the asking resource's last failed Create", () => {
  test('a failure pushed off the newest page by a large stack is still found on the next page', async () => {
    // GIVEN 100 newer events of other resources, and this resource's CREATE_FAILED on the second page
    const failedAt = clock.now() - 30_000;
    cloudFormation
      .on(DescribeStackEventsCommand, { NextToken: undefined })
      .resolves({ StackEvents: events(100, clock.now()), NextToken: 'page-2' })
      .on(DescribeStackEventsCommand, { NextToken: 'page-2' })
      .resolves({ StackEvents: [event(LOGICAL_ID, 'CREATE_FAILED', failedAt)] });
    // WHEN the reader looks for it
    const found = await reader().lastFailedCreateAt();
    // THEN it finds the failure's time
    expect(found).toBe(failedAt);
  });

  test('reading stops at events older than the lookback, without paging through the whole history', async () => {
    // GIVEN a first page whose oldest event is an hour old, and more pages behind it
    cloudFormation.on(DescribeStackEventsCommand).resolves({ StackEvents: events(3, clock.now() - 3_600_000), NextToken: 'more' });
    // WHEN the reader looks
    const found = await reader().lastFailedCreateAt();
    // THEN it reads one page and finds nothing
    expect(found).toBeUndefined();
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackEventsCommand, 1);
  });
});

describe('reading stacks', () => {
  test("CloudFormation's throttling (HTTP 400 Throttling) is retried until the answer comes", async () => {
    // GIVEN DescribeStacks is throttled twice, then answers
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(serviceError('Throttling', 'Rate exceeded', 400))
      .rejectsOnce(serviceError('Throttling', 'Rate exceeded', 400))
      .resolves({ Stacks: [{ StackId: STACK_ID, StackName: 'Numbers', StackStatus: 'DELETE_IN_PROGRESS', CreationTime: new Date() }] });
    // WHEN the status is read
    const status = await reader().status();
    // THEN it is the answer, after three calls
    expect(status).toBe('DELETE_IN_PROGRESS');
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStacksCommand, 3);
  });

  test("a nested stack's lineage reads each parent once, up to the root", async () => {
    // GIVEN a nested stack whose parent is nested in the root
    const parent = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root-Numbers-ABC/1';
    const root = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root/2';
    const stack = (StackId: string, StackStatus: StackStatus, ParentId?: string) => ({ Stacks: [{ StackId, StackName: 'x', StackStatus, ParentId, CreationTime: new Date() }] });
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK_ID })
      .resolves(stack(STACK_ID, 'DELETE_IN_PROGRESS', parent))
      .on(DescribeStacksCommand, { StackName: parent })
      .resolves(stack(parent, 'DELETE_IN_PROGRESS', root))
      .on(DescribeStacksCommand, { StackName: root })
      .resolves(stack(root, 'DELETE_IN_PROGRESS'));
    const stackReader = reader();
    // WHEN the lineage and the status are read
    const lineage = await stackReader.lineage();
    await stackReader.status();
    // THEN it lists the three stacks, each read once
    expect(lineage.map((s) => s.stackId)).toEqual([STACK_ID, parent, root]);
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStacksCommand, 3);
  });
});
