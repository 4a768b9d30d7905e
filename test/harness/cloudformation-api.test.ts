/**
 * The read-only CloudFormation API stand-in, called with the real AWS SDK v3 client over HTTP: each
 * operation, CloudFormation's errors, paging, injected faults, the call log and IAM enforcement.
 */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { CloudFormationApi, startCloudFormationApi } from '../../harness/cloudformation-api';
import { Properties, StackModel, StackStatus } from '../../harness/cfn';
import { CfnRequest, CfnResponse } from '../../harness/provider-framework';
import { FakeProvider } from './fake-provider';

const ACCESS_KEY = 'AKIDHANDLERFUNCTION';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/11111111-2222-3333-4444-555555555555';
const STACK_ARN_PATTERN = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/*';
const A1 = { PhoneNumber: '+12065550100', Description: 'first' };
const B1 = { PhoneNumber: '+12065550101' };

let api: CloudFormationApi;
let model: StackModel;
let provider: FakeProvider;

function client(maxAttempts = 1, accessKeyId = ACCESS_KEY): CloudFormationClient {
  return new CloudFormationClient({ region: 'us-east-1', endpoint: api.url, credentials: { accessKeyId, secretAccessKey: 'secret' }, maxAttempts });
}

/** The error a call ends with (fails the test if it succeeds). */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );
}

beforeEach(async () => {
  provider = new FakeProvider();
  model = new StackModel({ stackName: 'Numbers', stackId: STACK_ID, provider });
  provider.model = model;
  await model.deployStack({ A: A1, B: B1 });
  api = await startCloudFormationApi({ stacks: [model] });
});

afterEach(async () => {
  await api.close();
});

describe('DescribeStacks', () => {
  test('by StackId it answers the stack id, name and status', async () => {
    // WHEN the handler describes its stack by the StackId of its request
    const out = await client().send(new DescribeStacksCommand({ StackName: STACK_ID }));
    // THEN it reads the stack
    expect(out.Stacks).toHaveLength(1);
    expect(out.Stacks?.[0]).toMatchObject({ StackId: STACK_ID, StackName: 'Numbers', StackStatus: 'CREATE_COMPLETE' });
    expect(out.Stacks?.[0].CreationTime).toBeInstanceOf(Date);
  });

  test('an unknown stack is a ValidationError naming it, HTTP 400', async () => {
    // WHEN another stack is described
    const error = await failure(client().send(new DescribeStacksCommand({ StackName: 'Other' })));
    // THEN CloudFormation's error comes back
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('Stack with id Other does not exist');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('after the stack was deleted and created again, its old StackId shows DELETE_COMPLETE and its name the new stack', async () => {
    // GIVEN the stack deleted and deployed again
    await model.deleteStack();
    const recreated = await model.deployStack({ A: A1 });
    // WHEN both are described
    const old = await client().send(new DescribeStacksCommand({ StackName: STACK_ID }));
    const current = await client().send(new DescribeStacksCommand({ StackName: 'Numbers' }));
    // THEN each shows its own stack
    expect(old.Stacks?.[0]).toMatchObject({ StackId: STACK_ID, StackStatus: 'DELETE_COMPLETE' });
    expect(current.Stacks?.[0]).toMatchObject({ StackId: recreated.stackId, StackStatus: 'CREATE_COMPLETE' });
  });

  test('a handler reading its stack during a Delete tells a rollback from a user\'s delete', async () => {
    // GIVEN a provider that describes the stack whenever a Delete arrives
    const seen: (StackStatus | string | undefined)[] = [];
    const reading = new StackModel({
      stackName: 'Reader',
      provider: {
        handle: async (request: CfnRequest): Promise<CfnResponse> => {
          if (request.RequestType === 'Delete') {
            const out = await client().send(new DescribeStacksCommand({ StackName: request.StackId }));
            seen.push(out.Stacks?.[0].StackStatus);
          }
          return { Status: 'SUCCESS', PhysicalResourceId: request.PhysicalResourceId ?? `${request.LogicalResourceId}-id` };
        },
      },
    });
    api.register(reading);
    // WHEN a create rolls back, then the stack is deployed again and deleted by the user
    await reading.deployStack({ A: A1 }, { failUnrelatedAfter: 1 });
    await reading.deployStack({ A: A1 });
    await reading.deleteStack();
    // THEN the first Delete saw the rollback, the second the user's delete
    expect(seen).toEqual(['ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS']);
  });
});

describe('GetTemplate', () => {
  test('it answers the stack\'s template with each resource\'s type and properties', async () => {
    // WHEN the handler reads its stack's original template
    const out = await client().send(new GetTemplateCommand({ StackName: STACK_ID, TemplateStage: 'Original' }));
    // THEN the body is the JSON template of the stack's resources
    const template = JSON.parse(out.TemplateBody!) as { Resources: { [id: string]: { Type: string; Properties: Properties } } };
    expect(Object.keys(template.Resources)).toEqual(['A', 'B']);
    expect(template.Resources.A).toEqual({ Type: 'Custom::ClaimedPhoneNumber', Properties: { ServiceToken: expect.any(String), ...A1 } });
    expect(out.StagesAvailable).toEqual(['Original', 'Processed']);
  });

  test('during an update it answers what the model shows (the template being deployed, by default)', async () => {
    // GIVEN a provider that reads the template when A's Update arrives
    let body: string | undefined;
    const reading = new StackModel({
      stackName: 'Reader',
      provider: {
        handle: async (request: CfnRequest): Promise<CfnResponse> => {
          if (request.RequestType === 'Update') body = (await client().send(new GetTemplateCommand({ StackName: request.StackId }))).TemplateBody;
          return { Status: 'SUCCESS', PhysicalResourceId: request.PhysicalResourceId ?? 'A-id' };
        },
      },
    });
    api.register(reading);
    await reading.deployStack({ A: A1 });
    // WHEN A changes
    await reading.deployStack({ A: { ...A1, Description: 'second' } });
    // THEN the handler read the new properties
    expect(JSON.parse(body!).Resources.A.Properties.Description).toBe('second');
  });

  test('a missing StackName is a ValidationError', async () => {
    // WHEN GetTemplate names no stack
    const error = await failure(client().send(new GetTemplateCommand({})));
    // THEN it is refused as CloudFormation refuses it
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(/Value null at 'stackName'/);
  });
});

describe('DescribeStackEvents', () => {
  test('it answers each request\'s outcome, newest first, with the logical id, status, reason and time', async () => {
    // GIVEN an update adding C, whose Create fails (the stack rolls back)
    provider.fail('Create', 'C', 'Task timed out');
    await model.deployStack({ A: A1, B: B1, C: { PhoneNumber: '+12065550102' } });
    // WHEN the handler reads its stack's events
    const out = await client().send(new DescribeStackEventsCommand({ StackName: STACK_ID }));
    // THEN C's events are its rollback Delete, then its failed Create (after the first deploy's creates of A and B)
    const events = out.StackEvents ?? [];
    expect(events.filter((event) => event.LogicalResourceId === 'C').map((event) => event.ResourceStatus)).toEqual(['DELETE_COMPLETE', 'CREATE_FAILED']);
    const failed = events.find((event) => event.LogicalResourceId === 'C' && event.ResourceStatus === 'CREATE_FAILED');
    expect(failed).toMatchObject({ StackId: STACK_ID, ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Task timed out', ResourceType: 'Custom::ClaimedPhoneNumber' });
    expect(failed?.Timestamp).toBeInstanceOf(Date);
    expect(events.map((event) => `${event.LogicalResourceId} ${event.ResourceStatus}`).slice(-2)).toEqual(['B CREATE_COMPLETE', 'A CREATE_COMPLETE']);
  });
});

describe('DescribeStackResource', () => {
  test('it answers the logical id, physical id, status and type of a resource', async () => {
    // WHEN the handler describes resource A
    const out = await client().send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'A' }));
    // THEN it reads what CloudFormation knows
    expect(out.StackResourceDetail).toMatchObject({
      StackId: STACK_ID,
      StackName: 'Numbers',
      LogicalResourceId: 'A',
      PhysicalResourceId: 'A-1',
      ResourceStatus: 'CREATE_COMPLETE',
      ResourceType: 'Custom::ClaimedPhoneNumber',
    });
    expect(out.StackResourceDetail?.LastUpdatedTimestamp).toBeInstanceOf(Date);
  });

  test('an unknown logical id is CloudFormation\'s ValidationError naming the resource and the stack, HTTP 400', async () => {
    // WHEN a resource the stack does not have is described
    const error = await failure(client().send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Gone' })));
    // THEN the real error comes back
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(`Resource Gone does not exist for stack ${STACK_ID}`);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('a resource removed by an update no longer exists for the stack', async () => {
    // GIVEN B removed by an update
    await model.deployStack({ A: A1 });
    // WHEN B is described
    const error = await failure(client().send(new DescribeStackResourceCommand({ StackName: 'Numbers', LogicalResourceId: 'B' })));
    // THEN it does not exist
    expect(error.message).toBe('Resource B does not exist for stack Numbers');
  });
});

describe('ListStackResources', () => {
  test('it answers every resource of the stack', async () => {
    // WHEN the resources are listed
    const out = await client().send(new ListStackResourcesCommand({ StackName: STACK_ID }));
    // THEN both are there, with no further page
    expect(out.StackResourceSummaries?.map((s) => [s.LogicalResourceId, s.PhysicalResourceId, s.ResourceStatus, s.ResourceType])).toEqual([
      ['A', 'A-1', 'CREATE_COMPLETE', 'Custom::ClaimedPhoneNumber'],
      ['B', 'B-2', 'CREATE_COMPLETE', 'Custom::ClaimedPhoneNumber'],
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  test('more than 100 resources come in pages of 100 linked by NextToken', async () => {
    // GIVEN a stack with 150 resources
    const large = new StackModel({ stackName: 'Large', provider: new FakeProvider() });
    await large.deployStack(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`R${i}`, { PhoneNumber: `+1206555${String(i).padStart(4, '0')}` }])));
    api.register(large);
    // WHEN they are listed page by page
    const first = await client().send(new ListStackResourcesCommand({ StackName: 'Large' }));
    const second = await client().send(new ListStackResourcesCommand({ StackName: 'Large', NextToken: first.NextToken }));
    // THEN the first page has 100 and a token, the second the last 50 and none
    expect(first.StackResourceSummaries).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.StackResourceSummaries?.map((s) => s.LogicalResourceId)).toEqual(Array.from({ length: 50 }, (_, i) => `R${100 + i}`));
    expect(second.NextToken).toBeUndefined();
  });

  test('the SDK paginator reads every page', async () => {
    // GIVEN a stack with 150 resources
    const large = new StackModel({ stackName: 'Large', provider: new FakeProvider() });
    await large.deployStack(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`R${i}`, { PhoneNumber: `+1206555${String(i).padStart(4, '0')}` }])));
    api.register(large);
    // WHEN the paginator lists them
    const ids: string[] = [];
    for await (const page of paginateListStackResources({ client: client() }, { StackName: 'Large' })) {
      ids.push(...(page.StackResourceSummaries ?? []).map((s) => s.LogicalResourceId!));
    }
    // THEN it got all of them in two calls
    expect(ids).toHaveLength(150);
    expect(api.calls.filter((call) => call.action === 'ListStackResources')).toHaveLength(2);
  });

  test('a NextToken that is not one of the API\'s is a ValidationError', async () => {
    // WHEN a made-up token is given
    const error = await failure(client().send(new ListStackResourcesCommand({ StackName: STACK_ID, NextToken: 'bm90LWEtdG9rZW4=' })));
    // THEN it is refused
    expect(error.name).toBe('ValidationError');
  });
});

describe('Faults and the call log', () => {
  test('an injected throttle answers CloudFormation\'s Throttling error', async () => {
    // GIVEN the next call is throttled
    api.throttle(1);
    // WHEN a client that does not retry calls
    const error = await failure(client(1).send(new DescribeStacksCommand({ StackName: STACK_ID })));
    // THEN it gets Throttling / Rate exceeded, HTTP 400
    expect(error.name).toBe('Throttling');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('the SDK retries a throttled call and succeeds once the throttling stops', async () => {
    // GIVEN the next two calls are throttled
    api.throttle(2);
    // WHEN a client with the default three attempts calls
    const out = await client(3).send(new DescribeStacksCommand({ StackName: STACK_ID }));
    // THEN the third attempt answered, and the log shows all three
    expect(out.Stacks?.[0].StackStatus).toBe('CREATE_COMPLETE');
    expect(api.calls.map((call) => call.errorCode ?? call.httpStatus)).toEqual(['Throttling', 'Throttling', 200]);
  });

  test('a throttle limited to one action leaves the others alone', async () => {
    // GIVEN GetTemplate is throttled
    api.throttle(1, 'GetTemplate');
    // WHEN DescribeStacks is called
    const out = await client().send(new DescribeStacksCommand({ StackName: STACK_ID }));
    // THEN it answers, and the throttle is still pending for GetTemplate
    expect(out.Stacks).toHaveLength(1);
    expect((await failure(client().send(new GetTemplateCommand({ StackName: STACK_ID })))).name).toBe('Throttling');
  });

  test('another injected error comes back with its code and HTTP status', async () => {
    // GIVEN an internal failure for the next call
    api.addFault({ code: 'InternalFailure', message: 'Internal error', httpStatus: 500 });
    // WHEN a client that does not retry calls
    const error = await failure(client(1).send(new DescribeStacksCommand({ StackName: STACK_ID })));
    // THEN it gets that error
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  test('the call log records the action, input, outcome, signing key and the stack status at the time', async () => {
    // WHEN two calls are made, one failing
    await client().send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'A' }));
    await failure(client().send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Gone' })));
    // THEN both are logged
    expect(api.calls).toEqual([
      expect.objectContaining({ action: 'DescribeStackResource', input: { StackName: STACK_ID, LogicalResourceId: 'A' }, httpStatus: 200, accessKeyId: ACCESS_KEY, stackStatus: 'CREATE_COMPLETE' }),
      expect.objectContaining({ action: 'DescribeStackResource', httpStatus: 400, errorCode: 'ValidationError' }),
    ]);
  });
});

describe('IAM enforcement', () => {
  test('a call the role allows on the stack ARN is answered', async () => {
    // GIVEN the role may describe its own stack
    api.setPolicies(ACCESS_KEY, [{ Effect: 'Allow', Action: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackResource'], Resource: STACK_ARN_PATTERN }]);
    // WHEN it describes it
    const out = await client().send(new DescribeStacksCommand({ StackName: STACK_ID }));
    // THEN it is answered
    expect(out.Stacks?.[0].StackId).toBe(STACK_ID);
  });

  test('an action the role does not allow is AccessDenied, HTTP 403, naming the action and the stack ARN', async () => {
    // GIVEN the role may only describe stacks
    api.setPolicies(ACCESS_KEY, [{ Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: STACK_ARN_PATTERN }]);
    // WHEN it reads the template
    const error = await failure(client().send(new GetTemplateCommand({ StackName: STACK_ID })));
    // THEN it is denied
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: ${ACCESS_KEY} is not authorized to perform: cloudformation:GetTemplate on resource: ${STACK_ID} because no identity-based policy allows the cloudformation:GetTemplate action`,
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  test('a stack other than the one the role names is denied', async () => {
    // GIVEN the role may describe only another stack
    api.setPolicies(ACCESS_KEY, [{ Effect: 'Allow', Action: 'cloudformation:*', Resource: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/*' }]);
    // WHEN it describes this one
    const error = await failure(client().send(new DescribeStacksCommand({ StackName: 'Numbers' })));
    // THEN it is denied
    expect(error.name).toBe('AccessDenied');
  });

  test('an explicit Deny wins over an Allow', async () => {
    // GIVEN the role is allowed everything but denied ListStackResources
    api.setPolicies(ACCESS_KEY, [
      { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
      { Effect: 'Deny', Action: 'cloudformation:ListStackResources', Resource: '*' },
    ]);
    // WHEN it lists the resources
    const error = await failure(client().send(new ListStackResourcesCommand({ StackName: STACK_ID })));
    // THEN it is denied explicitly
    expect(error.message).toMatch(/with an explicit deny in an identity-based policy$/);
  });

  test('calls signed with a key that has no policy are not checked', async () => {
    // GIVEN a policy for the handler's key that allows nothing useful
    api.setPolicies(ACCESS_KEY, [{ Effect: 'Allow', Action: 'cloudformation:ListStacks', Resource: '*' }]);
    // WHEN another key describes the stack
    const out = await client(1, 'AKIDSOMEONEELSE').send(new DescribeStacksCommand({ StackName: STACK_ID }));
    // THEN it is answered
    expect(out.Stacks).toHaveLength(1);
  });
});
