/**
 * CloudFormation's read API in virtual time: an SDK request handler that hands each request to the harness's
 * CloudFormation stand-in (harness/cloudformation-api.ts, its `handle`, without its HTTP server) after a
 * modelled network delay each way, behind a read rate limit of the benchmark's own.
 *
 * The limit: CloudFormation does not publish its read limits. Modelled as one token bucket per account for every
 * read action (DescribeStacks, DescribeStackResource, GetTemplate, DescribeStackEvents), 2 requests/second,
 * burst 5: as strict as Connect's per-operation quota, and shared with whatever else reads the account's stacks
 * (here nothing else; `cdk deploy` itself polls DescribeStackEvents). A refused read takes no token and is
 * answered as CloudFormation answers: HTTP 400, code Throttling, "Rate exceeded".
 */
import { randomUUID } from 'crypto';
import { createServer } from 'http';
import { CloudFormationApi } from '../../harness/cloudformation-api';
import { errorXml, QueryError } from '../../harness/cfn/query-protocol';
import { RateLimiter } from '../../emulator/rate-limiter';
import { bodyText, delay, HandledResponse, OutgoingRequest, response, SocketlessTransport } from './socketless-transport';

export const CLOUDFORMATION_READ_LIMIT = { requestsPerSecond: 2, burst: 5 };

/** One read as it reached the limit: its action and whether it was refused. */
export interface CloudFormationRead {
  readonly action: string;
  readonly throttled: boolean;
  readonly at: number;
}

/** The stand-in without a listening server (its `handle` answers a request body), and the account's read bucket. */
export class VirtualCloudFormation {
  readonly api = new CloudFormationApi(createServer(), 0, {});
  readonly reads: CloudFormationRead[] = [];
  private readonly limiter = new RateLimiter({ ...CLOUDFORMATION_READ_LIMIT, scope: 'account' });

  transport(networkDelayMs: () => number): CloudFormationTransport {
    return new CloudFormationTransport(this, networkDelayMs);
  }

  answer(body: string, authorization: string | undefined): { status: number; body: string } {
    const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1] ?? '';
    if (!this.limiter.tryTake('account', Date.now())) {
      this.reads.push({ action, throttled: true, at: Date.now() });
      return { status: 400, body: errorXml(new QueryError('Throttling', 'Rate exceeded', 400), randomUUID()) };
    }
    this.reads.push({ action, throttled: false, at: Date.now() });
    return this.api.handle(body, authorization);
  }
}

export class CloudFormationTransport extends SocketlessTransport {
  constructor(
    private readonly cloudFormation: VirtualCloudFormation,
    private readonly networkDelayMs: () => number,
  ) {
    super();
  }

  async handle(request: OutgoingRequest): Promise<HandledResponse> {
    await delay(this.networkDelayMs());
    const answer = this.cloudFormation.answer(bodyText(request.body), request.headers.authorization ?? request.headers.Authorization);
    await delay(this.networkDelayMs());
    return response(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, answer.body);
  }
}
