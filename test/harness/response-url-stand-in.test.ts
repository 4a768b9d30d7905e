/**
 * The response URL stand-in receives a PUT made the way the Provider framework's cfn-response.js makes it
 * (https.request to port 443 of the ResponseURL's host), records it exactly and says whether CloudFormation
 * would accept its size; it tunnels nothing but CloudFormation response hosts.
 */
import { spawn } from 'child_process';
import * as http from 'http';
import { CLOUDFORMATION_RESPONSE_LIMIT_BYTES, nodeBinaryFor, ResponseUrlStandIn } from '../../harness';

let standIn: ResponseUrlStandIn;

beforeEach(async () => {
  standIn = await ResponseUrlStandIn.start();
});

afterEach(async () => {
  await standIn.close();
});

const RESPONSE_URL = 'https://cloudformation-custom-resource-response-us-east-1.s3.amazonaws.com/arn%3Aaws%3Acloudformation/Support?X-Amz-Signature=test-signature';

/** PUTs `body` to `url` from a Node.js 24 process, as cfn-response.js does (hostname and path only, port 443). */
function putLikeTheFramework(url: string, body: string): Promise<string> {
  const script = `
    const https = require('https');
    const target = new URL(process.argv[1]);
    const body = process.argv[2];
    const request = https.request(
      { hostname: target.hostname, path: target.pathname + target.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (response) => { response.resume(); console.log('status ' + response.statusCode); },
    );
    request.on('error', (error) => console.log('error ' + error.message));
    request.end(body);`;
  return new Promise((resolve) => {
    const child = spawn(nodeBinaryFor('nodejs24.x'), ['-e', script, url, body], { env: { PATH: process.env.PATH ?? '', ...standIn.processEnvironment() } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', () => resolve(output.trim()));
  });
}

test('a PUT to the ResponseURL is received over TLS at that very URL and recorded byte for byte', async () => {
  // GIVEN a response body
  const body = JSON.stringify({ Status: 'SUCCESS', Reason: 'SUCCESS', PhysicalResourceId: 'id', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' });
  // WHEN a process PUTs it to the ResponseURL
  const output = await putLikeTheFramework(RESPONSE_URL, body);
  // THEN S3's 200 came back and the stand-in has the URL and the exact body
  expect(output).toBe('status 200');
  expect(standIn.received).toHaveLength(1);
  expect(standIn.received[0]).toMatchObject({ method: 'PUT', url: RESPONSE_URL, body, bytes: body.length, withinLimit: true });
});

test('a body longer than 4096 bytes is recorded as one CloudFormation would refuse', async () => {
  // WHEN a 4097-byte body is PUT
  const empty = JSON.stringify({ Status: 'FAILED', Reason: '', PhysicalResourceId: 'id' });
  const body = JSON.stringify({ Status: 'FAILED', Reason: 'x'.repeat(CLOUDFORMATION_RESPONSE_LIMIT_BYTES + 1 - empty.length), PhysicalResourceId: 'id' });
  await putLikeTheFramework(RESPONSE_URL, body);
  // THEN it is recorded with its size, over the limit
  expect(body.length).toBe(CLOUDFORMATION_RESPONSE_LIMIT_BYTES + 1);
  expect(standIn.received[0]).toMatchObject({ bytes: 4097, withinLimit: false });
});

test('the proxy refuses to tunnel to a host that is not a CloudFormation response URL\'s', async () => {
  // WHEN a client asks the proxy for a tunnel to another host
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const request = http.request(standIn.proxyUrl, { method: 'CONNECT', path: 'example.com:443' });
    request.on('connect', (response: http.IncomingMessage, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    request.on('error', reject);
    request.end();
  });
  // THEN it answers 403 and records the refusal
  expect(status).toBe(403);
  expect(standIn.refusedHosts).toEqual(['example.com:443']);
});
