import { shapes } from './model';

/**
 * An error the emulator answers with, in the shape the real rest-json service
 * uses: HTTP status from the model's error shape, `x-amzn-ErrorType: <Shape>`
 * and a JSON body with `Message` (plus any extra members of the error shape).
 */
export class ApiError extends Error {
  readonly type: string;
  readonly httpStatus: number;
  readonly extra: Record<string, unknown>;
  /**
   * 'service': `{ Message }` from the Connect service. 'gateway': `{ message }`, the way the API Gateway
   * in front of it answers when it refuses a request itself (throttle, integration timeout).
   */
  readonly origin: 'service' | 'gateway';

  constructor(type: string, message: string, extra: Record<string, unknown> = {}, httpStatus?: number, origin: 'service' | 'gateway' = 'service') {
    super(message);
    this.type = type;
    // Non-model errors (UnknownOperationException, SerializationException) carry their own status.
    this.httpStatus = httpStatus ?? shapes[type]?.httpStatus ?? 400;
    this.extra = extra;
    this.origin = origin;
  }

  body(): Record<string, unknown> {
    return this.origin === 'gateway' ? { message: this.message } : { Message: this.message, ...this.extra };
  }
}

export const invalidParameter = (message: string): ApiError => new ApiError('InvalidParameterException', message);

export const notFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', message);

export const resourceInUse = (message: string, resourceId: string): ApiError =>
  new ApiError('ResourceInUseException', message, { ResourceType: 'PHONE_NUMBER', ResourceId: resourceId });

export const idempotencyConflict = (operation: string): ApiError =>
  new ApiError(
    'IdempotencyException',
    `The ClientToken was already used for a ${operation} request with different parameters`,
  );

export const throttled = (message = 'Rate exceeded'): ApiError => new ApiError('ThrottlingException', message);

export const internalError = (message = 'Request processing failed because of an internal error'): ApiError =>
  new ApiError('InternalServiceException', message);

/** The API Gateway's own throttle answer (no Connect error shape), as handlers in the wild check for. */
export const gatewayTooManyRequests = (message = 'Too Many Requests'): ApiError =>
  new ApiError('TooManyRequestsException', message, {}, 429, 'gateway');

/** The API Gateway's answer when the service behind it did not answer in time. */
export const gatewayTimeout = (message = 'Endpoint request timed out'): ApiError =>
  new ApiError('GatewayTimeoutException', message, {}, 504, 'gateway');

/** Not in the phone-number model excerpt; status as in the full Connect model (the SDK knows both shapes). */
export const serviceQuotaExceeded = (message: string): ApiError =>
  new ApiError('ServiceQuotaExceededException', message, {}, 402);

export const limitExceeded = (message: string): ApiError => new ApiError('LimitExceededException', message, {}, 429);

export const accessDeniedMessage = (message: string): ApiError => new ApiError('AccessDeniedException', message);

export const unknownOperation = (method: string, path: string): ApiError =>
  new ApiError('UnknownOperationException', `No operation matches ${method} ${path}`, {}, 404);

export const serializationError = (message: string): ApiError =>
  new ApiError('SerializationException', message, {}, 400);
