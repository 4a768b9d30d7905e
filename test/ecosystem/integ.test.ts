/**
 * The integration-test app (integ/integ.claimed-phone-number.ts) needs an AWS account to run, so CI only
 * synthesizes it, exactly as integ-runner would run it (the file is the app), with made-up environment
 * values: a test case stack claiming one number, and an assertion stack that describes that number and
 * expects it CLAIMED with the declared description and tags.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const INSTANCE_ID = '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d';
const PHONE_NUMBER = '+12065550142';
const INTEG_APP = '../../integ/integ.claimed-phone-number';

/** Runs the integ app's module (which synthesizes at load) with `env` set, into a fresh directory. */
function synthIntegApp(env: Record<string, string | undefined>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  const saved = { ...process.env };
  Object.assign(process.env, { CDK_OUTDIR: outdir, ...env });
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
  }
  try {
    jest.isolateModules(() => {
      // The app synthesizes when loaded, as under integ-runner: load it, do not import from it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(INTEG_APP);
    });
  } catch (e) {
    // The caller removes the directory of a synth that succeeded; nobody gets one that failed.
    fs.rmSync(outdir, { recursive: true, force: true });
    throw e;
  } finally {
    process.env = saved;
  }
  return outdir;
}

interface Manifest {
  artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
}

describe('the integ app, synthesized with CONNECT_INSTANCE_ID and CLAIMABLE_PHONE_NUMBER set', () => {
  let outdir: string;
  let templates: Record<
    string,
    { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }> }
  >;

  beforeAll(() => {
    outdir = synthIntegApp({ CONNECT_INSTANCE_ID: INSTANCE_ID, CLAIMABLE_PHONE_NUMBER: PHONE_NUMBER });
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
    templates = Object.fromEntries(
      Object.entries(manifest.artifacts)
        .filter(([, a]) => a.type === 'aws:cloudformation:stack')
        .map(([id, a]) => [id, JSON.parse(fs.readFileSync(path.join(outdir, a.properties!.templateFile!), 'utf8'))]),
    );
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('it writes an integ manifest with one test case and its assertion stack', () => {
    // THEN integ-runner finds the test case and its assertion stack
    const integ = JSON.parse(fs.readFileSync(path.join(outdir, 'integ.json'), 'utf8'));
    const cases = Object.values(integ.testCases) as Array<{ stacks: string[]; assertionStackName: string; stackUpdateWorkflow: boolean }>;
    expect(cases).toHaveLength(1);
    expect(cases[0].stacks).toEqual(['ClaimedPhoneNumberInteg']);
    expect(cases[0].stackUpdateWorkflow).toBe(false);
    expect(Object.keys(templates).sort()).toEqual(['ClaimedPhoneNumberInteg', cases[0].assertionStackName].sort());
  });

  test('the test case claims the given number to the given instance, released on destroy', () => {
    // THEN the stack has one number with the environment's values
    const numbers = Object.values(templates.ClaimedPhoneNumberInteg.Resources).filter(
      (r) => r.Type === 'Custom::ClaimedPhoneNumber',
    );
    expect(numbers).toHaveLength(1);
    expect(numbers[0].Properties).toMatchObject({ PhoneNumber: PHONE_NUMBER, InstanceId: INSTANCE_ID });
    expect(numbers[0].DeletionPolicy).toBe('Delete');
  });

  test('the assertion stack describes the number and expects it CLAIMED with the declared tags', () => {
    // THEN an assertion calls Connect DescribePhoneNumber and expects the claimed summary
    const assertions = Object.entries(templates)
      .filter(([id]) => id !== 'ClaimedPhoneNumberInteg')
      .flatMap(([, t]) => Object.values(t.Resources))
      .filter((r) => r.Type.startsWith('Custom::DeployAssert@SdkCallConnectdescribePhoneNumber'));
    expect(assertions).toHaveLength(1);
    const { service, api, expected } = assertions[0].Properties as { service: string; api: string; expected: string };
    expect([service, api]).toEqual(['Connect', 'describePhoneNumber']);
    const json = JSON.stringify(expected);
    for (const fragment of ['CLAIMED', PHONE_NUMBER, 'purpose', 'integ-test', 'cost-center', 'PhoneNumberDescription']) {
      expect(json).toContain(fragment);
    }
  });
});

test('without CONNECT_INSTANCE_ID or CLAIMABLE_PHONE_NUMBER the integ app refuses to synthesize', () => {
  // GIVEN no instance id
  // WHEN the app runs
  // THEN it names the missing variable
  expect(() => synthIntegApp({ CONNECT_INSTANCE_ID: undefined, CLAIMABLE_PHONE_NUMBER: PHONE_NUMBER })).toThrow(
    /set CONNECT_INSTANCE_ID/,
  );
  expect(() => synthIntegApp({ CONNECT_INSTANCE_ID: INSTANCE_ID, CLAIMABLE_PHONE_NUMBER: undefined })).toThrow(
    /set CLAIMABLE_PHONE_NUMBER/,
  );
});
