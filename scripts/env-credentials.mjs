// Stands in for @aws-sdk/credential-provider-node inside the handler bundle (see build-handler.mjs).
// Lambda always hands a function its role's credentials as environment variables, so the rest of the
// default chain (SSO, INI files, STS web identity, container and instance metadata, each with nested
// clients) is never used there, yet it is a fifth of the bundle and of its load time.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init) => fromEnv(init);
