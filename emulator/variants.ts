/**
 * Behaviours no public source settles, each as a named variant with the plausible answers the real
 * service might give. The defaults keep what the emulator did before variants existed (the behaviour
 * the construct's handler was written against), except releaseInUseWhen, whose old behaviour (a flow
 * association blocks a release) the admin guide contradicts. Every value is reachable from tests
 * (`startConnectEmulator({ variants })`), the CLI (`--variant name=value`) and the control surface
 * (`POST /__emulator/variants`). See README.md for the evidence behind each default.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface VariantSpec<T> {
  /** The values a matrix run goes through; the first is the default. */
  readonly values: readonly T[];
  readonly default: T;
  /** Durations also accept any other non-negative number of milliseconds. */
  readonly anyDuration?: boolean;
  /** The open question, in one line. */
  readonly question: string;
}

function variant<T>(values: readonly T[], question: string, anyDuration = false): VariantSpec<T> {
  return { values, default: values[0], question, ...(anyDuration ? { anyDuration } : {}) };
}

/** Every variant: its allowed values (default first) and the question it answers. */
export const EMULATOR_VARIANTS = {
  rejectedClaimToken: variant(
    ['reusable', 'spent'] as const,
    'Is the ClientToken of a refused ClaimPhoneNumber spent (a retry replays the refusal) or free for a new attempt?',
  ),
  tokenReuse: variant(
    ['idempotencyException', 'replayFirstAnswer'] as const,
    'The same ClientToken with other parameters: IdempotencyException, or the answer to the first request?',
  ),
  tokenMemoryMs: variant<number | 'forever'>(
    ['forever', 8 * HOUR_MS, 7 * DAY_MS],
    'How long a ClientToken is remembered.',
    true,
  ),
  visibilityDelayMs: variant<number>(
    [0, 1000, 15_000],
    'How long a new claim or a moved number is invisible to DescribePhoneNumber (404) and ListPhoneNumbersV2.',
    true,
  ),
  listIncludesInProgress: variant([true, false] as const, 'Does ListPhoneNumbersV2 list IN_PROGRESS numbers?'),
  listIncludesFailed: variant([false, true] as const, 'Does ListPhoneNumbersV2 list FAILED numbers?'),
  listWithoutTargetIncludesTdgNumbers: variant(
    [true, false] as const,
    'Without InstanceId or TargetArn, does ListPhoneNumbersV2 list numbers claimed to traffic distribution groups?',
  ),
  releaseFailedNumber: variant(
    ['accept', 'invalidParameter', 'resourceNotFound'] as const,
    'Does ReleasePhoneNumber accept a FAILED number, or refuse it (and with which error)?',
  ),
  releaseMode: variant(
    ['synchronous', 'asynchronous'] as const,
    'Is a release done when ReleasePhoneNumber answers, or IN_PROGRESS for releaseLatencyMs and then NotFound?',
  ),
  emptyDescriptionUpdate: variant(
    ['clears', 'refused', 'ignored'] as const,
    'UpdatePhoneNumberMetadata with PhoneNumberDescription "": clears it, InvalidParameterException, or no change?',
  ),
  releaseInUseWhen: variant(
    ['operationInProgress', 'operationInProgressOrFlowAssociation'] as const,
    'What makes ReleasePhoneNumber answer ResourceInUseException?',
  ),
  tagsVisibility: variant(
    ['always', 'hiddenWhileInProgress', 'claimedOnly'] as const,
    'Are tags visible (DescribePhoneNumber, ListTagsForResource) while a number is IN_PROGRESS or FAILED?',
  ),
  budgetExceededError: variant(
    ['serviceQuotaExceeded', 'limitExceeded', 'invalidParameter', 'accessDenied', 'claimFailed'] as const,
    'How a claim blocked by the 200% claim/release rule fails.',
  ),
} as const;

export type VariantName = keyof typeof EMULATOR_VARIANTS;

/** One value per variant. Durations are any non-negative number of milliseconds. */
export interface EmulatorVariants {
  rejectedClaimToken: 'reusable' | 'spent';
  tokenReuse: 'idempotencyException' | 'replayFirstAnswer';
  tokenMemoryMs: number | 'forever';
  visibilityDelayMs: number;
  listIncludesInProgress: boolean;
  listIncludesFailed: boolean;
  listWithoutTargetIncludesTdgNumbers: boolean;
  releaseFailedNumber: 'accept' | 'invalidParameter' | 'resourceNotFound';
  releaseMode: 'synchronous' | 'asynchronous';
  emptyDescriptionUpdate: 'clears' | 'refused' | 'ignored';
  releaseInUseWhen: 'operationInProgress' | 'operationInProgressOrFlowAssociation';
  tagsVisibility: 'always' | 'hiddenWhileInProgress' | 'claimedOnly';
  budgetExceededError: 'serviceQuotaExceeded' | 'limitExceeded' | 'invalidParameter' | 'accessDenied' | 'claimFailed';
}

export const VARIANT_NAMES = Object.keys(EMULATOR_VARIANTS) as VariantName[];

export const DEFAULT_VARIANTS: Readonly<EmulatorVariants> = Object.freeze(
  Object.fromEntries(VARIANT_NAMES.map((name) => [name, EMULATOR_VARIANTS[name].default])) as unknown as EmulatorVariants,
);

function isAllowed(name: VariantName, value: unknown): boolean {
  const spec: VariantSpec<unknown> = EMULATOR_VARIANTS[name];
  if (spec.values.includes(value)) return true;
  return spec.anyDuration === true && typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Checks names and values (a typo must not silently fall back to the default) and fills in defaults. */
export function resolveVariants(partial: Partial<EmulatorVariants> = {}, base: EmulatorVariants = DEFAULT_VARIANTS): EmulatorVariants {
  for (const [name, value] of Object.entries(partial)) {
    if (!(name in EMULATOR_VARIANTS)) {
      throw new Error(`Unknown emulator variant ${name}; expected one of ${VARIANT_NAMES.join(', ')}`);
    }
    if (value !== undefined && !isAllowed(name as VariantName, value)) {
      const spec: VariantSpec<unknown> = EMULATOR_VARIANTS[name as VariantName];
      throw new Error(
        `Variant ${name} cannot be ${JSON.stringify(value)}; expected one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}` +
          (spec.anyDuration ? ' or any non-negative number of milliseconds' : ''),
      );
    }
  }
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
}

/** Emulator options (`{ variants }`) for one combination; unnamed variants keep their defaults. */
export function variantOptions(combination: Partial<EmulatorVariants>): { variants: EmulatorVariants } {
  return { variants: resolveVariants(combination) };
}

/** One variant set to one value. */
export interface VariantChoice {
  readonly name: VariantName;
  readonly value: EmulatorVariants[VariantName];
  /** A label for test names, e.g. `releaseMode=asynchronous`. */
  readonly label: string;
  readonly combination: Partial<EmulatorVariants>;
}

/**
 * Each listed value of each variant on its own, everything else at its default: the matrix a suite runs
 * to see which single open question its behaviour depends on (defaults included once, as `defaults`).
 */
export function eachVariantValue(names: readonly VariantName[] = VARIANT_NAMES): VariantChoice[] {
  const choices: VariantChoice[] = [];
  for (const name of names) {
    for (const value of EMULATOR_VARIANTS[name].values) {
      if (value === EMULATOR_VARIANTS[name].default) continue;
      choices.push({ name, value, label: `${name}=${String(value)}`, combination: { [name]: value } });
    }
  }
  return choices;
}

/** Every combination of the listed values of `names` (the full cartesian product; keep `names` short). */
export function variantMatrix(names: readonly VariantName[]): Array<Partial<EmulatorVariants>> {
  let combinations: Array<Partial<EmulatorVariants>> = [{}];
  for (const name of names) {
    const values: readonly unknown[] = EMULATOR_VARIANTS[name].values;
    combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [name]: value })));
  }
  return combinations;
}

/** Parses `name=value` (CLI): numbers and booleans by their text, anything else as a string. */
export function parseVariantAssignment(text: string): Partial<EmulatorVariants> {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--variant needs name=value, got ${text}`);
  const name = text.slice(0, at);
  const raw = text.slice(at + 1);
  const value: unknown = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  const partial = { [name]: value } as Partial<EmulatorVariants>;
  resolveVariants(partial);
  return partial;
}
