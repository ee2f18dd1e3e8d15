import { DemoError } from './errors.js';

export interface LocalSettings {
  kind: 'local';
  /** The key service's port: KEYGUARD_PORT, default 8787 (the `keyguard` CLI's default). */
  keyServicePort: number;
  /** The example API's port: PORT, default 3000. */
  apiPort: number;
}

export interface UnkeySettings {
  kind: 'unkey';
  rootKey: string;
  apiId: string;
  apiPort: number;
}

export type Settings = LocalSettings | UnkeySettings;

function port(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const text = env[variable];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new DemoError('DEMO_BAD_SETTING', `${variable} must be a port number 0..65535, got "${text}"`);
  return value;
}

/** What the demo runs against, from the environment; `check` uses free ports so it never collides. */
export function settingsFrom(env: NodeJS.ProcessEnv, check: boolean): Settings {
  const apiPort = check ? 0 : port(env, 'PORT', 3000);
  if (env.UNKEY_ROOT_KEY) {
    if (!env.UNKEY_API_ID) {
      throw new DemoError(
        'DEMO_MISSING_SETTING',
        'UNKEY_ROOT_KEY is set, so the demo uses Unkey itself: also set UNKEY_API_ID to the API (api_…) its keys go in, or unset UNKEY_ROOT_KEY for the local key service',
      );
    }
    return { kind: 'unkey', rootKey: env.UNKEY_ROOT_KEY, apiId: env.UNKEY_API_ID, apiPort };
  }
  return { kind: 'local', keyServicePort: check ? 0 : port(env, 'KEYGUARD_PORT', 8787), apiPort };
}
