import { EmulatorVariants } from '../variants';
import { PhoneNumberRecord } from '../state';

/** False while a new claim or a move is not yet visible (visibilityDelayMs variant). */
export function isVisible(record: PhoneNumberRecord, now: number): boolean {
  return record.visibleAt === undefined || now >= record.visibleAt;
}

/** Whether the tags of `record` are shown in its current status (tagsVisibility variant). */
export function tagsVisible(record: PhoneNumberRecord, variants: EmulatorVariants): boolean {
  switch (variants.tagsVisibility) {
    case 'always':
      return true;
    case 'hiddenWhileInProgress':
      return record.status !== 'IN_PROGRESS';
    case 'claimedOnly':
      return record.status === 'CLAIMED';
  }
}

/** Marks a record invisible for the configured delay from `now` (nothing when the delay is 0). */
export function hideFor(record: PhoneNumberRecord, variants: EmulatorVariants, now: number): void {
  record.visibleAt = variants.visibilityDelayMs > 0 ? now + variants.visibilityDelayMs : undefined;
}
