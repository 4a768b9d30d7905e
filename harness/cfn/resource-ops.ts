/** Building blocks the stack operations share: policies, the forward run with its failure triggers, Deletes. */
import type { CfnRequest, CfnResponse, HandleOptions } from '../provider-framework';
import { runInOrder } from './run-in-order';
import type { DeployOptions, OperationFailure, StackModel } from './stack-model';
import { Properties } from './types';

type HandleOptionsFor = ((request: CfnRequest) => HandleOptions | undefined) | undefined;

/** Whether a DeletionPolicy keeps the resource; `rollingBackItsCreation`: the Delete undoes the operation that created it. */
export function retains(policy: string | undefined, rollingBackItsCreation: boolean): boolean {
  return policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !rollingBackItsCreation);
}

export function failureOf(logicalId: string, response: CfnResponse): OperationFailure {
  return { logicalId, reason: response.Reason ?? `${logicalId} answered FAILED without a reason` };
}

/** Sends a request built by the model, with the options the caller gives for it. */
export function sendWith(model: StackModel, request: CfnRequest, handleOptions: HandleOptionsFor): Promise<CfnResponse> {
  return model.send(request, handleOptions?.(request));
}

/**
 * The forward phase of a deploy: runs `run` for each item in order (`options.concurrency` at a time) until
 * one fails or the injected unrelated failure is due; returns the failure that stops the deploy, if any.
 */
export async function runForward<T>(
  items: readonly T[],
  options: DeployOptions,
  run: (item: T) => Promise<OperationFailure | undefined>,
): Promise<OperationFailure | undefined> {
  let completed = 0;
  let failure: OperationFailure | undefined;
  const unrelated = (): OperationFailure => ({
    logicalId: options.unrelatedLogicalId ?? 'UnrelatedResource',
    reason: `Injected failure of an unrelated resource after ${completed} of our operations`,
  });
  const unrelatedDue = () => options.failUnrelatedAfter !== undefined && completed >= options.failUnrelatedAfter;
  await runInOrder(
    items,
    options.concurrency ?? 1,
    async (item) => {
      const outcome = await run(item);
      completed += 1;
      failure ??= outcome;
    },
    () => {
      if (!failure && unrelatedDue()) failure = unrelated();
      return failure !== undefined;
    },
  );
  // Fewer operations of ours than `failUnrelatedAfter`: the unrelated resource fails after all of them.
  if (!failure && options.failUnrelatedAfter !== undefined) failure = unrelated();
  return failure;
}

/** Sends a Delete up to `attempts` times (each a new request) until one succeeds; the last failure otherwise. */
export async function sendDelete(
  model: StackModel,
  target: { logicalId: string; physicalId: string; properties: Properties },
  attempts: number,
  handleOptions: HandleOptionsFor,
): Promise<OperationFailure | undefined> {
  let failure: OperationFailure | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const request = model.request('Delete', target.logicalId, target.properties, { PhysicalResourceId: target.physicalId });
    const response = await sendWith(model, request, handleOptions);
    if (response.Status === 'SUCCESS') return undefined;
    failure = failureOf(target.logicalId, response);
  }
  return failure;
}
