/**
 * What the SDK asks of a request handler beyond `handle`, for handlers that answer in this process without a
 * socket (in-process-transport.ts for Connect, cloudformation-transport.ts for CloudFormation), and the
 * pieces both build their answers from.
 */

/** The parts of the SDK's HttpRequest these transports read. */
export interface OutgoingRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: { [key: string]: string | (string | null)[] | null };
  readonly headers: { [name: string]: string };
  readonly body?: unknown;
}

/** What `handle` resolves to, as the SDK's HttpHandler contract has it. */
export type HandledResponse = { response: { statusCode: number; headers: { [name: string]: string }; body: Uint8Array } };

export abstract class SocketlessTransport {
  abstract handle(request: OutgoingRequest): Promise<HandledResponse>;

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

export function response(statusCode: number, headers: { [name: string]: string }, body: string): HandledResponse {
  return { response: { statusCode, headers, body: new Uint8Array(Buffer.from(body, 'utf8')) } };
}

/** The request body as text. */
export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // Decoded from the bytes: the SDK's JSON body is a Uint8Array subclass that warns when used as a string.
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`A socketless transport cannot send a ${typeof body} body`);
}

/** Waits `ms` (virtual time under the faked timers). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
