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

export const CLOUDFORMATION_READ_LIMIT = { requestsPerSecond: 2, burst: 5 };

interface OutgoingRequest {
  readonly headers: { [name: string]: string };
  readonly body?: unknown;
}

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

export class CloudFormationTransport {
  constructor(
    private readonly cloudFormation: VirtualCloudFormation,
    private readonly networkDelayMs: () => number,
  ) {}

  async handle(request: OutgoingRequest): Promise<{ response: { statusCode: number; headers: { [name: string]: string }; body: Uint8Array } }> {
    await delay(this.networkDelayMs());
    const body = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : '';
    const answer = this.cloudFormation.answer(body, request.headers.authorization ?? request.headers.Authorization);
    await delay(this.networkDelayMs());
    return { response: { statusCode: answer.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body: new Uint8Array(Buffer.from(answer.body, 'utf8')) } };
  }

  updateHttpClientConfig(): void {
    // Nothing to configure: there is no socket.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // No sockets to close.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
