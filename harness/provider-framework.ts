/**
 * CloudFormation's side of one custom-resource request to an aws-cdk-lib custom-resources Provider: it
 * invokes the framework's onEvent function from the synthesized asset (framework.js, cfn-response.js,
 * outbound.js: the real code, unchanged) with the request, as CloudFormation invokes a ServiceToken
 * function, and resolves with the answer the framework PUT to the request's ResponseURL. Everything after
 * that invocation is the framework's own doing, against local stand-ins (framework-services.ts): it invokes
 * the user functions through the Lambda API, starts the waiter state machine, whose isComplete and onTimeout
 * tasks invoke the framework's other functions, and answers CloudFormation through cfn-response.js.
 *
 * When the framework's onEvent fails without answering, real CloudFormation would wait for the resource's
 * ServiceTimeout (Lambda retrying the asynchronous event twice first); handle() rejects at once instead,
 * with the framework's error and output, since that only happens when the harness itself is broken.
 */
import { ProviderSpec } from './cloud-assembly';
import { frameworkServicesFor } from './framework-services';
import { InvokeOptions, LambdaRunner } from './lambda-runner';
import { CfnResponseBody, ReceivedResponse, responseKey } from './response-url-stand-in';

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

/** The answer CloudFormation receives: the JSON body of the framework's PUT to the ResponseURL. */
export type CfnResponse = CfnResponseBody;

export interface HandleOptions {
  /** Kill the user onEvent invocation when this turns true (the handler dies mid-flight). */
  readonly killOnEventWhen?: InvokeOptions['killWhen'];
  /** Waiter interval in seconds instead of the template's (to keep tests of the waiter path short). */
  readonly waiterIntervalSeconds?: number;
}

/** What CloudFormation makes of a response body longer than it accepts. */
const TOO_LONG_REASON = 'Response object is too long.';

export class ProviderFramework {
  constructor(
    private readonly spec: ProviderSpec,
    private readonly runner: LambdaRunner,
  ) {}

  async handle(request: CfnRequest, options: HandleOptions = {}): Promise<CfnResponse> {
    const services = await frameworkServicesFor(this.runner);
    const provider = services.deploy(this.spec, request.ServiceToken);
    const delivery = services.openDelivery(request, provider.arnOf(this.spec.onEvent.logicalId), options);
    const answer = services.responses.waitFor(responseKey(request));
    try {
      // CloudFormation invokes the ServiceToken function asynchronously and then waits for the PUT.
      const onEvent = this.runner.invoke(provider.frameworkOnEvent, request);
      // The next request to this provider will start the same way: have its process ready.
      this.runner.prepare(provider.frameworkOnEvent);
      const first = await Promise.race([answer.received, onEvent]);
      if (isReceived(first)) return asCloudFormationReads(first);
      const outcome = first;
      if (outcome.status !== 'ok') {
        throw new Error(
          `The Provider framework's onEvent failed without answering CloudFormation (${outcome.errorType}: ${outcome.errorMessage}). ` +
            `Its output:\n${outcome.logLines.join('\n')}`,
        );
      }
      const execution = delivery.executions[delivery.executions.length - 1];
      if (!execution) {
        throw new Error(`The Provider framework's onEvent ended without answering CloudFormation or starting the waiter. Its output:\n${outcome.logLines.join('\n')}`);
      }
      const ended = execution.done.then(() => execution);
      const last = await Promise.race([answer.received, ended]);
      if (isReceived(last)) return asCloudFormationReads(last);
      throw new Error(`The waiter execution ended ${last.status} (${last.error ?? 'no error'}) without answering CloudFormation.`);
    } finally {
      answer.cancel();
      delivery.close();
    }
  }
}

function isReceived(value: unknown): value is ReceivedResponse {
  return typeof value === 'object' && value !== null && 'body' in value && 'url' in value;
}

/** The answer as CloudFormation takes it: the body, unless it is too long (then the resource fails). */
function asCloudFormationReads(received: ReceivedResponse): CfnResponse {
  if (!received.response) {
    throw new Error(`The Provider framework answered CloudFormation with a body that is not JSON (${received.bytes} bytes).`);
  }
  if (!received.withinLimit) {
    return { ...received.response, Status: 'FAILED', Reason: TOO_LONG_REASON };
  }
  return received.response;
}
