/** The client-side pace of Connect calls: a burst, then the rate. */
import { Pacer } from '../../cli/pacer';
import { Clock } from '../../lambda/retry';

/** A clock that only moves when something sleeps. */
function steppingClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

test('a burst goes at once, then calls go at the rate', async () => {
  // GIVEN Connect's pace of 2 requests a second, burst 5
  const clock = steppingClock();
  const pacer = new Pacer({ requestsPerSecond: 2, burst: 5 }, clock);
  // WHEN 9 calls want to go at once
  await Promise.all(Array.from({ length: 9 }, () => pacer.take()));
  // THEN 5 go without waiting and the other 4 go half a second apart
  expect(clock.slept).toEqual([500, 500, 500, 500]);
  expect(clock.now()).toBe(2000);
});
