import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { CONTROL_PREFIX, handleControl } from './control';
import { ConnectEngine } from './engine';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

async function onRequest(engine: ConnectEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = req.url ?? '/';
  const path = url.split('?')[0];
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    const out = handleControl(engine, req.method ?? 'GET', path, body);
    send(res, out.status, { 'content-type': 'application/json' }, JSON.stringify(out.body));
    return;
  }
  const out = engine.handle({ method: req.method ?? 'GET', url, headers: req.headers, body });
  if (out.drop) {
    // Simulates a connection lost before or after the work: the client gets no response at all.
    req.socket.destroy();
    return;
  }
  send(res, out.status, out.headers, out.body);
}

/** Starts the HTTP server on 127.0.0.1 and resolves with it and its port. */
export async function listen(engine: ConnectEngine, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    onRequest(engine, req, res).catch((e: unknown) => {
      // A bug in the emulator must show up as a 500 the test can see, not as a hang.
      if (!res.headersSent) {
        send(
          res,
          500,
          { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServiceException' },
          JSON.stringify({ Message: `Emulator error: ${(e as Error).message}` }),
        );
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
