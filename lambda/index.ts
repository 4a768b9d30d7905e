/**
 * Lambda entry points (handler names `index.onEvent` and `index.isComplete`). Module scope builds the
 * Connect client once per container (connect-client.ts: default configuration, one attempt per call,
 * connection and request timeouts).
 */
import type { Context } from 'aws-lambda';
import { HandlerEnv } from '../lib/shared/contract';
import { createConnectClient } from './connect-client';
import { Logger } from './logger';
import { ClaimedPhoneNumberEvent, ClaimedPhoneNumberHandler, DEFAULT_SETTINGS, IsCompleteResult, OnEventResult } from './phone-number-handler';

const timeoutSeconds = Number(process.env[HandlerEnv.OPERATION_TIMEOUT_SECONDS]);
const handler = new ClaimedPhoneNumberHandler(createConnectClient(), new Logger(), {
  ...DEFAULT_SETTINGS,
  operationTimeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : DEFAULT_SETTINGS.operationTimeoutMs,
});

export function onEvent(event: ClaimedPhoneNumberEvent, context: Context): Promise<OnEventResult> {
  return handler.onEvent(event, context);
}

export function isComplete(event: ClaimedPhoneNumberEvent, context: Context): Promise<IsCompleteResult> {
  return handler.isComplete(event, context);
}
