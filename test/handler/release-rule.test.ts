import { decideRelease, ReleaseFacts } from '../../lambda/release-rule';
import { StackSummary } from '../../lambda/stack-reader';
import { serviceError } from './fixtures';

const ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/11111111-1111-4111-8111-111111111111';
const OTHER_ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/22222222-2222-4222-8222-222222222222';

/** The stack's answers: the asking stack's status, its parents' (nearest first), the template and physical id. */
function facts(own: string, options: { parents?: string[]; declared?: boolean; physicalId?: string; failure?: Error } = {}): ReleaseFacts & { reads: string[] } {
  const reads: string[] = [];
  const parents = options.parents ?? [];
  return {
    reads,
    lineage: async () => {
      reads.push('lineage');
      if (options.failure) throw options.failure;
      const chain: StackSummary[] = [{ stackId: 'own', status: own }];
      parents.forEach((status, i) => chain.push({ stackId: `parent-${i}`, status }));
      return chain;
    },
    declaresThisResource: async () => {
      reads.push('template');
      return options.declared ?? true;
    },
    physicalIdOfThisResource: async () => {
      reads.push('physicalId');
      return options.physicalId;
    },
  };
}

describe('the release rule', () => {
  test('a stack being deleted lets the number go, without reading the template', async () => {
    // GIVEN a top-level stack in DELETE_IN_PROGRESS
    const stack = facts('DELETE_IN_PROGRESS');
    // WHEN a Delete of its number is decided
    const decision = await decideRelease(ARN, stack);
    // THEN it is released (row 1), and only the stack's status was read
    expect(decision).toEqual({ action: 'RELEASE', row: 1, resourceGone: true });
    expect(stack.reads).toEqual(['lineage']);
  });

  test('the cleanup of a successful update releases a number whose logical id the template no longer declares', async () => {
    // GIVEN a successful update removed the resource
    const decision = await decideRelease(ARN, facts('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', { declared: false }));
    // THEN the number is released, and the resource is gone
    expect(decision).toEqual({ action: 'RELEASE', row: 2, resourceGone: true });
  });

  test('the cleanup of a successful update releases the old number of a replacement', async () => {
    // GIVEN the logical id now holds another number
    const decision = await decideRelease(ARN, facts('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', { physicalId: OTHER_ARN }));
    // THEN the old number is released, and the resource stays
    expect(decision).toEqual({ action: 'RELEASE', row: 2, resourceGone: false });
  });

  test('a cleanup Delete naming the number the logical id still holds leaves it untouched', async () => {
    // GIVEN the stack holds this very number for the logical id
    const decision = await decideRelease(ARN, facts('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', { physicalId: ARN }));
    // THEN it is in use
    expect(decision).toEqual({ action: 'IN_USE', row: 4 });
  });

  test.each(['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'IMPORT_ROLLBACK_IN_PROGRESS'])(
    'a stack in %s keeps the number, marked with that status',
    async (status) => {
      // GIVEN a stack rolling back
      const decision = await decideRelease(ARN, facts(status, { physicalId: ARN }));
      // THEN the number is kept with the status as its reason
      expect(decision).toEqual({ action: 'KEEP', row: 3, reason: status });
    },
  );

  test('a Delete delivered after the rollback completed keeps the number (a late rollback cleanup)', async () => {
    // GIVEN the stack reached UPDATE_ROLLBACK_COMPLETE and holds another number for the logical id
    const decision = await decideRelease(ARN, facts('UPDATE_ROLLBACK_COMPLETE', { physicalId: OTHER_ARN }));
    // THEN the number is kept, marked with the status it arrived in
    expect(decision).toEqual({ action: 'KEEP', row: 5, reason: 'UPDATE_ROLLBACK_COMPLETE' });
  });

  test('a Delete naming the number a stable stack holds for that logical id leaves it untouched', async () => {
    // GIVEN a stack in UPDATE_COMPLETE that holds this number (a stale or forged Delete)
    const decision = await decideRelease(ARN, facts('UPDATE_COMPLETE', { physicalId: ARN }));
    // THEN the number is in use
    expect(decision).toEqual({ action: 'IN_USE', row: 4 });
  });

  test.each([
    ['throttled until the deadline', serviceError('Throttling', 'Rate exceeded', 400)],
    ['denied by a policy', serviceError('AccessDenied', 'not authorized to perform cloudformation:DescribeStacks', 403)],
    ['unreachable', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
  ])('a stack that cannot be read (%s) keeps the number, marked STACK_STATUS_UNREADABLE', async (_, failure) => {
    // GIVEN CloudFormation fails every read
    const decision = await decideRelease(ARN, facts('DELETE_IN_PROGRESS', { failure }));
    // THEN the number is kept
    expect(decision).toEqual({ action: 'KEEP', row: 6, reason: 'STACK_STATUS_UNREADABLE' });
  });
});

describe('the release rule for a nested stack', () => {
  test.each([
    ['its parent is deleted', ['DELETE_IN_PROGRESS']],
    ["its parent's successful update removed it", ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']],
    ['its parent and the root are deleted', ['DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS']],
    ["the root's successful update removed its parent", ['DELETE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']],
  ])('a nested stack being deleted lets the number go when %s', async (_, parents) => {
    // GIVEN the nested stack reports DELETE_IN_PROGRESS
    const decision = await decideRelease(ARN, facts('DELETE_IN_PROGRESS', { parents }));
    // THEN the number is released
    expect(decision).toEqual({ action: 'RELEASE', row: 1, resourceGone: true });
  });

  test.each([
    ["its parent's failed update had added it", ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'], 'parent:UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'],
    ["its parent's first create failed", ['ROLLBACK_IN_PROGRESS'], 'parent:ROLLBACK_IN_PROGRESS'],
    ['its parent is deleted by a root rolling back', ['DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'], 'parent:ROLLBACK_IN_PROGRESS'],
    ["its parent's cleanup runs while the root rolls back", ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'], 'parent:UPDATE_ROLLBACK_IN_PROGRESS'],
  ])('a nested stack being deleted keeps the number when %s', async (_, parents, reason) => {
    // GIVEN the nested stack reports DELETE_IN_PROGRESS, whatever its parents do
    const decision = await decideRelease(ARN, facts('DELETE_IN_PROGRESS', { parents }));
    // THEN the number is kept, marked with the parent's status
    expect(decision).toEqual({ action: 'KEEP', row: 3, reason });
  });

  test("a nested stack's own cleanup releases only when its parents are in a successful cleanup too", async () => {
    // GIVEN the nested stack's update removed the resource, and its parent is in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS
    const released = await decideRelease(ARN, facts('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', { parents: ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'], declared: false }));
    // AND the same with the parent still updating
    const kept = await decideRelease(ARN, facts('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', { parents: ['UPDATE_IN_PROGRESS'], declared: false }));
    // THEN the first releases and the second keeps
    expect(released.action).toBe('RELEASE');
    expect(kept).toEqual({ action: 'KEEP', row: 3, reason: 'parent:UPDATE_IN_PROGRESS' });
  });
});
