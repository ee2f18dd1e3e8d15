import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { listAll } from '../api.js';
import { ErrorNote, Loading } from '../components.js';
import { formatDuration } from '../format.js';
import { useLoad } from '../hooks.js';
import type { Session } from '../session.js';
import type { Override } from '../types.js';

function Overrides({ session, namespace }: { session: Session; namespace: string }): VNode {
  const [error, setError] = useState<Error | undefined>();
  const overrides = useLoad(
    () => listAll<Override>(session.call, 'ratelimit.listOverrides', { namespace }),
    [namespace],
  );
  const act = async (operation: string, body: object) => {
    try {
      await session.call(operation, { namespace, ...body });
      setError(undefined);
      overrides.reload();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    void act('ratelimit.setOverride', {
      identifier: field('identifier'),
      limit: Number(field('limit')),
      duration: Number(field('duration')),
    });
  };
  return html`<div>
    <h2>Overrides of <code>${namespace}</code></h2>
    <${Loading} when=${overrides.loading && !overrides.data} />
    <${ErrorNote} error=${overrides.error ?? error} />
    ${
      overrides.data &&
      (overrides.data.length === 0
        ? html`<p class="muted">No override: every identifier gets the limit its caller asks for.</p>`
        : html`<table>
            <caption class="visually-hidden">
              Overrides
            </caption>
            <thead>
              <tr>
                <th scope="col">Identifier</th>
                <th scope="col">Limit</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${overrides.data.map(
                (override) =>
                  html`<tr>
                    <td><code>${override.identifier}</code></td>
                    <td>${override.limit} per ${formatDuration(override.duration)}</td>
                    <td>
                      <button
                        type="button"
                        onClick=${() => act('ratelimit.deleteOverride', { identifier: override.identifier })}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
    <form onSubmit=${submit} autocomplete="off">
      <label>Identifier (or pattern with *) <input name="identifier" required /></label>
      <label>Requests <input name="limit" type="number" min="0" required /></label>
      <label>per (ms) <input name="duration" type="number" min="1000" defaultValue="60000" required /></label>
      <button type="submit">Set override</button>
    </form>
  </div>`;
}

/**
 * A rate-limit namespace's overrides (ratelimit.listOverrides, setOverride, deleteOverride). Unkey's API v2 has no
 * list of namespaces, so the namespace is typed in.
 */
export function RatelimitsPage({ session }: { session: Session }): VNode {
  const [namespace, setNamespace] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('namespace') as HTMLInputElement;
    setNamespace(input.value.trim());
  };
  return html`<section>
    <h1>Rate limits</h1>
    <p>
      Namespaces are created by their first <code>ratelimit.limit</code> call; type one's name to see its overrides.
    </p>
    <form class="inline" onSubmit=${submit}>
      <label for="namespace">Namespace</label>
      <input id="namespace" name="namespace" required />
      <button type="submit">Show overrides</button>
    </form>
    ${namespace && html`<${Overrides} session=${session} namespace=${namespace} />`}
  </section>`;
}
