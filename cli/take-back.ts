/**
 * Whether the template in force would take a kept number back on the next deploy: it declares the owner's
 * logical id as a claimed number that asks for this number (by PhoneNumber, or by search criteria the number
 * matches). The handler takes back a kept number its resource asks for instead of claiming another.
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { TemplateResource } from '../lambda/stack-reader';
import { Property, RESOURCE_TYPE } from '../lib/shared/contract';
import { Known, stringProperty, UNKNOWN } from './template-values';

export function wouldTakeBack(resource: TemplateResource | undefined, summary: ClaimedPhoneNumberSummary): Known<boolean> {
  if (resource?.Type !== RESOURCE_TYPE) return false;
  const phoneNumber = stringProperty(resource, Property.PHONE_NUMBER);
  if (phoneNumber === UNKNOWN) return UNKNOWN;
  if (phoneNumber !== undefined) return phoneNumber === summary.PhoneNumber;
  const criteria = [Property.COUNTRY_CODE, Property.TYPE, Property.PREFIX].map((name) => stringProperty(resource, name));
  if (criteria.includes(UNKNOWN)) return UNKNOWN;
  const [country, type, prefix] = criteria as (string | undefined)[];
  if (country === undefined && type === undefined) return false;
  const wantedPrefix = prefix ? `+${prefix.replace(/^\+/, '')}` : '+';
  return summary.PhoneNumberCountryCode === country && summary.PhoneNumberType === type && (summary.PhoneNumber ?? '').startsWith(wantedPrefix);
}
