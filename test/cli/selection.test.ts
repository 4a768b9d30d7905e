/** What `release` chooses: by state and by name, never an in-use number, never one whose stack is mid-operation. */
import { parseArgs } from '../../cli/args';
import { InventoryEntry } from '../../cli/classify';
import { UsageError } from '../../cli/errors';
import { busyForRelease, selectForRelease } from '../../cli/selection';
import { NumberState } from '../../cli/states';

const entry = (phoneNumber: string, state: NumberState, stackStatus = 'UPDATE_COMPLETE'): InventoryEntry => ({
  phoneNumber,
  phoneNumberArn: `arn:aws:connect:us-east-1:123456789012:phone-number/${phoneNumber.slice(1)}`,
  phoneNumberId: phoneNumber.slice(1),
  status: 'CLAIMED',
  target: 'instance-1',
  stackName: 'Numbers',
  logicalId: `L${phoneNumber.slice(-3)}`,
  state,
  reason: `${state} for a test`,
  stackStatus,
  drift: null,
});
const ENTRIES = [entry('+12065550100', 'in-use'), entry('+12065550101', 'kept'), entry('+12065550102', 'retained'), entry('+12065550103', 'orphaned')];

test('--state chooses the numbers in those states', () => {
  expect(selectForRelease(parseArgs(['release', '--state', 'kept,orphaned']), ENTRIES).map((e) => e.phoneNumber)).toEqual(['+12065550101', '+12065550103']);
});

test('numbers named by number or ARN are chosen with those of the states', () => {
  const args = parseArgs(['release', '--state', 'orphaned', '+12065550101', ENTRIES[2].phoneNumberArn]);
  expect(selectForRelease(args, ENTRIES).map((e) => e.phoneNumber)).toEqual(['+12065550101', '+12065550102', '+12065550103']);
});

test('a kept number whose stack is being deployed is left out of a --state release', () => {
  const busy = [entry('+12065550101', 'kept', 'UPDATE_IN_PROGRESS'), entry('+12065550103', 'orphaned')];
  const args = parseArgs(['release', '--state', 'kept,orphaned']);
  expect(selectForRelease(args, busy).map((e) => e.phoneNumber)).toEqual(['+12065550103']);
  expect(busyForRelease(args, busy).map((e) => e.phoneNumber)).toEqual(['+12065550101']);
});

test('naming a number whose stack is being deployed is refused', () => {
  const busy = [entry('+12065550101', 'kept', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS')];
  expect(() => selectForRelease(parseArgs(['release', '+12065550101']), busy)).toThrow(UsageError);
});
