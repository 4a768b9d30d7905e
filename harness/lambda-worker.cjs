// One Lambda execution environment in a process of its own, used for exactly one invocation, as a fresh
// Lambda container: an `init` message loads the handler module (the init phase, which may happen before
// the invocation arrives, as Lambda may initialize an environment ahead of time), then an `invoke` message
// calls the export with the event and a context whose remaining time counts down from the function's
// timeout, and the result or the error goes back to the parent over IPC. An error is reported as the
// Lambda Node.js runtime reports it (errorType = the error's name, errorMessage, trace = the stack's
// lines), which is what an Invoke caller finds in the payload.
'use strict';
const path = require('path');

let loaded;

process.on('message', (message) => {
  if (message.type === 'init') {
    loaded = load(message);
  } else if (message.type === 'invoke') {
    invoke(message).catch(() => process.exit(1));
  }
});
// An environment whose parent is gone has nobody to answer: end it.
process.on('disconnect', () => process.exit(0));

function load(request) {
  const [file, exportName] = splitHandler(request.handler);
  try {
    const handlerModule = require(path.join(request.codeDirectory, file));
    const handler = handlerModule[exportName];
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${request.handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
    }
    return { handler };
  } catch (error) {
    return { error };
  }
}

async function invoke(request) {
  const deadline = Date.now() + request.timeoutMs;
  const context = {
    functionName: request.functionName,
    awsRequestId: request.invocationId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let reply;
  try {
    if (!loaded) throw new Error('The environment was not initialized');
    if (loaded.error) throw loaded.error;
    reply = { ok: true, result: await loaded.handler(request.event, context) };
  } catch (error) {
    const isError = error instanceof Error;
    reply = {
      ok: false,
      errorType: (isError && error.name) || 'Error',
      errorMessage: isError ? error.message : String(error),
      trace: isError && typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  process.send(reply, () => process.exit(0));
}

function splitHandler(handler) {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
