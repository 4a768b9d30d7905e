/**
 * A stack of 200 numbers, created at once as CloudFormation creates independent resources, against
 * Connect's documented limits (2 requests/second per operation, burst 5) with claims taking 1 s, through
 * the Provider framework with the template's own waiter and function timeouts. It runs in virtual time
 * (bench/virtual-time: the handler's code in a fresh client and handler per invocation, the real SDK, the
 * emulator's engine, Date and timers faked): the deployment takes about 100 s of Connect's time, which
 * here is computed in seconds. `npm run bench` measures the same with 100, 400 and 3 x 150 numbers.
 */
import { boundMs, caseStacks, DeploymentMeasurement, virtualDeployment } from '../../bench/large-stack';

const NUMBERS = 200;
let deployment: DeploymentMeasurement;

beforeAll(async () => {
  // GIVEN a stack of 200 numbers WHEN it is deployed
  deployment = await virtualDeployment(caseStacks(1, NUMBERS), NUMBERS, 'per operation');
}, 120_000);

describe('a stack of 200 numbers deployed at Connect\'s rate limit', () => {
  test('every create succeeds', () => {
    // THEN no create failed
    const failures = deployment.responses.filter((response) => response.Status !== 'SUCCESS').map((response) => response.Reason);
    expect(deployment.responses).toHaveLength(NUMBERS);
    expect(failures).toEqual([]);
  });

  test('every number is claimed exactly once, by exactly one accepted ClaimPhoneNumber', () => {
    // THEN each of the 200 numbers has one record in Connect, CLAIMED, and one accepted claim call
    const accepted = new Map<string, number>();
    for (const call of deployment.calls.filter((c) => c.operation === 'ClaimPhoneNumber' && !c.throttled)) {
      accepted.set(String(call.input.PhoneNumber), (accepted.get(String(call.input.PhoneNumber)) ?? 0) + 1);
    }
    expect(deployment.records).toHaveLength(NUMBERS);
    expect(deployment.records.filter((record) => record.status === 'CLAIMED')).toHaveLength(NUMBERS);
    expect(accepted.size).toBe(NUMBERS);
    expect([...new Set(accepted.values())]).toEqual([1]);
  });

  test('Connect accepts about two calls per number: the claim and the look that sees it CLAIMED', () => {
    // THEN at most 2.1 accepted calls per number
    const accepted = deployment.calls.filter((call) => !call.throttled).length;
    expect(accepted / NUMBERS).toBeLessThanOrEqual(2.1);
  });

  test('the deployment takes at most 1.15 times what the rate limit alone imposes', () => {
    // THEN wall time / (max(0, N - 5) / 2 s + 1 s) is at most 1.15
    expect(deployment.wallMs / boundMs(NUMBERS, 'per operation')).toBeLessThanOrEqual(1.15);
  });

  test('no handler invocation runs into its function timeout', () => {
    // THEN Lambda never had to cut an invocation off
    expect(deployment.timedOut).toBe(0);
  });
});
