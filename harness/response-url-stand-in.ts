/**
 * Stands in for the pre-signed S3 URL CloudFormation gives a custom resource (the request's ResponseURL):
 * the Provider framework's cfn-response.js PUTs its JSON answer there over HTTPS, to port 443 of the URL's
 * host. Source: aws-cdk-lib custom-resources/lib/provider-framework/runtime/cfn-response.js (submitResponse)
 * and the CloudFormation User Guide, "Custom resource response objects" (the fields, and the 4096-byte
 * limit of a response: a longer one fails the resource with "Response object is too long.").
 *
 * The URL is used exactly as CloudFormation made it, secret query string included: the framework process
 * gets an HTTPS proxy (Node.js's NODE_USE_ENV_PROXY with HTTPS_PROXY, which the framework's plain
 * https.request then goes through) that tunnels CONNECTs to `*.amazonaws.com:443` to a local TLS server
 * and refuses any other host, so nothing leaves the machine. The TLS certificate is made at start-up with
 * the openssl CLI and trusted through NODE_EXTRA_CA_CERTS. Every body is recorded exactly as received.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

/** CloudFormation rejects a longer response body. */
export const CLOUDFORMATION_RESPONSE_LIMIT_BYTES = 4096;

/** The answer a custom resource gives CloudFormation (the JSON body of the PUT). */
export interface CfnResponseBody {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly NoEcho?: boolean;
  readonly Data?: { [key: string]: string };
}

/** One PUT received. `url` is the full pre-signed URL: it is secret, never log it. */
export interface ReceivedResponse {
  readonly url: string;
  readonly method: string;
  /** The body exactly as received. */
  readonly body: string;
  readonly bytes: number;
  /** True when CloudFormation would accept the body's size (at most 4096 bytes). */
  readonly withinLimit: boolean;
  /** The parsed body; undefined when it is not JSON. */
  readonly response?: CfnResponseBody;
  readonly receivedAt: number;
}

/** Who a response is for: CloudFormation matches it by stack, logical id and request id. */
export function responseKey(fields: { StackId?: unknown; LogicalResourceId?: unknown; RequestId?: unknown }): string {
  return `${String(fields.StackId)}|${String(fields.LogicalResourceId)}|${String(fields.RequestId)}`;
}

const execFileAsync = promisify(execFile);

export class ResponseUrlStandIn {
  static async start(): Promise<ResponseUrlStandIn> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimed-phone-number-response-url-'));
    const keyFile = path.join(directory, 'key.pem');
    const certificateFile = path.join(directory, 'certificate.pem');
    try {
      await execFileAsync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-subj', '/CN=CloudFormation response URL stand-in',
        '-addext', 'subjectAltName=DNS:*.s3.amazonaws.com,DNS:*.amazonaws.com,DNS:localhost,IP:127.0.0.1',
        '-keyout', keyFile, '-out', certificateFile,
      ]);
    } catch (error) {
      fs.rmSync(directory, { recursive: true, force: true });
      throw new Error(`The response URL stand-in needs the openssl CLI to make its TLS certificate: ${(error as Error).message}`);
    }
    const standIn = new ResponseUrlStandIn(directory, certificateFile, fs.readFileSync(keyFile), fs.readFileSync(certificateFile));
    await standIn.listen();
    return standIn;
  }

  /** Every PUT (or other request) received, in order. */
  readonly received: ReceivedResponse[] = [];
  /** CONNECTs the proxy refused (hosts that are not a CloudFormation response URL's). */
  readonly refusedHosts: string[] = [];
  private readonly waiters = new Map<string, ((received: ReceivedResponse) => void)[]>();
  private readonly tls: https.Server;
  private readonly proxy: http.Server;
  private readonly tunnels = new Set<net.Socket>();

  private constructor(
    private readonly directory: string,
    /** PEM file of the certificate the framework process must trust (NODE_EXTRA_CA_CERTS). */
    readonly certificateFile: string,
    key: Buffer,
    certificate: Buffer,
  ) {
    this.tls = https.createServer({ key, cert: certificate }, (request, response) => this.receive(request, response));
    this.proxy = http.createServer((_request, response) => {
      response.writeHead(405);
      response.end('Only CONNECT tunnels to a CloudFormation response URL host');
    });
    this.proxy.on('connect', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(request, socket, head));
  }

  /** The proxy URL for HTTPS_PROXY. */
  get proxyUrl(): string {
    return `http://127.0.0.1:${(this.proxy.address() as net.AddressInfo).port}`;
  }

  /** Environment a process needs to reach this stand-in at the ResponseURL's own host. */
  processEnvironment(): { [name: string]: string } {
    return {
      NODE_USE_ENV_PROXY: '1',
      HTTPS_PROXY: this.proxyUrl,
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: this.certificateFile,
    };
  }

  /**
   * Resolves with the next response for `key` (see responseKey). `cancel` stops waiting. A response that
   * nobody waits for is still recorded in `received`.
   */
  waitFor(key: string): { readonly received: Promise<ReceivedResponse>; cancel(): void } {
    let resolveWaiter!: (received: ReceivedResponse) => void;
    const received = new Promise<ReceivedResponse>((resolve) => (resolveWaiter = resolve));
    const list = this.waiters.get(key) ?? [];
    list.push(resolveWaiter);
    this.waiters.set(key, list);
    return {
      received,
      cancel: () => {
        const remaining = (this.waiters.get(key) ?? []).filter((waiter) => waiter !== resolveWaiter);
        if (remaining.length > 0) this.waiters.set(key, remaining);
        else this.waiters.delete(key);
      },
    };
  }

  /** Servers that are not referenced do not keep the process alive (a lazily started harness). */
  unref(): void {
    this.tls.unref();
    this.proxy.unref();
  }

  async close(): Promise<void> {
    for (const socket of this.tunnels) socket.destroy();
    this.tls.closeAllConnections();
    this.proxy.closeAllConnections();
    await Promise.all([closeServer(this.tls), closeServer(this.proxy)]);
    fs.rmSync(this.directory, { recursive: true, force: true });
  }

  private async listen(): Promise<void> {
    await Promise.all([listenOnLoopback(this.tls), listenOnLoopback(this.proxy)]);
  }

  private tunnel(request: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const target = request.url ?? '';
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
    if (port !== '443' || !/^[a-z0-9.-]+\.amazonaws\.com$/i.test(host)) {
      this.refusedHosts.push(target);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect((this.tls.address() as net.AddressInfo).port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    for (const end of [socket, upstream]) {
      this.tunnels.add(end);
      end.on('close', () => this.tunnels.delete(end));
      end.on('error', () => {
        socket.destroy();
        upstream.destroy();
      });
    }
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      let parsed: CfnResponseBody | undefined;
      try {
        parsed = JSON.parse(body) as CfnResponseBody;
      } catch {
        parsed = undefined;
      }
      const received: ReceivedResponse = {
        url: `https://${request.headers.host}${request.url}`,
        method: request.method ?? '',
        body,
        bytes: raw.length,
        withinLimit: raw.length <= CLOUDFORMATION_RESPONSE_LIMIT_BYTES,
        response: parsed,
        receivedAt: Date.now(),
      };
      this.received.push(received);
      // Resolve before answering: the framework's PUT returns only after the waiter has its response.
      if (request.method === 'PUT' && parsed) {
        const key = responseKey(parsed);
        const waiter = this.waiters.get(key)?.shift();
        if (this.waiters.get(key)?.length === 0) this.waiters.delete(key);
        waiter?.(received);
      }
      // S3 answers a PUT to a pre-signed URL with 200 and an empty body.
      response.writeHead(200, { 'Content-Length': '0' });
      response.end();
    });
  }
}

export function listenOnLoopback(server: net.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
