/**
 * A fresh "Lambda container" for the first-call breakdown (first-call.ts): like harness/lambda-worker.cjs
 * it loads the handler bundle and calls onEvent, but it timestamps each step on the way to the first
 * Connect request. http.request is wrapped before the bundle loads (the SDK's Node HTTP handler looks it
 * up on the module at call time), which marks the moment the SDK has resolved credentials and the
 * endpoint, signed the request and hands it to Node.
 */
// The default import is the module object itself (esModuleInterop), so patching it reaches the bundle's require('http').
import http from 'http';
import { performance } from 'perf_hooks';

const firstLine = Date.now();
const marks: { [name: string]: number } = { processStart: performance.timeOrigin, firstLine };

const originalRequest = http.request;
const wrapped = function (this: unknown, ...args: unknown[]) {
  const now = Date.now();
  if (marks.httpRequest === undefined) marks.httpRequest = now;
  else if (marks.warmHttpRequest === undefined) marks.warmHttpRequest = now;
  const request = (originalRequest as (...a: unknown[]) => http.ClientRequest).apply(this, args);
  request.once('socket', (socket) => {
    socket.once('connect', () => {
      if (marks.connected === undefined) marks.connected = Date.now();
    });
  });
  return request;
};
(http as { request: unknown }).request = wrapped;

interface Request {
  readonly bundle: string;
  readonly event: { [key: string]: unknown };
  readonly warmEvent: { [key: string]: unknown };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

process.once('message', (request: Request) => {
  // A handler that throws would otherwise end the process without an answer, and the benchmark would wait forever.
  run(request).catch((error: unknown) => process.send!({ error: String(error) }, () => process.exit(1)));
});

async function run(request: Request): Promise<void> {
  marks.message = Date.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handlerModule = require(request.bundle) as { onEvent: Handler };
  marks.required = Date.now();
  const context = { getRemainingTimeInMillis: () => 300_000 };
  marks.invoked = Date.now();
  await handlerModule.onEvent(request.event, context);
  marks.answered = Date.now();
  // The same container's second invocation: what the first one paid once (SDK lazy set-up, connection).
  marks.warmInvoked = Date.now();
  await handlerModule.onEvent(request.warmEvent, context);
  marks.warmAnswered = Date.now();
  process.send!(marks, () => process.exit(0));
}
