import * as net from 'net';
import { DescribePhoneNumberCommand } from '@aws-sdk/client-connect';
import { CONNECTION_TIMEOUT_MS, createConnectClient, REQUEST_TIMEOUT_MS } from '../../lambda/connect-client';
import { ClaimedPhoneNumberHandler, DEFAULT_SETTINGS } from '../../lambda/phone-number-handler';
import { isRetryable } from '../../lambda/retry';
import { capturingLogger, createEvent, NUMBER_ARN, withProgress } from './fixtures';

/** A TCP server that accepts every connection and never answers, as a stalled endpoint does. */
let server: net.Server;
let sockets: net.Socket[];
let endpoint: string;

beforeAll(async () => {
  sockets = [];
  server = net.createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const stalledClient = () =>
  createConnectClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-key' } });

describe('the Connect client the handler uses', () => {
  test('bounds each request, connection set-up included, inside the handler\'s safety margin', () => {
    // GIVEN the handler's settings
    // THEN an attempt started just before the retry deadline ends before the Lambda deadline
    expect(REQUEST_TIMEOUT_MS).toBeLessThan(DEFAULT_SETTINGS.safetyMarginMs);
    expect(CONNECTION_TIMEOUT_MS).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  test('gives up on a server that accepts the connection and never answers, with a retryable timeout', async () => {
    // GIVEN the production client configuration pointed at a stalled server
    const client = stalledClient();
    const started = Date.now();
    // WHEN a call is made
    const error = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId: NUMBER_ARN })).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    client.destroy();
    // THEN it fails after the request timeout, not never, and the handler would retry it
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(isRetryable(error)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
  });

  test('an isComplete invocation whose looks all stall answers "not yet" before its Lambda deadline', async () => {
    // GIVEN the handler with the production client against the stalled server, an invocation with 12 s left
    // and the default 10 s margin (so the retries of a look stop 2 s in, and an attempt may run 8 s more)
    const client = stalledClient();
    const handler = new ClaimedPhoneNumberHandler(client, capturingLogger().logger);
    const now = Date.now();
    const lambdaDeadline = now + 12_000;
    const event = withProgress(createEvent(), NUMBER_ARN, { waitFor: 'CONVERGED', startedAt: now - 1000, deadline: now + 600_000 });
    // WHEN isComplete runs
    const result = await handler.isComplete(event, { getRemainingTimeInMillis: () => lambdaDeadline - Date.now() });
    client.destroy();
    // THEN it answers "not yet" before Lambda would have killed it
    expect(result).toEqual({ IsComplete: false });
    expect(Date.now()).toBeLessThan(lambdaDeadline);
  }, 20_000);
});
