/** Public API of the Amazon Connect phone-number emulator. */
export { startConnectEmulator, ConnectEmulator } from './emulator';
export type { OutOfBandClaim, FaultControl } from './emulator';
export type { CallRecord } from './call-log';
export type { FaultSpec, FaultKind } from './faults';
export { FAULT_KINDS } from './faults';
export type { ClaimReleaseBudgetOptions, ConnectEmulatorOptions, InventoryNumber, RateLimitOptions, ResolvedOptions } from './options';
export { DAY_MS, DEFAULT_CLAIMED_NUMBER_LIMIT, DEFAULT_INSTANCE_ID, defaultInventory } from './options';
export type { EmulatorVariants, VariantChoice, VariantName } from './variants';
export {
  DEFAULT_VARIANTS,
  EMULATOR_VARIANTS,
  eachVariantValue,
  parseVariantAssignment,
  VARIANT_NAMES,
  variantMatrix,
  variantOptions,
} from './variants';
export { CLAIM_RELEASE_BUDGET_MESSAGE, CLAIMED_NUMBER_LIMIT_MESSAGE, notAvailableMessage, tdgClaimNotFoundMessage } from './operations/claim';
export type { PhoneNumberRecord, NumberStatus, HistoryEntry, PendingWork } from './state';
export { CONTROL_PREFIX } from './control';
export type { PolicyStatement, IamPolicies } from './iam';
export { evaluate as evaluatePolicy, requiredResources, wildcardMatch } from './iam';
