import { randomUUID } from 'crypto';
import { EmulatorClock } from './clock';
import { ApiError, invalidParameter, notFound } from './errors';
import { countryOf, ResolvedOptions, typeOf } from './options';

export type NumberStatus = 'CLAIMED' | 'IN_PROGRESS' | 'FAILED' | 'RELEASED';

export interface HistoryEntry {
  readonly at: number;
  readonly event: string;
  readonly detail?: string;
}

/** Work accepted by Claim/Update/UpdateMetadata/Release that finishes at `completesAt` (never when null). */
export interface PendingWork {
  readonly kind: 'claim' | 'update' | 'metadata' | 'release';
  readonly startedAt: number;
  readonly completesAt: number | null;
  /** Set when the work ends FAILED (claimFailed fault, target at its number limit) with this status message. */
  readonly failMessage?: string;
  readonly targetArn?: string;
  readonly instanceId?: string;
  /** Metadata work: the description to apply; `null` removes it. */
  readonly description?: string | null;
  /** Release work: when the released number leaves its cooldown (undefined: no cooldown). */
  readonly cooldownUntil?: number;
}

export interface PhoneNumberRecord {
  id: string;
  arn: string;
  phoneNumber: string;
  countryCode: string;
  type: string;
  region: string;
  status: NumberStatus;
  statusMessage?: string;
  targetArn: string;
  /** Set when claimed to an instance (not a traffic distribution group). */
  instanceId?: string;
  description?: string;
  tags: Record<string, string>;
  contactFlowId?: string;
  claimedAt: number;
  releasedAt?: number;
  /** Released numbers cannot be claimed or searched until then. */
  cooldownUntil?: number;
  /** When a claim or move ended FAILED. A FAILED claim returns to inventory failedHoldMs later. */
  failedAt?: number;
  /** DescribePhoneNumber and ListPhoneNumbersV2 do not show the number before then (visibilityDelayMs variant). */
  visibleAt?: number;
  pending?: PendingWork;
  /** Set for a number imported from AWS End User Messaging SMS (ImportPhoneNumber). */
  sourcePhoneNumberArn?: string;
  /** True for numbers created by claimOutOfBand (console claims), for tests to tell apart. */
  outOfBand: boolean;
  history: HistoryEntry[];
}

export interface ResolvedTarget {
  readonly targetArn: string;
  readonly instanceId?: string;
}

const TARGET_ARN = /^arn:(aws|aws-cn|aws-us-gov):connect:([a-z0-9-]+):(\d{12}):(instance|traffic-distribution-group)\/([^/]+)$/;

/** A FAILED claim never held its number (unlike a FAILED move, which leaves the number where it was). */
export function isFailedClaim(record: PhoneNumberRecord): boolean {
  return record.status === 'FAILED' && record.history.some((h) => h.event === 'claim-failed');
}

/** What an idempotent request answered: a response, or (rejectedClaimToken 'spent') the error. */
export interface StoredAnswer {
  readonly fingerprint: string;
  readonly response?: Record<string, unknown>;
  readonly error?: ApiError;
  readonly at: number;
}

/**
 * Everything the emulated account knows. Status transitions are lazy: a record
 * with pending work becomes CLAIMED (or FAILED) the first time it is looked at
 * after `completesAt`, so correctness never depends on a timer firing and the
 * emulator keeps no timers alive.
 */
export class EmulatorState {
  records: PhoneNumberRecord[] = [];
  instances = new Set<string>();
  trafficDistributionGroups = new Set<string>();
  contactFlows = new Map<string, Set<string>>();
  reserved = new Set<string>();
  /** AWS End User Messaging SMS numbers of the account that ImportPhoneNumber can import: source ARN -> E.164 number. */
  sourceNumbers = new Map<string, string>();
  /** When each accepted claim and each release of a held number happened (the 200% rule counts them). */
  claimReleaseEvents: number[] = [];
  private idempotency = new Map<string, StoredAnswer>();

  constructor(
    private options: ResolvedOptions,
    readonly clock: EmulatorClock = new EmulatorClock(),
  ) {
    this.reset(options);
  }

  reset(options: ResolvedOptions): void {
    this.options = options;
    this.records = [];
    this.instances = new Set(options.instances);
    this.trafficDistributionGroups = new Set(options.trafficDistributionGroups);
    this.contactFlows = new Map();
    this.reserved = new Set();
    this.sourceNumbers = new Map();
    this.claimReleaseEvents = [];
    this.idempotency = new Map();
  }

  setOptions(options: ResolvedOptions): void {
    this.options = options;
  }

  /** Applies every piece of pending work whose time has come, and returns expired FAILED claims to inventory. */
  settle(now: number = this.clock.now()): void {
    for (const r of this.records) {
      const work = r.pending;
      if (work && work.completesAt !== null && now >= work.completesAt) this.complete(r, work, work.completesAt);
      if (isFailedClaim(r) && r.failedAt !== undefined) {
        const returnsAt = r.failedAt + this.options.failedHoldMs;
        if (now >= returnsAt) {
          // "You have one day to retry claiming the phone number before the number is released back to the inventory."
          r.status = 'RELEASED';
          r.releasedAt = returnsAt;
          r.history.push({ at: returnsAt, event: 'failed-hold-expired' });
        }
      }
    }
  }

  private complete(r: PhoneNumberRecord, work: PendingWork, at: number): void {
    r.pending = undefined;
    if (work.kind === 'release') {
      r.status = 'RELEASED';
      r.statusMessage = undefined;
      r.releasedAt = at;
      r.cooldownUntil = work.cooldownUntil;
      r.history.push({ at, event: 'release-completed' });
      return;
    }
    if (work.failMessage !== undefined) {
      r.status = 'FAILED';
      r.statusMessage = work.failMessage;
      r.failedAt = at;
      r.history.push({ at, event: `${work.kind}-failed`, detail: work.failMessage });
      return;
    }
    if (work.kind === 'update' && work.targetArn) {
      r.targetArn = work.targetArn;
      r.instanceId = work.instanceId;
    }
    if (work.kind === 'metadata' && work.description !== undefined) r.description = work.description ?? undefined;
    r.status = 'CLAIMED';
    r.statusMessage = undefined;
    r.history.push({ at, event: `${work.kind}-completed` });
  }

  /** Why `phoneNumber` cannot be claimed now, or undefined when it can. */
  unavailableReason(phoneNumber: string, now: number = this.clock.now()): string | undefined {
    this.settle(now);
    if (this.reserved.has(phoneNumber)) return 'reserved by another account';
    for (const r of this.records) {
      if (r.phoneNumber !== phoneNumber) continue;
      if (r.status === 'CLAIMED' || r.status === 'IN_PROGRESS') return `held by ${r.id}`;
      if (r.status === 'RELEASED' && r.cooldownUntil !== undefined && now < r.cooldownUntil) return 'in cooldown';
    }
    return undefined;
  }

  /** A record that has not been released, by PhoneNumberId or phone-number ARN. */
  findLive(idOrArn: string, now: number = this.clock.now()): PhoneNumberRecord | undefined {
    this.settle(now);
    return this.records.find((r) => r.status !== 'RELEASED' && (r.id === idOrArn || r.arn === idOrArn));
  }

  /** Like findLive but answers 404 the way the service does. */
  getLive(idOrArn: string, now: number = this.clock.now()): PhoneNumberRecord {
    const record = this.findLive(idOrArn, now);
    if (!record) throw notFound(`Phone number not found: ${idOrArn}`);
    return record;
  }

  instanceArn(instanceId: string, region: string): string {
    return `arn:aws:connect:${region}:${this.options.accountId}:instance/${instanceId}`;
  }

  /**
   * Resolves `TargetArn` / `InstanceId` to the full target ARN. A malformed ARN is
   * a 400; a well-formed one for an unknown target (or another account) is a 404
   * naming it.
   */
  resolveTarget(input: { TargetArn?: unknown; InstanceId?: unknown }, region: string): ResolvedTarget {
    if (typeof input.InstanceId === 'string') {
      const id = input.InstanceId.startsWith('arn:') ? this.parseTargetArn(input.InstanceId, 'InstanceId').id : input.InstanceId;
      if (!this.instances.has(id)) throw notFound(`Instance not found: ${input.InstanceId}`);
      return { targetArn: this.instanceArn(id, region), instanceId: id };
    }
    const arn = String(input.TargetArn);
    const parsed = this.parseTargetArn(arn, 'TargetArn');
    const known = parsed.kind === 'instance' ? this.instances : this.trafficDistributionGroups;
    if (parsed.account !== this.options.accountId || !known.has(parsed.id)) {
      throw notFound(`Target not found: ${arn}`);
    }
    return parsed.kind === 'instance' ? { targetArn: arn, instanceId: parsed.id } : { targetArn: arn };
  }

  private parseTargetArn(arn: string, member: string): { kind: string; account: string; id: string } {
    const m = TARGET_ARN.exec(arn);
    if (!m) {
      throw invalidParameter(
        `${member} must be an Amazon Connect instance or traffic distribution group ARN ` +
          '(arn:<partition>:connect:<region>:<account>:instance/<id> or .../traffic-distribution-group/<id>)',
      );
    }
    return { kind: m[4], account: m[3], id: m[5] };
  }

  /** Creates a record in IN_PROGRESS (or CLAIMED when `completesAt` is now or past). */
  createRecord(args: {
    phoneNumber: string;
    target: ResolvedTarget;
    region: string;
    description?: string;
    tags?: Record<string, string>;
    now: number;
    completesAt: number | null;
    failMessage?: string;
    outOfBand?: boolean;
    sourcePhoneNumberArn?: string;
  }): PhoneNumberRecord {
    const id = randomUUID();
    const record: PhoneNumberRecord = {
      id,
      arn: `arn:aws:connect:${args.region}:${this.options.accountId}:phone-number/${id}`,
      phoneNumber: args.phoneNumber,
      countryCode: countryOf(args.phoneNumber, this.options.inventory),
      type: typeOf(args.phoneNumber, this.options.inventory),
      region: args.region,
      status: 'IN_PROGRESS',
      targetArn: args.target.targetArn,
      instanceId: args.target.instanceId,
      description: args.description,
      tags: { ...(args.tags ?? {}) },
      claimedAt: args.now,
      pending: { kind: 'claim', startedAt: args.now, completesAt: args.completesAt, failMessage: args.failMessage },
      ...(args.sourcePhoneNumberArn !== undefined ? { sourcePhoneNumberArn: args.sourcePhoneNumberArn } : {}),
      outOfBand: args.outOfBand ?? false,
      history: [{ at: args.now, event: args.outOfBand ? 'claimed-out-of-band' : args.sourcePhoneNumberArn ? 'import-requested' : 'claim-requested' }],
    };
    this.records.push(record);
    this.settle(args.now);
    return record;
  }

  /** How many numbers hold a claim on `targetArn` (CLAIMED, IN_PROGRESS, or on their way there by a move). */
  heldBy(targetArn: string, now: number = this.clock.now()): number {
    this.settle(now);
    return this.records.filter(
      (r) =>
        (r.status === 'CLAIMED' || r.status === 'IN_PROGRESS') &&
        (r.pending?.kind === 'update' ? r.pending.targetArn === targetArn : r.targetArn === targetArn),
    ).length;
  }

  /** Accepted claims and releases inside the rolling window ending now. */
  claimReleaseCount(windowMs: number, now: number = this.clock.now()): number {
    return this.claimReleaseEvents.filter((at) => at > now - windowMs && at <= now).length;
  }

  /** The stored answer for (operation, token), if it is still remembered (`memoryMs`: 'forever' or a duration). */
  recall(operation: string, token: string, now: number, memoryMs: number | 'forever'): StoredAnswer | undefined {
    const stored = this.idempotency.get(`${operation}\u0000${token}`);
    if (stored && memoryMs !== 'forever' && now - stored.at >= memoryMs) return undefined;
    return stored;
  }

  remember(operation: string, token: string, answer: StoredAnswer): void {
    this.idempotency.set(`${operation}\u0000${token}`, answer);
  }
}

/** A stable serialisation of the request parameters (key order independent), minus the token. */
export function fingerprintOf(input: Record<string, unknown>): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  const { ClientToken: _ignored, ...rest } = input;
  void _ignored;
  return JSON.stringify(canonical(rest));
}
