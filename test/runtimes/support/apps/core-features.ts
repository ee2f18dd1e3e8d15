import { createVerifier } from '@keyguard/core';
import { runtime } from '@keyguard/core/runtime';
import { inMemoryProvider } from '../../../support/in-memory-provider.js';

// What the build of core this runtime's export conditions pick keeps of Node's: a synchronous digest, so a cache hit
// is answered without a promise (`verifyCached`), and OpenTelemetry found without being asked for when the app has
// `@opentelemetry/api` installed (this workspace has). Prints `result <JSON>`; the key is a constant, not a secret.
const KEY = 'sk_custom_features_1';
const verifier = createVerifier({
  provider: inMemoryProvider({ [KEY]: { id: 'key_features', permissions: [] } }),
  telemetry: false,
});
const verified = await verifier.verify(KEY);
const result = {
  valid: verified.valid,
  digestIsSynchronous: typeof runtime.digest(KEY) === 'string',
  cacheHitWithoutPromise: verifier.verifyCached(KEY)?.source ?? null,
  findsOpenTelemetry: runtime.findTelemetry?.() !== undefined,
};
await verifier.close();
console.log(`result ${JSON.stringify(result)}`);
