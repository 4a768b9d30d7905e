// A Lambda container started ahead of its invocation: the init phase (loading the handler module, which
// builds its Connect client) runs at once, the parent is told "ready", and the one invocation it will ever
// run arrives later over IPC. Otherwise as harness/lambda-worker.cjs: a context whose remaining time counts
// down from the function's timeout, and the result or the error reported back over IPC.
//
// With a warm-up event (4th argument, JSON), the container first runs the module's isComplete once on it:
// one DescribePhoneNumber of a number that does not exist, which fails. That runs the SDK's request path
// once (serialization, signing, the HTTP agent) before the clock starts, as a Lambda container on a CPU of
// its own would in a few milliseconds; the parent resets the emulator afterwards.
'use strict';
const path = require('path');

const [codeDirectory, handlerName, warmUpJson] = process.argv.slice(2);
const dot = handlerName.lastIndexOf('.');
const handlerModule = require(path.join(codeDirectory, handlerName.slice(0, dot)));
const handler = handlerModule[handlerName.slice(dot + 1)];

async function warmUp() {
  if (!warmUpJson) return;
  const now = Date.now();
  // Progress as onEvent hands it over (lambda/progress.ts), started 10 min and 4,999 ms ago: the first look is
  // due at once (polls every 5 s by then), and a number still unknown after the handler's visibility grace
  // (2 min) fails the look at once instead of being waited for.
  const event = { ...JSON.parse(warmUpJson), ClaimedPhoneNumberProgress: { waitFor: 'CONVERGED', startedAt: now - 604999, deadline: now + 60000 } };
  try {
    await handlerModule.isComplete(event, { getRemainingTimeInMillis: () => 60000 });
  } catch {
    // Expected: the number does not exist.
  }
}

process.once('message', async (request) => {
  const deadline = Date.now() + request.timeoutMs;
  const context = {
    functionName: request.functionName,
    awsRequestId: request.invocationId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let reply;
  try {
    if (typeof handler !== 'function') {
      throw new Error(`Runtime.HandlerNotFound: ${handlerName} is not a function`);
    }
    reply = { ok: true, result: await handler(request.event, context) };
  } catch (error) {
    reply = { ok: false, errorType: (error && error.name) || 'Error', errorMessage: (error && error.message) || String(error) };
  }
  process.send(reply, () => process.exit(0));
});
warmUp().then(() => process.send({ ready: true }));
