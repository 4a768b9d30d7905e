import { ConnectClient, ReleasePhoneNumberCommand, ServiceQuotaExceededException } from '@aws-sdk/client-connect';
import { CLAIM_RELEASE_BUDGET_MESSAGE, ConnectEmulator, DAY_MS } from '../../emulator';
import { caught, claimNumber, describeNumber, INSTANCE_ID, SETTLE_MS, sleep, useTestEmulator } from './helpers';

/**
 * The 200% rule: claims plus releases in a rolling 180 days may not exceed twice the number quota
 * (default quota 5, so 10), after which claims are refused. Numbers are claimed to the instance one at a
 * time and released at once, so the per-instance limit never interferes.
 */
describe('the 200% claim/release rule', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, { claimLatencyMs: 0 });

  /** `count` claim+release pairs (2 × count events), each on its own number. */
  async function churn(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const { PhoneNumberId } = await claimNumber(client, `+1206555014${i}`);
      await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
    }
  }

  test('ten claims and releases are allowed with the default quota of five', async () => {
    // GIVEN four claim+release pairs and a fifth claim (nine events)
    await churn(4);
    // WHEN a fifth number is claimed (the tenth event)
    const fifth = await claimNumber(client, '+12065550150');
    // THEN it is accepted and CLAIMED
    expect((await describeNumber(client, fifth.PhoneNumberId as string))?.PhoneNumberStatus?.Status).toBe('CLAIMED');
  });

  test('a claim beyond 200% of the quota is refused with ServiceQuotaExceededException by default', async () => {
    // GIVEN five claim+release pairs (ten events)
    await churn(5);
    // WHEN another number is claimed
    const err = await caught(claimNumber(client, '+12065550151'));
    // THEN 402 ServiceQuotaExceededException and nothing is claimed
    expect(err.error).toBeInstanceOf(ServiceQuotaExceededException);
    expect(err.status).toBe(402);
    expect(err.message).toBe(CLAIM_RELEASE_BUDGET_MESSAGE);
    expect(emulator.claimedNumbers()).toEqual([]);
  });

  test('releases are never refused, even past the budget', async () => {
    // GIVEN ten events: a claim kept, four claim+release pairs and another claim
    const { PhoneNumberId } = await claimNumber(client, '+12065550152');
    await churn(4);
    await claimNumber(client, '+12065550163');
    // WHEN the kept number is released (the eleventh event)
    const out = await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
    // THEN the release succeeds
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('claims are allowed again once the oldest events leave the 180-day window', async () => {
    // GIVEN a spent budget WHEN 180 days pass
    await churn(5);
    emulator.advanceClock(180 * DAY_MS);
    // THEN a claim succeeds
    const out = await claimNumber(client, '+12065550153');
    expect(out.PhoneNumberId).toBeDefined();
  });

  test('the quota the 200% is taken of is an option', async () => {
    // GIVEN a quota of one and one claim+release pair
    emulator.configure({ claimReleaseBudget: { numberQuota: 1 } });
    await churn(1);
    // WHEN another number is claimed
    const err = await caught(claimNumber(client, '+12065550154'));
    emulator.configure({ claimReleaseBudget: {} });
    // THEN it is refused
    expect(err.name).toBe('ServiceQuotaExceededException');
  });

  test('the window is an option', async () => {
    // GIVEN a one-day window and a spent budget
    emulator.configure({ claimReleaseBudget: { windowMs: DAY_MS } });
    await churn(5);
    // WHEN a day passes
    emulator.advanceClock(DAY_MS);
    const out = await claimNumber(client, '+12065550155');
    emulator.configure({ claimReleaseBudget: {} });
    // THEN claims work again
    expect(out.PhoneNumberId).toBeDefined();
  });

  test('claimReleaseBudget false switches the rule off', async () => {
    // GIVEN no rule and eleven events
    emulator.configure({ claimReleaseBudget: false });
    await churn(6);
    // WHEN another number is claimed
    const out = await claimNumber(client, '+12065550156');
    emulator.configure({ claimReleaseBudget: {} });
    // THEN it is accepted
    expect(out.PhoneNumberId).toBeDefined();
  });

  test('claims made by hand in the console count too', async () => {
    // GIVEN four API claim+release pairs and one console claim (nine events) and one API claim (ten)
    await churn(4);
    emulator.claimOutOfBand({ phoneNumber: '+12065550157', instanceId: INSTANCE_ID });
    await claimNumber(client, '+12065550158');
    // WHEN another number is claimed
    const err = await caught(claimNumber(client, '+12065550159'));
    // THEN it is refused
    expect(err.name).toBe('ServiceQuotaExceededException');
  });
});

describe('the budgetExceededError variant', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, { claimLatencyMs: 0, claimReleaseBudget: { numberQuota: 1 } });
  afterAll(() => emulator.setVariant('budgetExceededError', 'serviceQuotaExceeded'));

  async function spendBudget(): Promise<void> {
    const { PhoneNumberId } = await claimNumber(client, '+12065550160');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
  }

  test.each([
    ['limitExceeded', 'LimitExceededException', 429],
    ['invalidParameter', 'InvalidParameterException', 400],
    ['accessDenied', 'AccessDeniedException', 403],
  ] as const)('%s: a blocked claim is refused with %s (HTTP %i)', async (value, errorName, status) => {
    // GIVEN the variant and a spent budget
    emulator.setVariant('budgetExceededError', value);
    await spendBudget();
    // WHEN a number is claimed
    const err = await caught(claimNumber(client, '+12065550161'));
    // THEN the claim is refused with that error
    expect([err.name, err.status]).toEqual([errorName, status]);
  });

  test('claimFailed: a blocked claim answers 200 and the number then ends FAILED', async () => {
    // GIVEN the variant and a spent budget
    emulator.setVariant('budgetExceededError', 'claimFailed');
    await spendBudget();
    // WHEN a number is claimed
    const { PhoneNumberId } = await claimNumber(client, '+12065550162');
    await sleep(SETTLE_MS);
    // THEN it is FAILED with the budget message
    expect((await describeNumber(client, PhoneNumberId as string))?.PhoneNumberStatus).toEqual({
      Status: 'FAILED',
      Message: CLAIM_RELEASE_BUDGET_MESSAGE,
    });
  });
});
