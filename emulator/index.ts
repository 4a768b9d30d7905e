/** Public API of the Amazon Connect phone-number emulator. */
export { startConnectEmulator, ConnectEmulator } from './emulator';
export type { OutOfBandClaim, FaultControl } from './emulator';
export type { CallRecord } from './call-log';
export type { FaultSpec, FaultKind } from './faults';
export { FAULT_KINDS } from './faults';
export type { ConnectEmulatorOptions, InventoryNumber, RateLimitOptions, ResolvedOptions } from './options';
export { DEFAULT_INSTANCE_ID, defaultInventory } from './options';
export type { PhoneNumberRecord, NumberStatus, HistoryEntry, PendingWork } from './state';
export { CONTROL_PREFIX } from './control';
export type { PolicyStatement, IamPolicies } from './iam';
export { evaluate as evaluatePolicy, requiredResources, wildcardMatch } from './iam';
