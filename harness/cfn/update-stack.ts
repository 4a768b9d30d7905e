/**
 * A stack update: UPDATE_IN_PROGRESS, then the cleanup of a success, or the rollback of a failure with its
 * own cleanup, and ContinueUpdateRollback for a rollback that failed. See stack-model.ts for the phases.
 */
import { createResource } from './create-stack';
import { copyProperties, sameProperties } from './properties';
import { failureOf, retains, runForward, sendDelete, sendWith } from './resource-ops';
import { runInOrder } from './run-in-order';
import type {
  ContinueUpdateRollbackOptions,
  DeployOptions,
  OperationFailure,
  PendingRollback,
  RollbackStep,
  StackModel,
} from './stack-model';
import { Properties, ResourceRecord, TemplateEntries, TemplateEntry } from './types';

type Before = RollbackStep['before'];

/** What the forward phase did to one logical id, in the order the operations completed. */
type Change =
  | { readonly kind: 'created'; readonly logicalId: string }
  | { readonly kind: 'updated' | 'replaced'; readonly logicalId: string; readonly before: Before; readonly newProperties: Properties };

interface Outcome {
  failure?: OperationFailure;
  rollbackFailure?: OperationFailure;
  cleanupFailures?: OperationFailure[];
}

export async function updateStack(model: StackModel, template: TemplateEntries, options: DeployOptions): Promise<Outcome> {
  const generation = model.current;
  const previous = generation.template;
  generation.previousTemplate = previous;
  generation.template = new Map(template);
  model.setStatus('UPDATE_IN_PROGRESS');
  const operations = [...template.entries()].filter(([logicalId, entry]) => {
    const record = generation.records.get(logicalId);
    return !record || !sameProperties(previous.get(logicalId)?.properties ?? record.properties, entry.properties);
  });
  const changes: Change[] = [];
  const failure = await runForward(operations, options, async ([logicalId, entry]) => {
    const record = generation.records.get(logicalId);
    if (!record) {
      const createFailure = await createResource(model, logicalId, entry, options);
      changes.push({ kind: 'created', logicalId });
      return createFailure;
    }
    return updateResource(model, record, entry, changes, options);
  });
  if (!failure) return { cleanupFailures: await cleanUpAfterSuccess(model, template, changes, options) };

  const pending: PendingRollback = { steps: [], deletes: [] };
  const restores: RollbackStep[] = [];
  for (const change of [...changes].reverse()) {
    if (change.kind === 'created') {
      const physicalId = generation.records.get(change.logicalId)?.physicalId;
      if (physicalId !== undefined) {
        const properties = generation.records.get(change.logicalId)!.properties;
        pending.deletes.push({ logicalId: change.logicalId, physicalId, properties, createdByUpdate: true });
      }
    } else if (change.kind === 'replaced') {
      const physicalId = generation.records.get(change.logicalId)!.physicalId!;
      restores.push({ logicalId: change.logicalId, kind: 'restore', before: change.before, newProperties: change.newProperties });
      pending.deletes.push({ logicalId: change.logicalId, physicalId, properties: change.newProperties, createdByUpdate: false });
    } else {
      pending.steps.push({ logicalId: change.logicalId, kind: 'reverse-update', before: change.before, newProperties: change.newProperties });
    }
  }
  // Pointing a replaced logical id back at its old physical id sends nothing and cannot fail: it comes first.
  pending.steps = [...restores, ...pending.steps];
  generation.pendingRollback = pending;
  model.setStatus('UPDATE_ROLLBACK_IN_PROGRESS');
  return { failure, ...(await rollUpdateBack(model, options)) };
}

export async function continueUpdateRollback(model: StackModel, options: ContinueUpdateRollbackOptions): Promise<Outcome> {
  const generation = model.current;
  if (model.status !== 'UPDATE_ROLLBACK_FAILED' || !generation.pendingRollback) {
    throw new Error(`Stack:${model.stackId} is in ${model.status} state and can not continue an update rollback.`);
  }
  const pending = generation.pendingRollback;
  const skipped = (options.resourcesToSkip ?? []).map((logicalId) => {
    const step = pending.steps.find((s) => s.logicalId === logicalId && s.kind === 'reverse-update');
    const record = generation.records.get(logicalId);
    if (!step || record?.status !== 'UPDATE_FAILED') {
      throw new Error(`Resource ${logicalId} cannot be skipped: only resources whose rollback failed (UPDATE_FAILED) can.`);
    }
    return { step, record };
  });
  model.setStatus('UPDATE_ROLLBACK_IN_PROGRESS');
  for (const { step, record } of skipped) {
    // CloudFormation marks it UPDATE_COMPLETE as the previous template describes it, without sending anything.
    model.updateRecord(record, { status: 'UPDATE_COMPLETE', properties: step.before.properties, policies: step.before.policies });
  }
  pending.steps = pending.steps.filter((step) => !skipped.some((s) => s.step === step));
  return rollUpdateBack(model, options);
}

async function updateResource(
  model: StackModel,
  record: ResourceRecord,
  entry: TemplateEntry,
  changes: Change[],
  options: DeployOptions,
): Promise<OperationFailure | undefined> {
  const before = snapshot(record);
  model.updateRecord(record, { status: 'UPDATE_IN_PROGRESS' });
  const request = model.updateRequest(record.logicalId, entry.properties, before.properties, before.physicalId);
  const response = await sendWith(model, request, options.handleOptions);
  const newProperties = copyProperties(entry.properties);
  if (response.Status === 'SUCCESS') {
    const replaced = response.PhysicalResourceId !== before.physicalId;
    model.updateRecord(record, {
      physicalId: response.PhysicalResourceId,
      properties: entry.properties,
      data: { ...(response.Data ?? {}) },
      policies: entry.policies,
      status: 'UPDATE_COMPLETE',
    });
    changes.push({ kind: replaced ? 'replaced' : 'updated', logicalId: record.logicalId, before, newProperties });
    return undefined;
  }
  // Variant (a): which physical id CloudFormation keeps when a FAILED answer carries another one.
  const answered = response.PhysicalResourceId;
  const recordNew = model.variants.failedUpdatePhysicalId === 'record-new' && !!answered && answered !== before.physicalId;
  model.updateRecord(record, { status: 'UPDATE_FAILED', ...(recordNew ? { physicalId: answered } : {}) });
  // The failed resource gets the reverse Update too (aws-cdk issue 17040).
  changes.push({ kind: 'updated', logicalId: record.logicalId, before, newProperties });
  return failureOf(record.logicalId, response);
}

/** UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: replaced old physical ids, then removed logical ids; UPDATE_COMPLETE. */
async function cleanUpAfterSuccess(model: StackModel, template: TemplateEntries, changes: Change[], options: DeployOptions): Promise<OperationFailure[]> {
  const generation = model.current;
  for (const record of model.resources()) {
    const entry = template.get(record.logicalId);
    if (entry) record.policies = entry.policies;
  }
  model.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const failures: OperationFailure[] = [];
  const attempts = model.variants.cleanupDeleteAttempts;
  const replaced = changes.filter(
    (change): change is Exclude<Change, { kind: 'created' }> =>
      change.kind === 'replaced' && !retains(template.get(change.logicalId)?.policies.updateReplacePolicy, false),
  );
  await runInOrder(replaced, options.concurrency ?? 1, async (change) => {
    const old = { logicalId: change.logicalId, physicalId: change.before.physicalId, properties: change.before.properties };
    const failure = await sendDelete(model, old, attempts, options.handleOptions);
    if (failure) failures.push(failure);
  });
  const removed = model.resources().filter((record) => !template.has(record.logicalId)).reverse();
  await runInOrder(removed, options.concurrency ?? 1, async (record) => {
    const physicalId = record.physicalId;
    if (physicalId !== undefined && !retains(record.policies.deletionPolicy, false)) {
      model.updateRecord(record, { status: 'DELETE_IN_PROGRESS' });
      const failure = await sendDelete(model, { logicalId: record.logicalId, physicalId, properties: record.properties }, attempts, options.handleOptions);
      if (failure) failures.push(failure);
    }
    // Deleted, retained, or given up on after the attempts: it leaves the stack either way.
    model.removeRecord(record.logicalId);
  });
  generation.previousTemplate = undefined;
  model.setStatus('UPDATE_COMPLETE');
  return failures;
}

/**
 * UPDATE_ROLLBACK_IN_PROGRESS from the pending steps: restores and reverse Updates until one fails
 * (UPDATE_ROLLBACK_FAILED, the rest kept for continueUpdateRollback); then the cleanup of new resources.
 */
async function rollUpdateBack(model: StackModel, options: Pick<DeployOptions, 'concurrency' | 'handleOptions'>): Promise<Outcome> {
  const generation = model.current;
  const pending = generation.pendingRollback!;
  const done = new Set<RollbackStep>();
  let failure: OperationFailure | undefined;
  await runInOrder(
    pending.steps,
    options.concurrency ?? 1,
    async (step) => {
      const record = generation.records.get(step.logicalId)!;
      if (step.kind === 'restore') {
        model.updateRecord(record, { ...restorable(step.before), status: 'UPDATE_COMPLETE' });
        done.add(step);
        return;
      }
      model.updateRecord(record, { status: 'UPDATE_IN_PROGRESS' });
      const request = model.updateRequest(step.logicalId, step.before.properties, step.newProperties, record.physicalId!);
      const response = await sendWith(model, request, options.handleOptions);
      if (response.Status === 'SUCCESS') {
        model.updateRecord(record, {
          physicalId: response.PhysicalResourceId,
          properties: step.before.properties,
          data: { ...(response.Data ?? {}) },
          policies: step.before.policies,
          status: 'UPDATE_COMPLETE',
        });
        done.add(step);
      } else {
        model.updateRecord(record, { status: 'UPDATE_FAILED' });
        failure ??= failureOf(step.logicalId, response);
      }
    },
    () => failure !== undefined,
  );
  pending.steps = pending.steps.filter((step) => !done.has(step));
  if (failure) {
    model.setStatus('UPDATE_ROLLBACK_FAILED');
    return { rollbackFailure: failure };
  }

  model.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const cleanupFailures: OperationFailure[] = [];
  await runInOrder(pending.deletes, options.concurrency ?? 1, async (target) => {
    const record = target.createdByUpdate ? generation.records.get(target.logicalId) : undefined;
    if (target.createdByUpdate) {
      if (!record || retains(record.policies.deletionPolicy, true)) {
        model.removeRecord(target.logicalId);
        return;
      }
      model.updateRecord(record, { status: 'DELETE_IN_PROGRESS' });
    }
    const cleanupFailure = await sendDelete(model, target, model.variants.cleanupDeleteAttempts, options.handleOptions);
    if (cleanupFailure) cleanupFailures.push(cleanupFailure);
    if (target.createdByUpdate) model.removeRecord(target.logicalId);
  });
  generation.template = generation.previousTemplate ?? generation.template;
  generation.previousTemplate = undefined;
  generation.pendingRollback = undefined;
  model.setStatus('UPDATE_ROLLBACK_COMPLETE');
  return { cleanupFailures };
}

function snapshot(record: ResourceRecord): Before {
  if (record.physicalId === undefined) throw new Error(`${record.logicalId} has no physical id to update`);
  return { ...record, physicalId: record.physicalId, properties: copyProperties(record.properties), data: { ...record.data } };
}

function restorable(before: Before): Pick<ResourceRecord, 'physicalId' | 'properties' | 'data' | 'policies'> {
  return { physicalId: before.physicalId, properties: before.properties, data: { ...before.data }, policies: before.policies };
}
