import { UnkeyClient } from '@keyguard/unkey';
import { createKeyServer } from '@keyguard/server';
import { listenError } from './errors.js';
import type { LocalSettings, Settings, UnkeySettings } from './settings.js';

/** Where the demo's keys live: the local key service (started here) or Unkey. */
export interface Backend {
  kind: Settings['kind'];
  /** Undefined for Unkey: the clients' default. */
  baseUrl: string | undefined;
  rootKey: string;
  /** The root key the example API verifies with: on the local service, one that may only verify keys of `apiId`. */
  verifierRootKey: string;
  apiId: string;
  stop(): Promise<void>;
}

/** The local key service in this process, in memory: every run starts empty, and nothing is left on disk. */
async function localBackend(settings: LocalSettings): Promise<Backend> {
  const server = createKeyServer({ database: ':memory:', port: settings.keyServicePort });
  const rootKey = server.bootstrap().rootKey as string;
  let url: string;
  try {
    ({ url } = await server.start());
  } catch (error) {
    await server.stop();
    throw listenError(error, 'the key service', settings.keyServicePort, 'KEYGUARD_PORT');
  }
  const client = new UnkeyClient({ rootKey, baseUrl: url });
  try {
    const { data } = await client.apis.createApi({ name: 'demo-api' });
    // An app needs no more than this; the provider warns about a root key that may do more.
    const verifierRootKey = server.createRootKey([`api.${data.apiId}.verify_key`]);
    return { kind: 'local', baseUrl: url, rootKey, verifierRootKey, apiId: data.apiId, stop: () => server.stop() };
  } finally {
    await client.close();
  }
}

function unkeyBackend(settings: UnkeySettings): Backend {
  const { rootKey, apiId } = settings;
  return { kind: 'unkey', baseUrl: undefined, rootKey, verifierRootKey: rootKey, apiId, stop: async () => {} };
}

export const startBackend = (settings: Settings): Promise<Backend> =>
  settings.kind === 'local' ? localBackend(settings) : Promise.resolve(unkeyBackend(settings));
