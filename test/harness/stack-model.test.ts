/**
 * The CloudFormation stack model on its own, with a scripted provider: which requests a deploy sends, in
 * which order and phase, with which properties and physical ids, and what the stack remembers afterwards.
 */
import { CREATE_FAILED_MARKER } from '../../harness/provider-framework';
import { Properties, StackModel, StackModelOptions, StepRecord } from '../../harness/cfn';
import { FakeProvider } from './fake-provider';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/11111111-2222-3333-4444-555555555555';
const A1 = { PhoneNumber: '+12065550100', Description: 'first' };
const A2 = { PhoneNumber: '+12065550100', Description: 'second' };
const B1 = { PhoneNumber: '+12065550101' };
const B2 = { PhoneNumber: '+12065550101', Description: 'changed' };
const C1 = { PhoneNumber: '+12065550102' };

function setup(options: Partial<StackModelOptions> = {}): { model: StackModel; provider: FakeProvider } {
  const provider = new FakeProvider();
  const model = new StackModel({ stackName: 'Numbers', stackId: STACK_ID, provider, ...options });
  provider.model = model;
  return { model, provider };
}

/** `<RequestType> <LogicalId> <PhysicalId or -> @<stack status>` for each step. */
function calls(steps: readonly StepRecord[]): string[] {
  return steps.map((step) => `${step.request.RequestType} ${step.request.LogicalResourceId} ${step.request.PhysicalResourceId ?? '-'} @${step.stackStatus}`);
}

/** A stack created with A (id A-1) and B (id B-2). */
async function createdStack(options: Partial<StackModelOptions> = {}): Promise<{ model: StackModel; provider: FakeProvider }> {
  const world = setup(options);
  const created = await world.model.deployStack({ A: A1, B: B1 });
  expect(created.status).toBe('CREATE_COMPLETE');
  return world;
}

const without = (properties: Properties, ...keys: string[]) => Object.fromEntries(Object.entries(properties).filter(([key]) => !keys.includes(key)));

describe('Creating a stack', () => {
  test('the first deploy sends a Create per resource in template order and ends CREATE_COMPLETE', async () => {
    // GIVEN a new stack
    const { model } = setup();
    // WHEN it is deployed
    const result = await model.deployStack({ A: A1, B: B1 });
    // THEN each resource got a Create during CREATE_IN_PROGRESS, and the stack remembers their ids
    expect(calls(result.steps)).toEqual(['Create A - @CREATE_IN_PROGRESS', 'Create B - @CREATE_IN_PROGRESS']);
    expect(result.statuses).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(model.resources().map((r) => [r.logicalId, r.physicalId, r.status])).toEqual([
      ['A', 'A-1', 'CREATE_COMPLETE'],
      ['B', 'B-2', 'CREATE_COMPLETE'],
    ]);
  });

  test('a Create carries the stack id, the service token and the properties with scalars as strings', async () => {
    // GIVEN a new stack whose resource has a number and a boolean property
    const { model } = setup();
    // WHEN it is deployed
    const result = await model.deployStack({ A: { ...A1, Count: 2, Enabled: true } });
    // THEN the request has CloudFormation's fields
    const request = result.steps[0].request;
    expect(request).toMatchObject({ RequestType: 'Create', StackId: STACK_ID, LogicalResourceId: 'A', ResourceType: 'Custom::ClaimedPhoneNumber' });
    expect(request.ResourceProperties).toEqual({ ServiceToken: request.ServiceToken, ...A1, Count: '2', Enabled: 'true' });
    expect(request.PhysicalResourceId).toBeUndefined();
  });

  test('a failed Create rolls back: Delete of every resource created so far, newest first, the marker included', async () => {
    // GIVEN a stack whose second resource fails to create
    const { model, provider } = setup();
    provider.fail('Create', 'B', 'number not available');
    // WHEN it is deployed
    const result = await model.deployStack({ A: A1, B: B1, C: C1 });
    // THEN C was never created; B (marker) and A were deleted during ROLLBACK_IN_PROGRESS; the stack is ROLLBACK_COMPLETE
    expect(calls(result.steps)).toEqual([
      'Create A - @CREATE_IN_PROGRESS',
      'Create B - @CREATE_IN_PROGRESS',
      `Delete B ${CREATE_FAILED_MARKER} @ROLLBACK_IN_PROGRESS`,
      'Delete A A-1 @ROLLBACK_IN_PROGRESS',
    ]);
    expect(result.statuses).toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
    expect(result.failure).toEqual({ logicalId: 'B', reason: 'number not available' });
    expect(model.resources()).toEqual([]);
  });

  test('the rollback Delete of a failed Create carries the properties it was created with', async () => {
    // GIVEN a resource that fails to create
    const { model, provider } = setup();
    provider.fail('Create', 'A');
    // WHEN the stack is deployed and rolls back
    const result = await model.deployStack({ A: A1 });
    // THEN the Delete has the same properties as the Create
    const [create, rollback] = result.steps.map((step) => step.request);
    expect(rollback.ResourceProperties).toEqual(create.ResourceProperties);
  });

  test('a failed Create that carried no physical id is deleted under the id CloudFormation invented', async () => {
    // GIVEN a Create answered FAILED without a physical id
    const { model, provider } = setup();
    provider.when('Create', 'A', { Status: 'FAILED', Reason: 'boom', PhysicalResourceId: '' });
    // WHEN the stack is deployed and rolls back
    const result = await model.deployStack({ A: A1 });
    // THEN the Delete names an id made of the stack name, the logical id and a random suffix
    expect(result.steps[1].request.PhysicalResourceId).toMatch(/^Numbers-A-[0-9A-F]{13}$/);
  });

  test('an unrelated failure before any of ours rolls back without sending anything', async () => {
    // GIVEN an unrelated resource that fails first
    const { model } = setup();
    // WHEN the stack is deployed
    const result = await model.deployStack({ A: A1 }, { failUnrelatedAfter: 0 });
    // THEN nothing was sent and the stack is ROLLBACK_COMPLETE
    expect(result.steps).toEqual([]);
    expect(result.statuses).toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
    expect(result.failure?.logicalId).toBe('UnrelatedResource');
  });

  test('a rollback Delete that fails leaves the stack ROLLBACK_FAILED with that resource still in it', async () => {
    // GIVEN a created resource whose rollback Delete fails, after an unrelated failure
    const { model, provider } = setup();
    provider.fail('Delete', 'A', 'cannot release');
    // WHEN the stack is deployed
    const result = await model.deployStack({ A: A1 }, { failUnrelatedAfter: 1 });
    // THEN the stack is ROLLBACK_FAILED and A is DELETE_FAILED
    expect(result.status).toBe('ROLLBACK_FAILED');
    expect(result.rollbackFailure).toEqual({ logicalId: 'A', reason: 'cannot release' });
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-1', status: 'DELETE_FAILED' });
  });

  test('a resource with DeletionPolicy Retain is kept by a create rollback, one with RetainExceptOnCreate is deleted', async () => {
    // GIVEN two resources with retaining policies, and a failure after both were created
    const { model } = setup();
    // WHEN the stack is deployed and rolls back
    const result = await model.deployStack(
      { A: A1, B: B1 },
      { failUnrelatedAfter: 2, policies: { A: { deletionPolicy: 'Retain' }, B: { deletionPolicy: 'RetainExceptOnCreate' } } },
    );
    // THEN only B got a Delete
    expect(calls(result.steps).filter((call) => call.startsWith('Delete'))).toEqual(['Delete B B-2 @ROLLBACK_IN_PROGRESS']);
  });

  test('deploying after ROLLBACK_COMPLETE deletes the empty stack and creates it again under a new StackId', async () => {
    // GIVEN a stack whose creation rolled back
    const { model, provider } = setup();
    provider.fail('Create', 'A');
    await model.deployStack({ A: A1 });
    // WHEN it is deployed again
    const result = await model.deployStack({ A: A1 });
    // THEN the old stack was deleted without a request, and the new one has a new id in its requests
    expect(result.statuses).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(calls(result.steps)).toEqual(['Create A - @CREATE_IN_PROGRESS']);
    expect(result.stackId).not.toBe(STACK_ID);
    expect(result.stackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Numbers\/[0-9a-f-]{36}$/);
    expect(result.steps[0].request.StackId).toBe(result.stackId);
    expect(model.stackIds()).toEqual([STACK_ID, result.stackId]);
  });
});

describe('Updating a stack', () => {
  test('a property change is an in-place Update with the old properties and the same physical id', async () => {
    // GIVEN a created stack
    const { model } = await createdStack();
    // WHEN A's description changes
    const result = await model.deployStack({ A: A2, B: B1 });
    // THEN only A got an Update, with new and old properties, and the stack went through the cleanup phase
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS']);
    const request = result.steps[0].request;
    expect(without(request.ResourceProperties, 'ServiceToken')).toEqual(A2);
    expect(without(request.OldResourceProperties!, 'ServiceToken')).toEqual(A1);
    expect(result.statuses).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-1', properties: A2, status: 'UPDATE_COMPLETE' });
  });

  test('a deploy with nothing changed sends nothing', async () => {
    // GIVEN a created stack
    const { model } = await createdStack();
    // WHEN the same template is deployed (keys in another order)
    const result = await model.deployStack({ B: B1, A: { Description: 'first', PhoneNumber: '+12065550100' } });
    // THEN nothing was sent
    expect(result.steps).toEqual([]);
    expect(result.status).toBe('UPDATE_COMPLETE');
  });

  test('a replacement is followed, in the cleanup phase, by a Delete of the old physical id with the old properties', async () => {
    // GIVEN a created stack whose A answers its update with a new physical id
    const { model, provider } = await createdStack();
    provider.when('Update', 'A', { PhysicalResourceId: 'A-new' });
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 });
    // THEN the old id was deleted after the update, during UPDATE_COMPLETE_CLEANUP_IN_PROGRESS
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS', 'Delete A A-1 @UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']);
    expect(without(result.steps[1].request.ResourceProperties, 'ServiceToken')).toEqual(A1);
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-new', properties: A2 });
  });

  test('a replacement with UpdateReplacePolicy Retain keeps the old physical id: no Delete', async () => {
    // GIVEN a created stack whose A is replaced, with UpdateReplacePolicy Retain in the new template
    const { model, provider } = await createdStack();
    provider.when('Update', 'A', { PhysicalResourceId: 'A-new' });
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 }, { policies: { A: { updateReplacePolicy: 'Retain' } } });
    // THEN only the Update was sent
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS']);
  });

  test('a new logical id is created during the update, a removed one deleted only in the cleanup phase', async () => {
    // GIVEN a created stack
    const { model } = await createdStack();
    // WHEN B is removed and C added
    const result = await model.deployStack({ A: A1, C: C1 });
    // THEN C was created first, then B deleted in cleanup, and B has left the stack
    expect(calls(result.steps)).toEqual(['Create C - @UPDATE_IN_PROGRESS', 'Delete B B-2 @UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']);
    expect(without(result.steps[1].request.ResourceProperties, 'ServiceToken')).toEqual(B1);
    expect(model.resources().map((r) => r.logicalId)).toEqual(['A', 'C']);
  });

  test('a removed resource with DeletionPolicy Retain leaves the stack without a Delete', async () => {
    // GIVEN a created stack whose B has DeletionPolicy Retain
    const { model } = await createdStack({ policies: (logicalId) => (logicalId === 'B' ? { deletionPolicy: 'Retain' } : {}) });
    // WHEN B is removed
    const result = await model.deployStack({ A: A1 });
    // THEN nothing was sent, and B is no longer in the stack
    expect(result.steps).toEqual([]);
    expect(model.resource('B')).toBeUndefined();
  });

  test('a failed cleanup Delete is given up on: the stack still completes and the failure is reported', async () => {
    // GIVEN a created stack whose B cannot be deleted
    const { model, provider } = await createdStack();
    provider.fail('Delete', 'B', 'still in use');
    // WHEN B is removed
    const result = await model.deployStack({ A: A1 });
    // THEN the stack is UPDATE_COMPLETE, B left it, and the failure is reported
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.cleanupFailures).toEqual([{ logicalId: 'B', reason: 'still in use' }]);
    expect(model.resource('B')).toBeUndefined();
  });

  test('variant (c): with three cleanup attempts a failing cleanup Delete is sent three times', async () => {
    // GIVEN a created stack whose B cannot be deleted, and three attempts per cleanup Delete
    const { model, provider } = await createdStack({ cleanupDeleteAttempts: 3 });
    provider.fail('Delete', 'B', 'still in use', 3);
    // WHEN B is removed
    const result = await model.deployStack({ A: A1 });
    // THEN three Deletes were sent, each a new request
    expect(calls(result.steps)).toEqual(Array(3).fill('Delete B B-2 @UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
    expect(new Set(result.steps.map((step) => step.request.RequestId)).size).toBe(3);
  });
});

describe('Rolling an update back', () => {
  test('a failed Update rolls back with the reverse Update of every updated resource, the failed one included, newest first', async () => {
    // GIVEN a created stack whose B fails its update
    const { model, provider } = await createdStack();
    provider.fail('Update', 'B', 'target not found');
    // WHEN A and B change
    const result = await model.deployStack({ A: A2, B: B2 });
    // THEN B and then A got the reverse Update with their own physical ids, and the stack is UPDATE_ROLLBACK_COMPLETE
    expect(calls(result.steps)).toEqual([
      'Update A A-1 @UPDATE_IN_PROGRESS',
      'Update B B-2 @UPDATE_IN_PROGRESS',
      'Update B B-2 @UPDATE_ROLLBACK_IN_PROGRESS',
      'Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS',
    ]);
    expect(result.statuses).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    expect(result.failure).toEqual({ logicalId: 'B', reason: 'target not found' });
  });

  test('a reverse Update swaps the properties: ResourceProperties are the old ones, OldResourceProperties the new ones', async () => {
    // GIVEN a created stack whose A fails its update
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A');
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 });
    // THEN the reverse Update carries the properties the other way round
    const reverse = result.steps[1].request;
    expect(without(reverse.ResourceProperties, 'ServiceToken')).toEqual(A1);
    expect(without(reverse.OldResourceProperties!, 'ServiceToken')).toEqual(A2);
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-1', properties: A1, status: 'UPDATE_COMPLETE' });
  });

  test('an unrelated failure stops the update: the resources not yet updated are never touched', async () => {
    // GIVEN a created stack, and an unrelated resource that fails after one of our operations
    const { model } = await createdStack();
    // WHEN A and B change
    const result = await model.deployStack({ A: A2, B: B2 }, { failUnrelatedAfter: 1 });
    // THEN only A was updated and reversed
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS', 'Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS']);
    expect(result.failure?.logicalId).toBe('UnrelatedResource');
  });

  test('a replacement rolled back: nothing is sent while rolling back, the new id is deleted in the rollback cleanup', async () => {
    // GIVEN a created stack whose A is replaced, then an unrelated failure
    const { model, provider } = await createdStack();
    provider.when('Update', 'A', { PhysicalResourceId: 'A-new' });
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 }, { failUnrelatedAfter: 1 });
    // THEN the new id got a Delete with the new properties in UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS; A is back on its old id
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS', 'Delete A A-new @UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS']);
    expect(without(result.steps[1].request.ResourceProperties, 'ServiceToken')).toEqual(A2);
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-1', properties: A1, data: { Id: 'A-1' } });
  });

  test('a resource created during a failed update is deleted in the rollback cleanup, after the reverse Updates', async () => {
    // GIVEN a created stack
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A');
    // WHEN C is added (created first) and A's update fails
    const result = await model.deployStack({ C: C1, A: A2, B: B1 });
    // THEN C was deleted in the cleanup phase and left the stack
    expect(calls(result.steps)).toEqual([
      'Create C - @UPDATE_IN_PROGRESS',
      'Update A A-1 @UPDATE_IN_PROGRESS',
      'Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS',
      'Delete C C-3 @UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    ]);
    expect(model.resource('C')).toBeUndefined();
  });

  test('a Create that failed during an update gets the Delete of the marker in the rollback cleanup', async () => {
    // GIVEN a created stack, and a new resource that fails to create
    const { model, provider } = await createdStack();
    provider.fail('Create', 'C');
    // WHEN C is added
    const result = await model.deployStack({ A: A1, B: B1, C: C1 });
    // THEN its marker was deleted in UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS
    expect(calls(result.steps)).toEqual(['Create C - @UPDATE_IN_PROGRESS', `Delete C ${CREATE_FAILED_MARKER} @UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`]);
  });

  test('variant (a) by default: a FAILED Update carrying a new physical id is reversed under the old id', async () => {
    // GIVEN a created stack whose A fails its update with a new physical id in the answer
    const { model, provider } = await createdStack();
    provider.when('Update', 'A', { Status: 'FAILED', Reason: 'isComplete failed', PhysicalResourceId: 'A-half' });
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 });
    // THEN the reverse Update names the old id, which the stack keeps
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS', 'Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS']);
    expect(model.resource('A')?.physicalId).toBe('A-1');
  });

  test('variant (a) record-new: a FAILED Update carrying a new physical id is reversed under the new id', async () => {
    // GIVEN the variant where CloudFormation records the id a FAILED answer carries
    const { model, provider } = await createdStack({ failedUpdatePhysicalId: 'record-new' });
    provider.when('Update', 'A', { Status: 'FAILED', Reason: 'isComplete failed', PhysicalResourceId: 'A-half' });
    // WHEN A changes
    const result = await model.deployStack({ A: A2, B: B1 });
    // THEN the reverse Update names the new id
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_IN_PROGRESS', 'Update A A-half @UPDATE_ROLLBACK_IN_PROGRESS']);
  });

  test('a reverse Update that fails leaves the stack UPDATE_ROLLBACK_FAILED before any cleanup Delete', async () => {
    // GIVEN a created stack: C is added, A's update fails, and so does its reverse Update
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A', 'first', 2);
    // WHEN the update is deployed
    const result = await model.deployStack({ C: C1, A: A2, B: B1 });
    // THEN the stack is UPDATE_ROLLBACK_FAILED, and C was not deleted yet
    expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.rollbackFailure).toEqual({ logicalId: 'A', reason: 'first' });
    expect(calls(result.steps).at(-1)).toBe('Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS');
    expect(model.resource('A')?.status).toBe('UPDATE_FAILED');
    expect(model.resource('C')?.physicalId).toBe('C-3');
  });

  test('a stack in UPDATE_ROLLBACK_FAILED refuses a deploy', async () => {
    // GIVEN a stack whose update rollback failed
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A', 'x', 2);
    await model.deployStack({ A: A2, B: B1 });
    // WHEN it is deployed again / THEN it is refused
    await expect(model.deployStack({ A: A2, B: B1 })).rejects.toThrow(/is in UPDATE_ROLLBACK_FAILED state and can not be updated/);
  });

  test('continueUpdateRollback sends the failed reverse Update again and finishes with the cleanup', async () => {
    // GIVEN a stack whose update rollback failed on A, with C created during the update
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A', 'x', 2);
    await model.deployStack({ C: C1, A: A2, B: B1 });
    // WHEN the rollback is continued
    const result = await model.continueUpdateRollback();
    // THEN A got the reverse Update again, C its Delete, and the stack is UPDATE_ROLLBACK_COMPLETE
    expect(calls(result.steps)).toEqual(['Update A A-1 @UPDATE_ROLLBACK_IN_PROGRESS', 'Delete C C-3 @UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS']);
    expect(result.statuses).toEqual(['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    expect(model.resource('A')).toMatchObject({ properties: A1, status: 'UPDATE_COMPLETE' });
  });

  test('continueUpdateRollback with resourcesToSkip marks the skipped resource rolled back without sending anything to it', async () => {
    // GIVEN a stack whose update rollback failed on A
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A', 'x', 2);
    await model.deployStack({ A: A2, B: B1 });
    // WHEN the rollback is continued skipping A
    const result = await model.continueUpdateRollback({ resourcesToSkip: ['A'] });
    // THEN nothing was sent, A is UPDATE_COMPLETE with the previous template's properties, and the stack is usable
    expect(result.steps).toEqual([]);
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(model.resource('A')).toMatchObject({ physicalId: 'A-1', properties: A1, status: 'UPDATE_COMPLETE' });
  });

  test('continueUpdateRollback refuses to skip a resource whose rollback did not fail', async () => {
    // GIVEN a stack whose update rollback failed on A
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A', 'x', 2);
    await model.deployStack({ A: A2, B: B1 });
    // WHEN B is given to skip / THEN it is refused
    await expect(model.continueUpdateRollback({ resourcesToSkip: ['B'] })).rejects.toThrow(/only resources whose rollback failed/);
  });
});

describe('Deleting a stack', () => {
  test('deleting the stack sends a Delete per resource, newest first, and ends DELETE_COMPLETE', async () => {
    // GIVEN a created stack
    const { model } = await createdStack();
    // WHEN it is deleted
    const result = await model.deleteStack();
    // THEN each resource got a Delete during DELETE_IN_PROGRESS
    expect(calls(result.steps)).toEqual(['Delete B B-2 @DELETE_IN_PROGRESS', 'Delete A A-1 @DELETE_IN_PROGRESS']);
    expect(result.statuses).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(model.resources()).toEqual([]);
  });

  test('deleting the stack keeps a resource with DeletionPolicy Retain without a request', async () => {
    // GIVEN a created stack whose A has DeletionPolicy Retain
    const { model } = await createdStack({ policies: (logicalId) => (logicalId === 'A' ? { deletionPolicy: 'Retain' } : {}) });
    // WHEN it is deleted
    const result = await model.deleteStack();
    // THEN only B got a Delete
    expect(calls(result.steps)).toEqual(['Delete B B-2 @DELETE_IN_PROGRESS']);
  });

  test('a failed Delete leaves the stack DELETE_FAILED; deleting again while retaining it completes without a request', async () => {
    // GIVEN a created stack whose A cannot be deleted
    const { model, provider } = await createdStack();
    provider.fail('Delete', 'A', 'associated with a contact flow');
    const failed = await model.deleteStack();
    // WHEN the stack is deleted again, retaining A
    const retried = await model.deleteStack({ retainResources: ['A'] });
    // THEN the first delete failed on A, and the second sent nothing
    expect(failed.status).toBe('DELETE_FAILED');
    expect(failed.rollbackFailure).toEqual({ logicalId: 'A', reason: 'associated with a contact flow' });
    expect(retried.steps).toEqual([]);
    expect(retried.status).toBe('DELETE_COMPLETE');
  });

  test('deploying after the stack was deleted creates a new stack with a new StackId', async () => {
    // GIVEN a deleted stack
    const { model } = await createdStack();
    await model.deleteStack();
    // WHEN it is deployed again
    const result = await model.deployStack({ A: A1 });
    // THEN it is a new stack
    expect(result.statuses).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(result.stackId).not.toBe(STACK_ID);
  });
});

describe('What a handler can read while a request is in flight', () => {
  test('the stack status a handler reads is the one recorded for its request, telling rollbacks from deploys', async () => {
    // GIVEN a created stack whose B fails its update, with C added
    const { model, provider } = await createdStack();
    provider.fail('Update', 'B');
    // WHEN the update is deployed and rolled back
    await model.deployStack({ A: A2, B: B2, C: C1 });
    // THEN every request's recorded status is what the model showed when it arrived
    expect(provider.arrivals.map((arrival) => arrival.status)).toEqual(model.steps.map((step) => step.stackStatus));
    expect(provider.arrivals.slice(2).map((a) => `${a.request.RequestType} ${a.request.LogicalResourceId} @${a.status}`)).toEqual([
      'Update A @UPDATE_IN_PROGRESS',
      'Update B @UPDATE_IN_PROGRESS',
      'Update B @UPDATE_ROLLBACK_IN_PROGRESS',
      'Update A @UPDATE_ROLLBACK_IN_PROGRESS',
    ]);
  });

  test('a resource being created has no physical id yet while its Create is in flight', async () => {
    // GIVEN a provider that looks at the record while A's Create is in flight
    const { model, provider } = setup();
    let seen: unknown;
    provider.when('Create', 'A', () => {
      seen = [model.resource('A')?.status, model.resource('A')?.physicalId];
      return {};
    });
    // WHEN the stack is deployed
    await model.deployStack({ A: A1 });
    // THEN it was CREATE_IN_PROGRESS without a physical id
    expect(seen).toEqual(['CREATE_IN_PROGRESS', undefined]);
  });

  test('variant (b) by default: GetTemplate shows the template being deployed during the update and its rollback', async () => {
    // GIVEN a created stack whose A fails its update
    const { model, provider } = await createdStack();
    provider.fail('Update', 'A');
    // WHEN A changes and C is added
    await model.deployStack({ C: C1, A: A2, B: B1 });
    // THEN while updating and rolling back the template had C and A2; in the rollback cleanup, the previous one
    const templates = provider.arrivals.slice(2).map((a) => [a.status, Object.keys(a.template!.Resources), a.template!.Resources.A?.Properties.Description]);
    expect(templates).toEqual([
      ['UPDATE_IN_PROGRESS', ['C', 'A', 'B'], 'second'],
      ['UPDATE_IN_PROGRESS', ['C', 'A', 'B'], 'second'],
      ['UPDATE_ROLLBACK_IN_PROGRESS', ['C', 'A', 'B'], 'second'],
      ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', ['A', 'B'], 'first'],
    ]);
  });

  test('variant (b) previous: GetTemplate shows the template before the update while it is in progress', async () => {
    // GIVEN the variant where GetTemplate returns the previous template during an update
    const { model, provider } = await createdStack({ templateWhileUpdating: 'previous' });
    // WHEN A changes
    await model.deployStack({ A: A2, B: B1 });
    // THEN the Update arrived while GetTemplate still showed A1, and afterwards it shows A2
    expect(provider.arrivals[2].template?.Resources.A.Properties.Description).toBe('first');
    expect(model.template().Resources.A.Properties.Description).toBe('second');
  });

  test('GetTemplate shows the previous template again once an update rolled back', async () => {
    // GIVEN a created stack
    const { model } = await createdStack();
    // WHEN an update adding C fails for an unrelated reason
    await model.deployStack({ A: A2, B: B1, C: C1 }, { failUnrelatedAfter: 2 });
    // THEN the template is the one before
    expect(Object.keys(model.template().Resources)).toEqual(['A', 'B']);
    expect(model.template().Resources.A.Properties).toEqual({ ServiceToken: expect.any(String), ...A1 });
  });

  test('GetTemplate writes each resource with its type, service token and policies', async () => {
    // GIVEN a stack with policies and a template service token
    const { model } = setup({ templateServiceToken: () => ({ 'Fn::GetAtt': ['Framework', 'Arn'] }) });
    // WHEN it is deployed
    await model.deployStack({ A: A1 }, { policies: { A: { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' } } });
    // THEN the template shows them
    expect(model.template()).toEqual({
      Resources: {
        A: { Type: 'Custom::ClaimedPhoneNumber', Properties: { ServiceToken: { 'Fn::GetAtt': ['Framework', 'Arn'] }, ...A1 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      },
    });
  });
});

describe('Attributes and scheduling', () => {
  test('the attributes of a resource are replaced by each successful answer, not merged', async () => {
    // GIVEN a resource created with two attributes
    const { model, provider } = setup();
    provider.when('Create', 'A', { Data: { Arn: 'a1', Extra: 'x' } });
    await model.deployStack({ A: A1 });
    // WHEN its update answers one attribute
    provider.when('Update', 'A', { Data: { Arn: 'a2' } });
    await model.deployStack({ A: A2 });
    // THEN only that attribute remains
    expect(model.resource('A')?.data).toEqual({ Arn: 'a2' });
  });

  test('with concurrency 2, two operations are in flight at once, started in template order', async () => {
    // GIVEN a provider that takes a while to answer
    const { model, provider } = setup();
    provider.delayMs = 20;
    // WHEN three resources are created two at a time
    const result = await model.deployStack({ A: A1, B: B1, C: C1 }, { concurrency: 2 });
    // THEN two were in flight at once, and they started in order
    expect(provider.maxInFlight).toBe(2);
    expect(provider.arrivals.map((a) => a.request.LogicalResourceId)).toEqual(['A', 'B', 'C']);
    expect(result.status).toBe('CREATE_COMPLETE');
  });

  test('the status history records every status of every stack of the name with its StackId', async () => {
    // GIVEN a stack created, then deleted
    const { model } = await createdStack();
    await model.deleteStack();
    // WHEN the history is read
    const history = model.statusHistory.map((change) => [change.stackId, change.status]);
    // THEN it has all statuses in order
    expect(history).toEqual([
      [STACK_ID, 'CREATE_IN_PROGRESS'],
      [STACK_ID, 'CREATE_COMPLETE'],
      [STACK_ID, 'DELETE_IN_PROGRESS'],
      [STACK_ID, 'DELETE_COMPLETE'],
    ]);
  });
});
