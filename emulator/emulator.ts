import { Server } from 'http';
import { CallRecord } from './call-log';
import { ConnectEngine } from './engine';
import { invalidParameter } from './errors';
import { FaultSpec } from './faults';
import { PolicyStatement } from './iam';
import { ConnectEmulatorOptions, ResolvedOptions } from './options';
import { notAvailableMessage } from './operations/claim';
import { listen } from './server';
import { snapshotNumbers } from './snapshot';
import { PhoneNumberRecord } from './state';
import { EmulatorVariants } from './variants';

export interface OutOfBandClaim {
  phoneNumber: string;
  instanceId?: string;
  targetArn?: string;
  tags?: Record<string, string>;
  description?: string;
  /** Region of the number's ARN. Default: the configured region. */
  region?: string;
}

/** Fault injection as seen by tests. */
export interface FaultControl {
  add(spec: FaultSpec): void;
  clear(): void;
  pending(): FaultSpec[];
}

/** A running emulator: its URL, lifecycle, and the accessors tests use to arrange and inspect state. */
export class ConnectEmulator {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultControl;

  constructor(
    private readonly engine: ConnectEngine,
    private readonly server: Server,
    port: number,
  ) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.faults = {
      add: (spec) => engine.faults.add(spec),
      clear: () => engine.faults.clear(),
      pending: () => engine.faults.pending(),
    };
  }

  /** Options in effect (defaults applied). */
  get options(): ResolvedOptions {
    return this.engine.options;
  }

  /** Every API call so far, oldest first (a copy). */
  get calls(): CallRecord[] {
    return [...this.engine.calls];
  }

  /** Every phone-number record ever created, including FAILED and RELEASED ones, status settled. */
  numbers(): PhoneNumberRecord[] {
    return snapshotNumbers(this.engine.state);
  }

  /** The live (not released) record for a number; the newest one if a FAILED claim preceded it. */
  numberByPhone(phoneNumber: string): PhoneNumberRecord | undefined {
    return this.numbers()
      .filter((r) => r.phoneNumber === phoneNumber && r.status !== 'RELEASED')
      .pop();
  }

  /** Numbers that hold a claim: CLAIMED or IN_PROGRESS. */
  claimedNumbers(): PhoneNumberRecord[] {
    return this.numbers().filter((r) => r.status === 'CLAIMED' || r.status === 'IN_PROGRESS');
  }

  /** Released numbers still in their cooldown period. */
  releasedNumbers(): PhoneNumberRecord[] {
    const now = this.now();
    return this.numbers().filter((r) => r.status === 'RELEASED' && r.cooldownUntil !== undefined && now < r.cooldownUntil);
  }

  addInstance(instanceId: string): void {
    this.engine.state.instances.add(instanceId);
  }

  addTrafficDistributionGroup(id: string): void {
    this.engine.state.trafficDistributionGroups.add(id);
  }

  addContactFlow(instanceId: string, flowId: string): void {
    const flows = this.engine.state.contactFlows.get(instanceId) ?? new Set<string>();
    flows.add(flowId);
    this.engine.state.contactFlows.set(instanceId, flows);
  }

  /**
   * Registers a number of the account's AWS End User Messaging SMS (no API call), which ImportPhoneNumber can
   * then import; returns its ARN (`arn:aws:sms-voice:<region>:<account>:phone-number/<id>`).
   */
  addSourcePhoneNumber(phoneNumber: string, id: string = `phone-${phoneNumber.replace(/\D/g, '')}`, region: string = this.engine.options.region): string {
    const arn = `arn:aws:sms-voice:${region}:${this.engine.options.accountId}:phone-number/${id}`;
    this.engine.state.sourceNumbers.set(arn, phoneNumber);
    return arn;
  }

  /** Makes a number unavailable as if another account held it. */
  reserveNumber(phoneNumber: string): void {
    this.engine.state.reserved.add(phoneNumber);
  }

  /** A number claimed "by hand in the console": immediately CLAIMED, no API call logged. */
  claimOutOfBand(claim: OutOfBandClaim): PhoneNumberRecord {
    const state = this.engine.state;
    const region = claim.region ?? this.engine.options.region;
    if (state.unavailableReason(claim.phoneNumber)) throw invalidParameter(notAvailableMessage(claim.phoneNumber));
    const target = state.resolveTarget({ InstanceId: claim.instanceId, TargetArn: claim.targetArn }, region);
    const now = this.now();
    const record = state.createRecord({
      phoneNumber: claim.phoneNumber,
      target,
      region,
      description: claim.description,
      tags: claim.tags,
      now,
      completesAt: now,
      outOfBand: true,
    });
    // Claims "using the UI or API" count towards the 200% rule.
    state.claimReleaseEvents.push(now);
    return structuredClone(record);
  }

  /** Associates a flow without an API call (e.g. done in the console). */
  associateFlowOutOfBand(phoneNumberId: string, flowId: string): void {
    const record = this.engine.state.getLive(phoneNumberId);
    record.contactFlowId = flowId;
    record.history.push({ at: this.now(), event: 'contact-flow-associated-out-of-band', detail: flowId });
  }

  /**
   * Connect finally finishes work left IN_PROGRESS by a `claimStuck` fault (it completes now), as the real
   * service eventually does; tests use it to show what happens after a deadline passed.
   */
  finishStuckWork(phoneNumber: string): void {
    const now = this.now();
    for (const record of this.engine.state.records) {
      if (record.phoneNumber === phoneNumber && record.pending && record.pending.completesAt === null) {
        record.pending = { ...record.pending, completesAt: now };
      }
    }
  }

  /**
   * Enforces `statements` on every request signed with `accessKeyId` (403 AccessDeniedException when they
   * do not allow it); `undefined` stops checking that key. See iam.ts for what is evaluated.
   */
  setPolicies(accessKeyId: string, statements: PolicyStatement[] | undefined): void {
    this.engine.setPolicies(accessKeyId, statements);
  }

  /** The statements registered for `accessKeyId`, if its requests are checked. */
  policies(accessKeyId: string): PolicyStatement[] | undefined {
    return this.engine.options.iam[accessKeyId];
  }

  /** Changes options at run time (`variants` are merged one by one; other fields replace what they name). */
  configure(partial: ConnectEmulatorOptions): void {
    this.engine.configure(partial);
  }

  /** The variant values in effect (see variants.ts). */
  get variants(): EmulatorVariants {
    return { ...this.engine.options.variants };
  }

  /** Sets one variant at run time; an unknown name or value throws. */
  setVariant<K extends keyof EmulatorVariants>(name: K, value: EmulatorVariants[K]): void {
    this.engine.configure({ variants: { [name]: value } as Partial<EmulatorVariants> });
  }

  /** The emulator's current time (wall clock plus every advanceClock). */
  now(): number {
    return this.engine.clock.now();
  }

  /**
   * Moves the emulator's clock forward: pending work due by then completes, FAILED claims past their hold
   * return to inventory, cooldowns, token memory and the 200% window age accordingly. reset() rewinds it.
   */
  advanceClock(ms: number): void {
    this.engine.clock.advance(ms);
  }

  reset(): void {
    this.engine.reset();
  }

  /** Stops listening and drops open keep-alive connections so no handle outlives the emulator. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export async function startConnectEmulator(options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
  const engine = new ConnectEngine(options);
  const { server, port } = await listen(engine, engine.options.port);
  return new ConnectEmulator(engine, server, port);
}
