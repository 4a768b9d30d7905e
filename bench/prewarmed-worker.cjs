// A Lambda container started ahead of its invocation: the init phase (loading the handler module, which
// builds its Connect client) runs at once, the parent is told "ready", and the one invocation it will ever
// run arrives later over IPC. Otherwise as harness/lambda-worker.cjs: a context whose remaining time counts
// down from the function's timeout, and the result or the error reported back over IPC.
'use strict';
const path = require('path');

const [codeDirectory, handlerName] = process.argv.slice(2);
const dot = handlerName.lastIndexOf('.');
const handlerModule = require(path.join(codeDirectory, handlerName.slice(0, dot)));
const handler = handlerModule[handlerName.slice(dot + 1)];

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
process.send({ ready: true });
