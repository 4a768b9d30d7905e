/**
 * The Connect client every handler invocation uses. Retries are the handler's own (retry.ts), so the SDK
 * makes one attempt per call. Each attempt is bounded: without timeouts, one socket that connects and never
 * answers (a lost packet, a stalled load balancer) would hold the call until Lambda kills the invocation,
 * and the handler would never get to retry, answer "not yet" or report a clear error.
 */
import { ConnectClient, ConnectClientConfig } from '@aws-sdk/client-connect';

/** TCP (and TLS) connection set-up to Connect's regional endpoint normally takes milliseconds. */
export const CONNECTION_TIMEOUT_MS = 3000;
/**
 * A whole attempt, connection set-up included, to the last byte of the answer. Connect answers in well
 * under a second (claims and moves are asynchronous: the call only starts them), but a 256 MB function has
 * a small share of a CPU, and its first call also loads and initializes parts of the SDK, so the limit is
 * generous: an attempt cut off too early is retried (safely, but it is one more call). It must stay below
 * the handler's safetyMarginMs (10 s), so that an attempt started just before the retry deadline still
 * ends before the Lambda deadline.
 */
export const REQUEST_TIMEOUT_MS = 8000;

/**
 * A client from the SDK's default configuration (AWS_REGION, the function's credentials and
 * AWS_ENDPOINT_URL_CONNECT apply), one attempt per call, bounded connection and request times.
 * `overrides` are for tests and the virtual-time benchmark (a transport of their own).
 */
export function createConnectClient(overrides: ConnectClientConfig = {}): ConnectClient {
  return new ConnectClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without this, @smithy/node-http-handler only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
    },
    ...overrides,
  });
}
