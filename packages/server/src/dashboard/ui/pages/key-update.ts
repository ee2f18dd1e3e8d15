import type { VNode } from 'preact';
import { ErrorNote } from '../components.js';
import { html, useState } from '../preact.js';
import type { Session } from '../session.js';
import type { Key } from '../types.js';

/** A unix-ms time as a `datetime-local` value, in local time. */
const localInput = (ms: number | undefined): string => {
  if (ms === undefined) return '';
  const date = new Date(ms);
  return new Date(ms - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * The keys.updateKey body from the form: what changed only. An emptied field clears its value (`null`), as Unkey's
 * updateKey does; meta is JSON.
 */
export function updateKeyBody(record: Key, field: (name: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const expires = field('expires');
  if (expires !== localInput(record.expires)) body.expires = expires ? new Date(expires).getTime() : null;
  const meta = field('meta');
  if (meta !== (record.meta ? JSON.stringify(record.meta) : ''))
    body.meta = meta ? (JSON.parse(meta) as unknown) : null;
  const credits = field('credits');
  const remaining = record.credits?.remaining ?? null;
  if (credits !== (remaining === null ? '' : String(remaining)))
    body.credits = credits
      ? { remaining: Number(credits), ...(record.credits?.refill ? { refill: record.credits.refill } : {}) }
      : null;
  return body;
}

/** Expiry, credits and meta of a key (keys.updateKey); the rest has buttons of its own. */
export function KeyUpdate({
  session,
  record,
  onChanged,
}: {
  session: Session;
  record: Key;
  onChanged: () => void;
}): VNode {
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    try {
      const body = updateKeyBody(record, field);
      if (Object.keys(body).length > 0) await session.call('keys.updateKey', { keyId: record.keyId, ...body });
      setError(undefined);
      onChanged();
    } catch (failure) {
      setError(failure instanceof SyntaxError ? new Error(`Meta is not JSON: ${failure.message}`) : (failure as Error));
    }
  };
  return html`<details>
    <summary>Update expiry, credits or meta</summary>
    <form onSubmit=${submit} autocomplete="off">
      <label>Expires <input name="expires" type="datetime-local" defaultValue=${localInput(record.expires)} /></label>
      <label
        >Credits left
        <input
          name="credits"
          type="number"
          min="0"
          defaultValue=${record.credits?.remaining ?? ''}
          placeholder="unlimited"
      /></label>
      <label>Meta (JSON) <input name="meta" defaultValue=${record.meta ? JSON.stringify(record.meta) : ''} /></label>
      <button type="submit">Update key</button>
    </form>
    <${ErrorNote} error=${error} />
  </details>`;
}
