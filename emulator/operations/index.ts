import { OperationHandler } from './context';
import { associatePhoneNumberContactFlow, disassociatePhoneNumberContactFlow } from './contact-flows';
import { listPhoneNumbersV2, searchAvailablePhoneNumbers } from './list-search';
import { claimPhoneNumber } from './claim';
import { importPhoneNumber } from './import';
import { describePhoneNumber, updatePhoneNumber, updatePhoneNumberMetadata } from './phone-numbers';
import { releasePhoneNumber } from './release';
import { listTagsForResource, tagResource, untagResource } from './tags';

/** Handler per model operation name. */
export const handlers: Readonly<Record<string, OperationHandler>> = {
  ClaimPhoneNumber: claimPhoneNumber,
  ImportPhoneNumber: importPhoneNumber,
  DescribePhoneNumber: describePhoneNumber,
  ReleasePhoneNumber: releasePhoneNumber,
  UpdatePhoneNumber: updatePhoneNumber,
  UpdatePhoneNumberMetadata: updatePhoneNumberMetadata,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  ListPhoneNumbersV2: listPhoneNumbersV2,
  SearchAvailablePhoneNumbers: searchAvailablePhoneNumbers,
  AssociatePhoneNumberContactFlow: associatePhoneNumberContactFlow,
  DisassociatePhoneNumberContactFlow: disassociatePhoneNumberContactFlow,
};

/** Operations whose ClientToken makes retries safe (key = operation + token). */
export const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set([
  'ClaimPhoneNumber',
  'ImportPhoneNumber',
  'ReleasePhoneNumber',
  'UpdatePhoneNumber',
  'UpdatePhoneNumberMetadata',
]);
