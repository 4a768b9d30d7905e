/**
 * Lambda entry points (handler names `index.onEvent` and `index.isComplete`). Module scope builds the
 * Connect client once per container, from the SDK's default configuration, so AWS_REGION, the
 * function's credentials and AWS_ENDPOINT_URL_CONNECT all apply. Retries are the handler's own
 * (retry.ts), so the SDK makes one attempt per call.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import type { Context } from 'aws-lambda';
import { HandlerEnv } from '../lib/shared/contract';
import { Logger } from './logger';
import { ClaimedPhoneNumberEvent, ClaimedPhoneNumberHandler, DEFAULT_SETTINGS, IsCompleteResult, OnEventResult } from './phone-number-handler';

const timeoutSeconds = Number(process.env[HandlerEnv.OPERATION_TIMEOUT_SECONDS]);
const handler = new ClaimedPhoneNumberHandler(new ConnectClient({ maxAttempts: 1 }), new Logger(), {
  ...DEFAULT_SETTINGS,
  operationTimeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : DEFAULT_SETTINGS.operationTimeoutMs,
});

export function onEvent(event: ClaimedPhoneNumberEvent, context: Context): Promise<OnEventResult> {
  return handler.onEvent(event, context);
}

export function isComplete(event: ClaimedPhoneNumberEvent, context: Context): Promise<IsCompleteResult> {
  return handler.isComplete(event, context);
}
