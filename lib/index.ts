export * from './claimed-phone-number';
export { ClaimedPhoneNumberProviderOptions } from './claimed-phone-number-provider';
export * from './phone-number-search';
