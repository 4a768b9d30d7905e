/**
 * The rollback cases (rollback-cases.ts) under each undocumented Connect behaviour they depend on: how a
 * ClientToken is treated, whether new numbers show at once, what ListPhoneNumbersV2 lists, whether a release
 * is asynchronous and when tags are visible. One variant at a time, the others as documented or defaulted
 * (emulator/README.md). Every variant value, in every combination the property test draws, also runs in
 * rollback-property.test.ts, in virtual time; this matrix plays the cases end to end, through the real
 * framework code and handler bundle in their own processes.
 *
 * Left out here: variants these cases never reach (token memory of hours or days, FAILED numbers in lists
 * or their release, groups in untargeted lists, empty descriptions, release refusals, the 200% rule's error)
 * and the 15 s visibility delay (the 1 s one takes the same paths); the property test and the handler and
 * emulator suites cover those.
 */
import { EmulatorVariants } from '../../emulator/variants';
import { rollbackCases, useRollbackWorld } from './rollback-cases';

const MATRIX: Partial<EmulatorVariants>[] = [
  { rejectedClaimToken: 'spent' },
  { tokenReuse: 'replayFirstAnswer' },
  { visibilityDelayMs: 1000 },
  { listIncludesInProgress: false },
  { releaseMode: 'asynchronous' },
  { tagsVisibility: 'claimedOnly' },
];

describe.each(MATRIX.map((variants) => [JSON.stringify(variants), variants] as const))('rollback cases with Connect variant %s', (_name, variants) => {
  useRollbackWorld({ emulator: { variants } });
  rollbackCases();
});
