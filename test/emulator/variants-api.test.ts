import { ConnectClient, ReleasePhoneNumberCommand } from '@aws-sdk/client-connect';
import {
  ConnectEmulator,
  DEFAULT_VARIANTS,
  EMULATOR_VARIANTS,
  eachVariantValue,
  startConnectEmulator,
  VARIANT_NAMES,
  variantMatrix,
  variantOptions,
} from '../../emulator';
import { parseArgs } from '../../emulator/cli';
import { caught, claimNumber, describeNumber, SETTLE_MS, sleep, useTestEmulator } from './helpers';

describe('EMULATOR_VARIANTS and its helpers', () => {
  test('every variant lists its default first among its values', () => {
    // GIVEN the variant table WHEN each default is compared with the first value THEN they match
    for (const name of VARIANT_NAMES) expect(EMULATOR_VARIANTS[name].values[0]).toBe(EMULATOR_VARIANTS[name].default);
  });

  test('DEFAULT_VARIANTS holds each default', () => {
    // GIVEN the table WHEN the defaults are read THEN two samples are as documented
    expect(DEFAULT_VARIANTS.releaseInUseWhen).toBe('operationInProgress');
    expect(DEFAULT_VARIANTS.visibilityDelayMs).toBe(0);
  });

  test('variantOptions fills the unnamed variants with their defaults', () => {
    // GIVEN one named variant WHEN options are built THEN the others are defaults
    expect(variantOptions({ releaseMode: 'asynchronous' }).variants).toEqual({ ...DEFAULT_VARIANTS, releaseMode: 'asynchronous' });
  });

  test('variantOptions refuses an unknown variant name', () => {
    // GIVEN a misspelt name WHEN options are built THEN it throws naming the valid names
    expect(() => variantOptions({ releaseModes: 'x' } as never)).toThrow(/Unknown emulator variant releaseModes/);
  });

  test('variantOptions refuses a value the variant does not have', () => {
    // GIVEN an impossible value WHEN options are built THEN it throws listing the allowed values
    expect(() => variantOptions({ releaseMode: 'eventually' as never })).toThrow(/Variant releaseMode cannot be "eventually"/);
  });

  test('duration variants take any non-negative number of milliseconds', () => {
    // GIVEN an unlisted duration WHEN options are built THEN it is kept
    expect(variantOptions({ visibilityDelayMs: 2500 }).variants.visibilityDelayMs).toBe(2500);
  });

  test('eachVariantValue lists every non-default value once', () => {
    // GIVEN the table WHEN single-variant choices are listed
    const choices = eachVariantValue();
    const expected = VARIANT_NAMES.reduce((n, name) => n + EMULATOR_VARIANTS[name].values.length - 1, 0);
    // THEN there is one per non-default value, labelled name=value
    expect(choices).toHaveLength(expected);
    expect(choices.map((c) => c.label)).toContain('releaseMode=asynchronous');
  });

  test('variantMatrix is the cartesian product of the named variants', () => {
    // GIVEN two variants of 2 and 3 values WHEN the matrix is built THEN it has 6 combinations
    const matrix = variantMatrix(['releaseMode', 'releaseFailedNumber']);
    expect(matrix).toHaveLength(6);
    expect(matrix).toContainEqual({ releaseMode: 'asynchronous', releaseFailedNumber: 'resourceNotFound' });
  });

  test('startConnectEmulator refuses an unknown variant', async () => {
    // GIVEN a bad variant WHEN the emulator starts THEN it rejects
    await expect(startConnectEmulator({ variants: { nope: true } as never })).rejects.toThrow(/Unknown emulator variant nope/);
  });
});

describe('choosing variants at run time', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  afterEach(() => emulator.configure({ variants: DEFAULT_VARIANTS }));

  const post = (path: string, body: unknown) => fetch(`${emulator.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

  test('setVariant changes the behaviour of the next call', async () => {
    // GIVEN releaseMode set to asynchronous on a running emulator
    const { PhoneNumberId } = await claimNumber(client, '+12065550100');
    await sleep(SETTLE_MS);
    emulator.setVariant('releaseMode', 'asynchronous');
    // WHEN a number is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
    // THEN it is IN_PROGRESS
    expect((await describeNumber(client, PhoneNumberId as string))?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
  });

  test('configure merges variants one by one', () => {
    // GIVEN one variant set WHEN another is configured THEN both are in effect
    emulator.setVariant('listIncludesFailed', true);
    emulator.configure({ variants: { tokenReuse: 'replayFirstAnswer' } });
    expect(emulator.variants).toMatchObject({ listIncludesFailed: true, tokenReuse: 'replayFirstAnswer' });
  });

  test('POST /__emulator/variants changes a variant over HTTP', async () => {
    // GIVEN visibilityDelayMs posted as 60000
    const res = await post('/__emulator/variants', { visibilityDelayMs: 60_000 });
    // WHEN a number is claimed and described at once
    const { PhoneNumberId } = await claimNumber(client, '+12065550101');
    const err = await caught(describeNumber(client, PhoneNumberId as string));
    // THEN the answer names the new value and the number is not yet visible
    expect(res.status).toBe(200);
    expect(((await res.json()) as { variants: { visibilityDelayMs: number } }).variants.visibilityDelayMs).toBe(60_000);
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('POST /__emulator/variants with an unknown value answers 400 and changes nothing', async () => {
    // GIVEN a bad value WHEN posted THEN 400 and the default is still in effect
    const res = await post('/__emulator/variants', { releaseMode: 'later' });
    expect(res.status).toBe(400);
    expect(emulator.variants.releaseMode).toBe('synchronous');
  });

  test('GET /__emulator/variants lists the values in effect and every variant with its values', async () => {
    // GIVEN a running emulator WHEN the variants are read over HTTP
    const body = (await (await fetch(`${emulator.url}/__emulator/variants`)).json()) as { variants: unknown; available: Record<string, unknown> };
    // THEN both are there
    expect(body.variants).toEqual(DEFAULT_VARIANTS);
    expect(Object.keys(body.available)).toEqual(VARIANT_NAMES);
  });

  test('POST /__emulator/clock advances the emulator clock', async () => {
    // GIVEN a FAILED claim
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    const { PhoneNumberId } = await claimNumber(client, '+12065550102');
    await sleep(SETTLE_MS);
    // WHEN a day is added over HTTP
    const res = await post('/__emulator/clock', { advanceMs: 24 * 3600 * 1000 });
    // THEN the offset is reported and the FAILED number has returned to inventory
    expect(((await res.json()) as { offsetMs: number }).offsetMs).toBe(24 * 3600 * 1000);
    expect((await caught(describeNumber(client, PhoneNumberId as string))).name).toBe('ResourceNotFoundException');
  });

  test('POST /__emulator/clock without advanceMs answers 400', async () => {
    // GIVEN no advanceMs WHEN posted THEN 400
    expect((await post('/__emulator/clock', {})).status).toBe(400);
  });

  test('reset rewinds the emulator clock', () => {
    // GIVEN an advanced clock WHEN reset THEN the emulator's time is wall-clock time again
    emulator.advanceClock(1000 * 3600 * 1000);
    emulator.reset();
    expect(Math.abs(emulator.now() - Date.now())).toBeLessThan(1000);
  });
});

describe('the CLI', () => {
  test('--variant sets variants, with numbers and booleans parsed', () => {
    // GIVEN three variants on the command line WHEN parsed THEN each has its typed value
    const options = parseArgs(['--variant', 'releaseMode=asynchronous', '--variant', 'visibilityDelayMs=1000', '--variant', 'listIncludesFailed=true']);
    expect(options.variants).toEqual({ releaseMode: 'asynchronous', visibilityDelayMs: 1000, listIncludesFailed: true });
  });

  test('--variant with an unknown value fails', () => {
    // GIVEN a bad value WHEN parsed THEN it throws
    expect(() => parseArgs(['--variant', 'releaseMode=later'])).toThrow(/Variant releaseMode cannot be "later"/);
  });

  test('limit, budget and hold flags land in the options', () => {
    // GIVEN the evidence-based limits on the command line WHEN parsed THEN each is set
    const options = parseArgs(['--claimed-number-limit', '10', '--number-quota', '99', '--claim-release-window-ms', '1000', '--failed-hold-ms', '5']);
    expect(options).toMatchObject({ claimedNumberLimit: 10, claimReleaseBudget: { numberQuota: 99, windowMs: 1000 }, failedHoldMs: 5 });
  });

  test('--no-claim-release-budget and --no-claimed-number-limit switch the rules off', () => {
    // GIVEN both flags WHEN parsed THEN both options are false
    expect(parseArgs(['--no-claim-release-budget', '--no-claimed-number-limit'])).toMatchObject({ claimReleaseBudget: false, claimedNumberLimit: false });
  });
});
