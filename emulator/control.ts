import { ConnectEngine } from './engine';
import { FaultSpec } from './faults';
import { PolicyStatement } from './iam';
import { ConnectEmulatorOptions } from './options';
import { snapshotNumbers } from './snapshot';
import { EMULATOR_VARIANTS, EmulatorVariants } from './variants';

/**
 * Prefix of the control surface. No Connect API path starts with `/__`, so these
 * can never shadow a real operation.
 */
export const CONTROL_PREFIX = '/__emulator';

export interface ControlResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Handles `/__emulator/*` requests so another process (e.g. a CLI test) can drive the emulator. */
export function handleControl(engine: ConnectEngine, method: string, path: string, body: string): ControlResponse {
  let parsed: unknown = {};
  if (body.trim()) {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { status: 400, body: { message: 'Body must be JSON' } };
    }
  }
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case `GET ${CONTROL_PREFIX}/state`:
        return {
          status: 200,
          body: { numbers: snapshotNumbers(engine.state), calls: engine.calls, faults: engine.faults.pending() },
        };
      case `POST ${CONTROL_PREFIX}/faults`:
        for (const spec of Array.isArray(parsed) ? parsed : [parsed]) engine.faults.add(spec as FaultSpec);
        return { status: 200, body: { faults: engine.faults.pending() } };
      case `DELETE ${CONTROL_PREFIX}/faults`:
        engine.faults.clear();
        return { status: 200, body: { faults: [] } };
      case `POST ${CONTROL_PREFIX}/reset`:
        engine.reset();
        return { status: 200, body: { reset: true } };
      case `GET ${CONTROL_PREFIX}/iam`:
        return { status: 200, body: { iam: engine.options.iam } };
      case `POST ${CONTROL_PREFIX}/iam`: {
        // { accessKeyId, statements } registers; statements null (or absent) stops checking the key.
        const { accessKeyId, statements } = parsed as { accessKeyId?: unknown; statements?: PolicyStatement[] | null };
        if (typeof accessKeyId !== 'string' || accessKeyId === '') return { status: 400, body: { message: 'accessKeyId must be a non-empty string' } };
        engine.setPolicies(accessKeyId, statements ?? undefined);
        return { status: 200, body: { iam: engine.options.iam } };
      }
      case `GET ${CONTROL_PREFIX}/variants`:
        return { status: 200, body: { variants: engine.options.variants, available: EMULATOR_VARIANTS } };
      case `POST ${CONTROL_PREFIX}/variants`:
        // { "<variant>": <value>, ... }: the named variants change, the others stay as they are.
        engine.configure({ variants: parsed as Partial<EmulatorVariants> });
        return { status: 200, body: { variants: engine.options.variants } };
      case `GET ${CONTROL_PREFIX}/clock`:
        return { status: 200, body: { now: engine.clock.now(), offsetMs: engine.clock.offsetMs } };
      case `POST ${CONTROL_PREFIX}/clock`: {
        const { advanceMs } = parsed as { advanceMs?: unknown };
        if (typeof advanceMs !== 'number') return { status: 400, body: { message: 'advanceMs must be a number' } };
        engine.clock.advance(advanceMs);
        return { status: 200, body: { now: engine.clock.now(), offsetMs: engine.clock.offsetMs } };
      }
      case `POST ${CONTROL_PREFIX}/config`: {
        engine.configure(parsed as ConnectEmulatorOptions);
        const { inventory: _inventory, ...visible } = engine.options;
        void _inventory;
        return { status: 200, body: { options: visible } };
      }
      default:
        return { status: 404, body: { message: `Unknown control route ${route}` } };
    }
  } catch (e) {
    return { status: 400, body: { message: (e as Error).message } };
  }
}
