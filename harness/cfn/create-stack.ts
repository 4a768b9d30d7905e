/** The first deploy of a stack: CREATE_IN_PROGRESS, and on a failure the rollback that deletes what was created. */
import { deleteRecords } from './delete-stack';
import { failureOf, runForward, sendWith } from './resource-ops';
import type { DeployOptions, OperationFailure, StackModel } from './stack-model';
import { TemplateEntries, TemplateEntry } from './types';

export async function createStack(
  model: StackModel,
  template: TemplateEntries,
  options: DeployOptions,
): Promise<{ failure?: OperationFailure; rollbackFailure?: OperationFailure }> {
  model.current.template = new Map(template);
  model.setStatus('CREATE_IN_PROGRESS');
  const failure = await runForward([...template.entries()], options, ([logicalId, entry]) => createResource(model, logicalId, entry, options));
  if (!failure) {
    model.setStatus('CREATE_COMPLETE');
    return {};
  }
  model.setStatus('ROLLBACK_IN_PROGRESS');
  // Everything in the stack was created by this operation: newest first, each with the id its answer carried.
  const rollbackFailure = await deleteRecords(model, model.resources().reverse(), { rollingBackItsCreation: true, ...options });
  model.setStatus(rollbackFailure ? 'ROLLBACK_FAILED' : 'ROLLBACK_COMPLETE');
  return { failure, rollbackFailure };
}

/**
 * Sends the Create of one resource. The record exists from the start (CREATE_IN_PROGRESS, no physical id
 * yet); a failed Create keeps the physical id its answer carried (or one CloudFormation invents) for the
 * rollback's Delete.
 */
export async function createResource(
  model: StackModel,
  logicalId: string,
  entry: TemplateEntry,
  options: Pick<DeployOptions, 'handleOptions'>,
): Promise<OperationFailure | undefined> {
  const record = model.putRecord({ logicalId, properties: entry.properties, data: {}, status: 'CREATE_IN_PROGRESS', policies: entry.policies });
  const response = await sendWith(model, model.request('Create', logicalId, entry.properties), options.handleOptions);
  if (response.Status === 'SUCCESS') {
    model.updateRecord(record, { physicalId: response.PhysicalResourceId, data: { ...(response.Data ?? {}) }, status: 'CREATE_COMPLETE' });
    return undefined;
  }
  model.updateRecord(record, { physicalId: response.PhysicalResourceId || model.inventPhysicalId(logicalId), status: 'CREATE_FAILED' });
  return failureOf(logicalId, response);
}
