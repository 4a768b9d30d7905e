/** The handler's settings from its function's environment variables (the provider sets them). */
import { HandlerEnv } from '../lib/shared/contract';
import { DEFAULT_SETTINGS, HandlerSettings } from './phone-number-handler';

export function settingsFromEnvironment(environment: { [name: string]: string | undefined }): HandlerSettings {
  const timeoutSeconds = Number(environment[HandlerEnv.OPERATION_TIMEOUT_SECONDS]);
  const ownerScope = environment[HandlerEnv.OWNER_SCOPE];
  return {
    ...DEFAULT_SETTINGS,
    operationTimeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : DEFAULT_SETTINGS.operationTimeoutMs,
    ...(ownerScope ? { ownerScope } : {}),
  };
}
