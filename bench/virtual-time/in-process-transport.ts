/**
 * An SDK request handler that hands each request straight to the emulator's engine, in the same process,
 * after a modelled network delay each way (virtual time: see virtual-clock.ts). Everything above the
 * socket (the ConnectClient, its serializers, SigV4 signing, error parsing) is the real SDK, and
 * everything below it is the real emulator engine (routing, validation, rate limit, state).
 */
import { ConnectEngine } from '../../emulator/engine';

/** The parts of the SDK's HttpRequest this transport reads. */
interface OutgoingRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: { [key: string]: string | (string | null)[] | null };
  readonly headers: { [name: string]: string };
  readonly body?: unknown;
}

export class InProcessTransport {
  private killed = false;

  constructor(
    private readonly engine: ConnectEngine,
    /** One-way network delay of a request or an answer, in ms. */
    private readonly networkDelayMs: () => number,
  ) {}

  /** The container was killed (Lambda timeout): it sends nothing more, and no answer reaches it. */
  kill(): void {
    this.killed = true;
  }

  async handle(request: OutgoingRequest): Promise<{ response: { statusCode: number; headers: { [name: string]: string }; body: Uint8Array } }> {
    await delay(this.networkDelayMs());
    if (this.killed) return never();
    const answer = this.engine.handle({ method: request.method, url: request.path + queryString(request.query), headers: request.headers, body: bodyText(request.body) });
    await delay(this.networkDelayMs());
    if (this.killed) return never();
    if (answer.drop) {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    return { response: { statusCode: answer.status, headers: answer.headers, body: new Uint8Array(Buffer.from(answer.body, 'utf8')) } };
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

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function queryString(query: OutgoingRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(item === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // Decoded from the bytes: the SDK's JSON body is a Uint8Array subclass that warns when used as a string.
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`InProcessTransport cannot send a ${typeof body} body`);
}
