/** Finding an owner's stack: a nested scope is walked down from its root; each stack is read once. */
import { CloudFormationClient, DescribeStackResourceCommand, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { StackDirectory } from '../../cli/stack-directory';
import { Logger } from '../../lambda/logger';
import { systemClock } from '../../lambda/retry';

const NESTED_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root-Numbers-ABC123/uuid';
const cfn = mockClient(CloudFormationClient);
const directory = () => new StackDirectory(new CloudFormationClient({ region: 'us-east-1' }), systemClock, new Logger({}, () => undefined), Date.now() + 10_000);

beforeEach(() => {
  cfn.reset();
  cfn.on(DescribeStackResourceCommand, { StackName: 'Root', LogicalResourceId: 'NumbersNested' }).resolves({ StackResourceDetail: { PhysicalResourceId: NESTED_ID } as never });
  cfn.on(DescribeStacksCommand, { StackName: NESTED_ID }).resolves({ Stacks: [{ StackStatus: 'UPDATE_COMPLETE' } as never] });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: { Support: { Type: 'Custom::ClaimedPhoneNumber' } } }) });
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: 'Support', PhysicalResourceId: 'arn:phone' } as never] });
});

test('a nested scope finds the nested stack through its root and reads that stack', async () => {
  const facts = await directory().facts('Root/NumbersNested');
  expect(facts).toMatchObject({ exists: true, stackId: NESTED_ID, status: 'UPDATE_COMPLETE' });
  expect(cfn.commandCalls(ListStackResourcesCommand)[0].args[0].input.StackName).toBe(NESTED_ID);
});

test('a stack is read once however many numbers it owns', async () => {
  const stacks = directory();
  await Promise.all([stacks.facts('Root/NumbersNested'), stacks.facts('Root/NumbersNested')]);
  expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(1);
});

test('a root without that nested stack makes the scope missing', async () => {
  cfn.on(DescribeStackResourceCommand, { StackName: 'Root', LogicalResourceId: 'Gone' }).rejects(
    Object.assign(new Error('Resource Gone does not exist for stack Root'), { name: 'ValidationError' }),
  );
  expect(await directory().facts('Root/Gone')).toEqual({ exists: false, why: 'stack Root has no nested stack Gone' });
});

test('a deleted nested stack makes the scope missing', async () => {
  cfn.on(DescribeStacksCommand, { StackName: NESTED_ID }).resolves({ Stacks: [{ StackStatus: 'DELETE_COMPLETE' } as never] });
  expect(await directory().facts('Root/NumbersNested')).toEqual({ exists: false, why: 'stack Root/NumbersNested was deleted' });
});

test('an AWS failure other than a missing stack is not taken for a missing stack', async () => {
  cfn.on(DescribeStacksCommand, { StackName: 'Numbers' }).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
  await expect(directory().facts('Numbers')).rejects.toThrow('User is not authorized');
});
