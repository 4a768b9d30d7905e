// One Lambda invocation in a process of its own, as a fresh Lambda container runs it: load the handler
// module (the init phase), call the export with the event and a context whose remaining time counts down
// from the function's timeout, and report the result or the error to the parent over IPC.
'use strict';
const path = require('path');

process.once('message', async (request) => {
  const [file, exportName] = splitHandler(request.handler);
  const deadline = Date.now() + request.timeoutMs;
  const context = {
    functionName: request.functionName,
    awsRequestId: request.invocationId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let reply;
  try {
    const handlerModule = require(path.join(request.codeDirectory, file));
    const handler = handlerModule[exportName];
    if (typeof handler !== 'function') {
      throw new Error(`Runtime.HandlerNotFound: ${request.handler} is not a function`);
    }
    reply = { ok: true, result: await handler(request.event, context) };
  } catch (error) {
    reply = { ok: false, errorType: (error && error.name) || 'Error', errorMessage: (error && error.message) || String(error) };
  }
  process.send(reply, () => process.exit(0));
});

function splitHandler(handler) {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
