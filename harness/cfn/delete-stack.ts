/** Deleting the stack (DELETE_IN_PROGRESS), and the Deletes of resource records other phases share. */
import { retains, sendDelete } from './resource-ops';
import { runInOrder } from './run-in-order';
import type { DeleteStackOptions, OperationFailure, StackModel } from './stack-model';
import { ResourceRecord } from './types';

export async function deleteStack(model: StackModel, options: DeleteStackOptions): Promise<{ rollbackFailure?: OperationFailure }> {
  const status = model.status;
  if (status === undefined || status === 'DELETE_COMPLETE') throw new Error(`Stack with id ${model.stackName} does not exist`);
  if (status.endsWith('_IN_PROGRESS')) throw new Error(`Stack:${model.stackId} is in ${status} state and can not be deleted now.`);
  const retain = new Set(options.retainResources ?? []);
  if (retain.size > 0 && status !== 'DELETE_FAILED') {
    throw new Error(`Stack:${model.stackId} is in ${status} state; RetainResources can only be given for a stack in DELETE_FAILED state.`);
  }
  // New resources an unfinished update rollback had still to delete (their logical ids point elsewhere).
  const pending = model.current.pendingRollback;
  model.current.pendingRollback = undefined;
  model.setStatus('DELETE_IN_PROGRESS');
  let failure: OperationFailure | undefined;
  const leftOver = [];
  for (const orphan of pending?.deletes.filter((d) => !d.createdByUpdate) ?? []) {
    const orphanFailure = await sendDelete(model, orphan, 1, options.handleOptions);
    if (orphanFailure) leftOver.push(orphan);
    failure ??= orphanFailure;
  }
  if (leftOver.length > 0) model.current.pendingRollback = { steps: [], deletes: leftOver };
  const recordFailure = await deleteRecords(model, model.resources().reverse(), { rollingBackItsCreation: false, retain, ...options });
  failure ??= recordFailure;
  model.setStatus(failure ? 'DELETE_FAILED' : 'DELETE_COMPLETE');
  return { rollbackFailure: failure };
}

/**
 * Deletes resource records in the given order: a retained one (DeletionPolicy, or `retain`) and one that
 * never got a physical id leave the stack without a request; a deleted one leaves it; a failed one stays,
 * DELETE_FAILED. Returns the first failure.
 */
export async function deleteRecords(
  model: StackModel,
  records: readonly ResourceRecord[],
  options: { rollingBackItsCreation: boolean; retain?: ReadonlySet<string> } & Pick<DeleteStackOptions, 'concurrency' | 'handleOptions'>,
): Promise<OperationFailure | undefined> {
  let firstFailure: OperationFailure | undefined;
  await runInOrder(records, options.concurrency ?? 1, async (record) => {
    const physicalId = record.physicalId;
    if (physicalId === undefined || retains(record.policies.deletionPolicy, options.rollingBackItsCreation) || options.retain?.has(record.logicalId)) {
      model.removeRecord(record.logicalId);
      return;
    }
    model.updateRecord(record, { status: 'DELETE_IN_PROGRESS' });
    const failure = await sendDelete(model, { logicalId: record.logicalId, physicalId, properties: record.properties }, 1, options.handleOptions);
    if (failure) {
      model.updateRecord(record, { status: 'DELETE_FAILED' });
      firstFailure ??= failure;
    } else {
      model.removeRecord(record.logicalId);
    }
  });
  return firstFailure;
}
