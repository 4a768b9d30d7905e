/**
 * Lambda entry points (handler names `index.onEvent` and `index.isComplete`). Module scope builds the
 * Connect client once per container (connect-client.ts: default configuration, one attempt per call,
 * connection and request timeouts).
 */
import type { Context } from 'aws-lambda';
import { createConnectClient } from './connect-client';
import { settingsFromEnvironment } from './handler-settings';
import { Logger } from './logger';
import { ClaimedPhoneNumberEvent, ClaimedPhoneNumberHandler, IsCompleteResult, OnEventResult } from './phone-number-handler';

const handler = new ClaimedPhoneNumberHandler(createConnectClient(), new Logger(), settingsFromEnvironment(process.env));

export function onEvent(event: ClaimedPhoneNumberEvent, context: Context): Promise<OnEventResult> {
  return handler.onEvent(event, context);
}

export function isComplete(event: ClaimedPhoneNumberEvent, context: Context): Promise<IsCompleteResult> {
  return handler.isComplete(event, context);
}
