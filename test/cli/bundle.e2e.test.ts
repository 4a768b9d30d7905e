/**
 * The shipped command (dist/cli/index.js, built here as `npm run build` builds it) run as a process, with its
 * endpoints, Region and credentials from the environment as the AWS SDK reads them.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startWorld, World } from '../e2e/world';
import { CloudAssembly } from '../../harness';
import { CLI_CREDENTIALS, removeAssembly, synthesizeCliApp } from './cli-world';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'index.js');
let world: World;
let assembly: CloudAssembly;
let home: string;

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  // An empty home: no shared config or credentials file of this machine's user reaches the command.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-home-'));
  assembly = synthesizeCliApp();
  world = await startWorld(assembly);
  // GIVEN one deployed number
  const support = world.logicalId('Support');
  await world.stack.deployStack({ [support]: world.stack.declaredProperties(support) });
}, 240_000);

afterAll(async () => {
  await world?.close();
  fs.rmSync(home, { recursive: true, force: true });
  removeAssembly(assembly);
});

/** Runs the bundle without blocking this process: the emulator and the stand-in answer from it. */
function runBundle(args: string[], env: { [name: string]: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: CLI_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CLI_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_CONNECT: world.emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: world.cloudFormation.url,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('the bundle lists the numbers it finds through the endpoints of the environment', async () => {
  const run = await runBundle(['list', '--json', '--region', 'us-east-1']);
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ phoneNumber: '+12065550100', state: 'in-use', stackName: 'E2eNumbers' })]);
});

test('the bundle prints no progress when stderr is not a terminal', async () => {
  const run = await runBundle(['list'], { AWS_REGION: 'us-east-1' });
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('1 number: 1 in-use, 0 kept, 0 retained, 0 orphaned');
});

test('without a Region the bundle exits with code 2 and says how to give one', async () => {
  const run = await runBundle(['list']);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('No AWS Region: pass --region, set AWS_REGION, or use a --profile that names one.');
});

test('an AWS refusal ends the bundle with code 1 and the error', async () => {
  // GIVEN credentials that may list numbers but not describe them
  world.emulator.setPolicies(CLI_CREDENTIALS.accessKeyId, [{ Effect: 'Allow', Action: 'connect:ListPhoneNumbersV2', Resource: '*' }]);
  try {
    const run = await runBundle(['list', '--region', 'us-east-1']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^AWS call failed: AccessDeniedException: .*connect:DescribePhoneNumber/);
  } finally {
    world.emulator.setPolicies(CLI_CREDENTIALS.accessKeyId, undefined);
  }
});
