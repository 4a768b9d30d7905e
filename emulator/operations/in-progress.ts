import { resourceInUse } from '../errors';
import { PhoneNumberRecord } from '../state';

/** ResourceInUse when Claim/Update/UpdateMetadata/Release work is still running on the number. */
export function assertNotInProgress(record: PhoneNumberRecord): void {
  if (record.status === 'IN_PROGRESS') {
    throw resourceInUse(
      `Phone number ${record.id} has an operation in progress (${record.pending?.kind ?? 'unknown'}); retry after it completes`,
      record.arn,
    );
  }
}
