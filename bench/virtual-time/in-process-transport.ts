/**
 * An SDK request handler that hands each request straight to the emulator's engine, in the same process,
 * after a modelled network delay each way (virtual time: see virtual-clock.ts). Everything above the
 * socket (the ConnectClient, its serializers, SigV4 signing, error parsing) is the real SDK, and
 * everything below it is the real emulator engine (routing, validation, rate limit, state).
 */
import { ConnectEngine } from '../../emulator/engine';
import { bodyText, delay, HandledResponse, OutgoingRequest, response, SocketlessTransport } from './socketless-transport';

export class InProcessTransport extends SocketlessTransport {
  private killed = false;

  constructor(
    private readonly engine: ConnectEngine,
    /** One-way network delay of a request or an answer, in ms. */
    private readonly networkDelayMs: () => number,
  ) {
    super();
  }

  /** The container was killed (Lambda timeout): it sends nothing more, and no answer reaches it. */
  kill(): void {
    this.killed = true;
  }

  async handle(request: OutgoingRequest): Promise<HandledResponse> {
    await delay(this.networkDelayMs());
    if (this.killed) return never();
    const answer = this.engine.handle({ method: request.method, url: request.path + queryString(request.query), headers: request.headers, body: bodyText(request.body) });
    await delay(this.networkDelayMs());
    if (this.killed) return never();
    if (answer.drop) {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    return response(answer.status, answer.headers, answer.body);
  }
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
