/**
 * What the aws-cdk-lib custom-resources Provider framework does with one CloudFormation request
 * (custom-resources/lib/provider-framework/runtime/framework.js), played with the real user functions:
 * - a Delete of the CREATE_FAILED marker is answered SUCCESS without calling the handler;
 * - onEvent runs; if it fails, the answer is FAILED, with the CREATE_FAILED marker as physical id for a
 *   Create (so that the rollback Delete never reaches the handler);
 * - with an isComplete handler, the waiter calls it at once and then every interval (times the backoff
 *   rate) until it says complete, fails (FAILED, with onEvent's physical id), or the attempts run out
 *   ("Operation timed out"). A crashed isComplete invocation is retried like "not complete", as the
 *   state machine's Retry on States.ALL does.
 */
import { ProviderSpec } from './cloud-assembly';
import { InvokeOptions, LambdaRunner } from './lambda-runner';

export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

export interface CfnRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly ResponseURL: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly StackId: string;
  readonly ServiceToken: string;
  readonly ResourceProperties: { [key: string]: unknown };
  readonly OldResourceProperties?: { [key: string]: unknown };
  readonly PhysicalResourceId?: string;
}

/** The answer CloudFormation receives. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: { [key: string]: string };
}

export interface HandleOptions {
  /** Kill the onEvent invocation when this turns true (the handler dies mid-flight). */
  readonly killOnEventWhen?: InvokeOptions['killWhen'];
  /** Waiter interval in seconds instead of the template's (to keep tests of the waiter path short). */
  readonly waiterIntervalSeconds?: number;
}

type OnEventAnswer = { PhysicalResourceId?: string; Data?: { [key: string]: string }; [key: string]: unknown };

export class ProviderFramework {
  constructor(
    private readonly spec: ProviderSpec,
    private readonly runner: LambdaRunner,
  ) {}

  async handle(request: CfnRequest, options: HandleOptions = {}): Promise<CfnResponse> {
    if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_MARKER) {
      return { Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER };
    }
    const failedId = request.PhysicalResourceId ?? (request.RequestType === 'Create' ? CREATE_FAILED_MARKER : '');
    const onEvent = await this.runner.invoke<OnEventAnswer>(this.spec.onEvent, request, { killWhen: options.killOnEventWhen });
    if (onEvent.status !== 'ok') {
      return { Status: 'FAILED', Reason: onEvent.errorMessage, PhysicalResourceId: failedId };
    }
    const answer = onEvent.result ?? {};
    const physicalId = answer.PhysicalResourceId ?? (request.RequestType === 'Create' ? request.RequestId : request.PhysicalResourceId!);
    if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
      return { Status: 'FAILED', Reason: 'DELETE: cannot change the physical resource ID', PhysicalResourceId: request.PhysicalResourceId! };
    }
    const resourceEvent = { ...request, ...answer, PhysicalResourceId: physicalId };
    if (!this.spec.isComplete || !this.spec.waiter) {
      return { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: answer.Data };
    }
    return this.wait(resourceEvent, options);
  }

  private async wait(resourceEvent: CfnRequest & OnEventAnswer & { PhysicalResourceId: string }, options: HandleOptions): Promise<CfnResponse> {
    const waiter = this.spec.waiter!;
    let intervalMs = (options.waiterIntervalSeconds ?? waiter.intervalSeconds) * 1000;
    // The first call, then MaxAttempts retries.
    for (let attempt = 0; attempt <= waiter.maxAttempts; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
        intervalMs *= waiter.backoffRate;
      }
      const outcome = await this.runner.invoke<{ IsComplete: boolean; Data?: { [key: string]: string } }>(this.spec.isComplete!, resourceEvent);
      if (outcome.status === 'error') {
        return { Status: 'FAILED', Reason: outcome.errorMessage, PhysicalResourceId: resourceEvent.PhysicalResourceId };
      }
      if (outcome.status === 'ok' && outcome.result?.IsComplete) {
        return {
          Status: 'SUCCESS',
          PhysicalResourceId: resourceEvent.PhysicalResourceId,
          Data: { ...resourceEvent.Data, ...outcome.result.Data },
        };
      }
    }
    return { Status: 'FAILED', Reason: 'Operation timed out', PhysicalResourceId: resourceEvent.PhysicalResourceId };
  }
}
