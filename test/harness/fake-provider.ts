/**
 * A scripted stand-in for the Provider framework, for unit tests of the stack model: answers SUCCESS by
 * default (a Create gets `<LogicalId>-<n>` as physical id and that id as attribute), answers scripted
 * requests as told, and behaves like the framework where it matters to CloudFormation: a FAILED Create
 * carries the CREATE_FAILED marker, a FAILED Update the current physical id, and the Delete of the marker
 * is answered SUCCESS. It notes what a handler would see when each request arrives.
 */
import { CfnRequest, CfnResponse, CREATE_FAILED_MARKER } from '../../harness/provider-framework';
import { ResourceProvider, StackModel, StackStatus, TemplateDocument } from '../../harness/cfn';

export type Answer = Partial<CfnResponse>;

interface Rule {
  readonly type: CfnRequest['RequestType'];
  readonly logicalId: string;
  readonly answer: (request: CfnRequest) => Answer;
  remaining: number;
}

export interface Arrival {
  readonly request: CfnRequest;
  /** The stack status a handler calling DescribeStacks would read. */
  readonly status?: StackStatus;
  /** What GetTemplate would return. */
  readonly template?: TemplateDocument;
}

export class FakeProvider implements ResourceProvider {
  model?: StackModel;
  readonly arrivals: Arrival[] = [];
  /** Delay before each answer, to let concurrent requests overlap. */
  delayMs = 0;
  private readonly rules: Rule[] = [];
  private created = 0;
  private inFlight = 0;
  /** The most requests in flight at once. */
  maxInFlight = 0;

  /** Answers the next `times` requests of this type for this logical id with `answer`. */
  when(type: CfnRequest['RequestType'], logicalId: string, answer: Answer | ((request: CfnRequest) => Answer), times = 1): this {
    this.rules.push({ type, logicalId, answer: typeof answer === 'function' ? answer : () => answer, remaining: times });
    return this;
  }

  /** Fails the next `times` requests of this type for this logical id, as the framework answers a failed handler. */
  fail(type: CfnRequest['RequestType'], logicalId: string, reason = 'handler failed', times = 1): this {
    return this.when(type, logicalId, { Status: 'FAILED', Reason: reason }, times);
  }

  async handle(request: CfnRequest): Promise<CfnResponse> {
    this.arrivals.push({ request, status: this.model?.status, template: this.model?.template() });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return this.answer(request);
    } finally {
      this.inFlight -= 1;
    }
  }

  private answer(request: CfnRequest): CfnResponse {
    if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_MARKER) {
      return { Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_MARKER };
    }
    const rule = this.rules.find((r) => r.remaining > 0 && r.type === request.RequestType && r.logicalId === request.LogicalResourceId);
    const scripted: Answer = rule ? (rule.remaining--, rule.answer(request)) : {};
    const status = scripted.Status ?? 'SUCCESS';
    const defaultId =
      request.RequestType === 'Create'
        ? status === 'FAILED'
          ? CREATE_FAILED_MARKER
          : `${request.LogicalResourceId}-${++this.created}`
        : request.PhysicalResourceId!;
    const physicalId = scripted.PhysicalResourceId ?? defaultId;
    const data = status === 'SUCCESS' && request.RequestType !== 'Delete' ? { Id: physicalId } : undefined;
    return { Status: status, PhysicalResourceId: physicalId, ...(data ? { Data: data } : {}), ...scripted };
  }
}
