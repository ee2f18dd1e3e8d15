import type { KeyCredits, KeyResponseData } from '@keyguard/unkey';
import { table } from '../output.js';

const KEY_TABLE_HEADER = ['KEY ID', 'START', 'NAME', 'STATUS', 'PERMISSIONS', 'CREDITS', 'EXPIRES'] as const;

/** `unlimited`, `12`, or `12 (+100 monthly)` when the credits refill. */
function creditsCell(credits: KeyCredits | undefined): string {
  if (!credits || credits.remaining === null) return 'unlimited';
  return credits.refill
    ? `${credits.remaining} (+${credits.refill.amount} ${credits.refill.interval})`
    : String(credits.remaining);
}

/** Minutes are the finest grain anyone reads an expiry at in a terminal. */
const expiresCell = (expires: number | undefined): string =>
  expires === undefined ? 'never' : `${new Date(expires).toISOString().slice(0, 16).replace('T', ' ')}Z`;

/** The keys of `apis list-keys` as an aligned table with a header row (never a key: only its `start`). */
export function keyTable(keys: readonly KeyResponseData[]): string {
  return table(
    KEY_TABLE_HEADER,
    keys.map((key) => [
      key.keyId,
      key.start,
      key.name ?? '-',
      key.enabled ? 'enabled' : 'disabled',
      key.permissions && key.permissions.length > 0 ? key.permissions.join(',') : '-',
      creditsCell(key.credits),
      expiresCell(key.expires),
    ]),
  );
}
