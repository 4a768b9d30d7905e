/** The type of a phone number, as Connect's SearchAvailablePhoneNumbers takes it. */
export enum PhoneNumberType {
  /** A toll-free number. */
  TOLL_FREE = 'TOLL_FREE',
  /** A direct inward dialing (local) number. */
  DID = 'DID',
  /** A universal international freephone number. */
  UIFN = 'UIFN',
  /** A number shared with other customers. */
  SHARED = 'SHARED',
  /** A toll-free number from a third-party carrier. */
  THIRD_PARTY_TF = 'THIRD_PARTY_TF',
  /** A direct inward dialing number from a third-party carrier. */
  THIRD_PARTY_DID = 'THIRD_PARTY_DID',
  /** A short code. */
  SHORT_CODE = 'SHORT_CODE',
}

/**
 * Criteria to search for an available number and claim it, instead of naming the number.
 */
export interface PhoneNumberSearch {
  /**
   * The ISO 3166-1 alpha-2 country code, for example `US`.
   */
  readonly countryCode: string;

  /**
   * The type of number. (Named `type` before 0.2.0: `type` is a reserved word in Go and a builtin in
   * Python, so jsii could not publish it safely.)
   */
  readonly numberType: PhoneNumberType;

  /**
   * The start of the number, "+" and the country code included, for example `+1206`.
   *
   * @default - any number of the country and type
   */
  readonly prefix?: string;
}
