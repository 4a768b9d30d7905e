export * from './claimed-phone-number';
export * from './phone-number-search';
