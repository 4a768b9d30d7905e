import { benchNumbers, INSTANCE_ID, synthesizeBenchStack, STACK_NAME } from './shared';
import { deployInVirtualTime, uniform } from './virtual-time/virtual-deployment';

async function main() {
  const n = Number(process.argv[2] ?? 20);
  const perOperation = process.argv[3] !== 'shared';
  const assembly = synthesizeBenchStack(n);
  const out = await deployInVirtualTime(
    [{ assembly, stackName: STACK_NAME }],
    { instances: [INSTANCE_ID], inventory: benchNumbers(n), claimLatencyMs: 1000, rateLimit: { requestsPerSecond: 2, burst: 5, perOperation } },
    { startMs: uniform(250, 750), networkDelayMs: uniform(10, 40) },
  );
  const accepted = out.calls.filter((c) => !c.throttled);
  const bound = perOperation ? (n - 5) / 2 + 1 : (2 * n - 5) / 2;
  const failures = out.responses.filter((r) => r.Status !== 'SUCCESS');
  console.log({ n, wall: out.wallMs / 1000, bound, ratio: out.wallMs / 1000 / bound, failures: failures.length, reasons: [...new Set(failures.map((f) => f.Reason))].slice(0, 3),
    acceptedPerNumber: accepted.length / n, throttledPerNumber: (out.calls.length - accepted.length) / n, peak: out.peakRunning, timedOut: out.timedOut, realMs: out.realMs });
}
main().catch((e) => { console.error(e); process.exit(1); });
