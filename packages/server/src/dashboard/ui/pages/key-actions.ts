import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { ErrorNote, ShownOnce } from '../components.js';
import type { Session } from '../session.js';
import type { Key } from '../types.js';

/** Disable or enable, rename, reroll with a grace period, delete: each a `/v2/keys.*` call with the root key. */
export function KeyActions({
  session,
  record,
  onChanged,
}: {
  session: Session;
  record: Key;
  onChanged: () => void;
}): VNode {
  const [error, setError] = useState<Error | undefined>();
  const [secret, setSecret] = useState<string | undefined>();
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const run = async (operation: string, body: object, after?: (data: never) => void, reload = true) => {
    try {
      const answer = await session.call(operation, { keyId: record.keyId, ...body });
      setError(undefined);
      after?.(answer.data as never);
      if (reload) onChanged();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const rename = (event: Event) => {
    event.preventDefault();
    const name = ((event.currentTarget as HTMLFormElement).elements.namedItem('name') as HTMLInputElement).value.trim();
    void run('keys.updateKey', { name: name || null });
  };
  const reroll = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('grace') as HTMLInputElement;
    const expiration = Math.round(Number(input.value || 0) * 60_000);
    void run('keys.rerollKey', { expiration }, (data: { key: string }) => setSecret(data.key));
  };
  if (deleted) return html`<p role="status">The key was deleted: it no longer verifies.</p>`;
  return html`<div class="actions">
    ${secret && html`<${ShownOnce} secret=${secret} onDone=${() => setSecret(undefined)} />`}
    <button type="button" onClick=${() => run('keys.updateKey', { enabled: !record.enabled })}>
      ${record.enabled ? 'Disable key' : 'Enable key'}
    </button>
    <form class="inline" onSubmit=${rename}>
      <label for="rename">Name</label>
      <input id="rename" name="name" defaultValue=${record.name ?? ''} />
      <button type="submit">Rename</button>
    </form>
    <form class="inline" onSubmit=${reroll}>
      <label for="grace">Reroll: old key valid for (minutes)</label>
      <input id="grace" name="grace" type="number" min="0" defaultValue="60" />
      <button type="submit">Reroll key</button>
    </form>
    ${
      deleting
        ? html`<span role="group" aria-label="Confirm deletion">
            <button
              type="button"
              class="danger"
              onClick=${() => run('keys.deleteKey', {}, () => setDeleted(true), false)}
            >
              Really delete
            </button>
            <button type="button" onClick=${() => setDeleting(false)}>Keep it</button>
          </span>`
        : html`<button type="button" class="danger" onClick=${() => setDeleting(true)}>Delete key</button>`
    }
    <${ErrorNote} error=${error} />
  </div>`;
}
