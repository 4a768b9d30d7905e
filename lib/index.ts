export * from './claimed-phone-number';
