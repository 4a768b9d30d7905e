import { execFile, execFileSync } from 'child_process';
import { ConnectEmulator } from '../../emulator';
import { INSTANCE_ID, instanceArn, startTestEmulator } from './helpers';

/**
 * Conformance with the AWS CLI v1 (botocore parses responses and errors on its
 * own, independently of the JS SDK). Skipped with a visible reason when the CLI
 * or one of its connect commands is missing.
 */

const CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-key',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
  PAGER: 'cat',
  MANPAGER: 'cat',
};
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

function cliCommands(): { available: boolean; reason?: string; commands: Set<string> } {
  try {
    execFileSync('which', ['aws'], { stdio: 'pipe' });
  } catch {
    return { available: false, reason: 'the AWS CLI (`aws`) is not installed', commands: new Set() };
  }
  try {
    const help = execFileSync('aws', ['connect', 'help'], { env: CLI_ENV, stdio: 'pipe', timeout: 30_000 }).toString();
    return { available: true, commands: new Set(help.match(/[a-z0-9-]*phone-number[a-z0-9-]*|tag-resource|untag-resource/g) ?? []) };
  } catch (e) {
    return { available: false, reason: `\`aws connect help\` failed: ${(e as Error).message}`, commands: new Set() };
  }
}

const cli = cliCommands();
if (!cli.available) console.warn(`Skipping AWS CLI conformance tests: ${cli.reason}`);
const describeCli = cli.available ? describe : describe.skip;

/** test() when the CLI knows every command, else test.skip with the reason in the name. */
function cliTest(name: string, commands: string[], fn: () => Promise<void>): void {
  const missing = commands.filter((c) => !cli.commands.has(c));
  if (missing.length === 0) test(name, fn, 30_000);
  else test.skip(`${name} (skipped: the installed AWS CLI lacks ${missing.join(', ')})`, fn);
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describeCli('AWS CLI conformance', () => {
  let emulator: ConnectEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({ instances: [INSTANCE_ID], claimLatencyMs: 0 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  /** Runs `aws connect <args>` asynchronously so the in-process emulator can answer. */
  function aws(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        'aws',
        ['connect', ...args, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--output', 'json'],
        { env: CLI_ENV, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
        },
      );
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output is checked field by field below
  const json = (r: CliResult): any => JSON.parse(r.stdout);

  // The tests below run in order against one emulator, like a CLI session: claim, inspect, tag, fail, release.
  let phoneNumberId = '';
  let phoneNumberArn = '';

  cliTest('claim-phone-number prints the new id and ARN', ['claim-phone-number'], async () => {
    // GIVEN a running emulator WHEN the CLI claims a number with tags
    const r = await aws('claim-phone-number', '--instance-id', INSTANCE_ID, '--phone-number', '+12065550100', '--tags', 'team=a,env=dev');
    // THEN it exits 0 and prints the id and ARN
    expect(r.code).toBe(0);
    phoneNumberId = json(r).PhoneNumberId;
    phoneNumberArn = json(r).PhoneNumberArn;
    expect(phoneNumberArn).toBe(`arn:aws:connect:us-east-1:123456789012:phone-number/${phoneNumberId}`);
  });

  cliTest('describe-phone-number and list-phone-numbers-v2 show the claimed number', ['describe-phone-number', 'list-phone-numbers-v2'], async () => {
    // GIVEN the number claimed above WHEN described and listed (in parallel)
    const [described, listed] = await Promise.all([
      aws('describe-phone-number', '--phone-number-id', phoneNumberId),
      aws('list-phone-numbers-v2', '--instance-id', INSTANCE_ID),
    ]);
    // THEN both parse and agree
    expect(json(described).ClaimedPhoneNumberSummary).toMatchObject({
      PhoneNumberId: phoneNumberId,
      PhoneNumber: '+12065550100',
      TargetArn: instanceArn(),
      Tags: { team: 'a', env: 'dev' },
      PhoneNumberStatus: { Status: 'CLAIMED' },
    });
    expect(json(listed).ListPhoneNumbersSummaryList.map((s: { PhoneNumberId: string }) => s.PhoneNumberId)).toEqual([phoneNumberId]);
  });

  cliTest('tag-resource and untag-resource change the tags of the number ARN', ['tag-resource', 'untag-resource'], async () => {
    // GIVEN the claimed number WHEN one tag is added and another removed
    const tagged = await aws('tag-resource', '--resource-arn', phoneNumberArn, '--tags', 'owner=ops');
    const untagged = await aws('untag-resource', '--resource-arn', phoneNumberArn, '--tag-keys', 'env', 'team');
    // THEN both exit 0 and the record has only the new tag
    expect(tagged.code).toBe(0);
    expect(untagged.code).toBe(0);
    expect(emulator.numberByPhone('+12065550100')?.tags).toEqual({ owner: 'ops' });
  });

  cliTest('errors exit non-zero and name the exception on stderr', ['claim-phone-number', 'describe-phone-number'], async () => {
    // GIVEN a taken number and an unknown id WHEN the CLI calls (in parallel)
    const [taken, missing] = await Promise.all([
      aws('claim-phone-number', '--instance-id', INSTANCE_ID, '--phone-number', '+12065550100'),
      aws('describe-phone-number', '--phone-number-id', '00000000-0000-4000-8000-000000000000'),
    ]);
    // THEN each fails with botocore's standard message for the right exception
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain(
      'An error occurred (InvalidParameterException) when calling the ClaimPhoneNumber operation: Phone number not available: +12065550100',
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (ResourceNotFoundException) when calling the DescribePhoneNumber operation');
  });

  cliTest('release-phone-number releases the number into its cooldown', ['release-phone-number'], async () => {
    // GIVEN the claimed number WHEN released through the CLI
    const r = await aws('release-phone-number', '--phone-number-id', phoneNumberId);
    // THEN it exits 0 and the number is cooling down
    expect(r.code).toBe(0);
    expect(emulator.releasedNumbers().map((n) => n.id)).toEqual([phoneNumberId]);
  });
});
