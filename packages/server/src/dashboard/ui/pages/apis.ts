import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { ErrorNote, Loading } from '../components.js';
import { formatTime } from '../format.js';
import { href, useLoad } from '../hooks.js';
import type { Session } from '../session.js';
import type { ApiSummary } from '../types.js';

function CreateApi({ session, onCreated }: { session: Session; onCreated: () => void }): VNode {
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    try {
      await session.call('apis.createApi', { name });
      form.reset();
      setError(undefined);
      onCreated();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return html`<form class="inline" onSubmit=${submit}>
    <label for="api-name">New API name</label>
    <input id="api-name" name="name" required minlength="3" maxlength="255" />
    <button type="submit">Create API</button>
    <${ErrorNote} error=${error} />
  </form>`;
}

/** The workspace's APIs this root key may read (keyguard.listApis), and a form for a new one. */
export function ApisPage({ session }: { session: Session }): VNode {
  const apis = useLoad(() => session.call<ApiSummary[]>('keyguard.listApis').then((answer) => answer.data), []);
  return html`<section>
    <h1>APIs</h1>
    <${CreateApi} session=${session} onCreated=${apis.reload} />
    <${Loading} when=${apis.loading && !apis.data} />
    <${ErrorNote} error=${apis.error} />
    ${
      apis.data &&
      (apis.data.length === 0
        ? html`<p class="muted">No API yet: create one above.</p>`
        : html`<table>
            <caption class="visually-hidden">
              APIs
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              ${apis.data.map(
                (api) =>
                  html`<tr>
                    <td><a href=${href('apis', api.id)}>${api.name}</a></td>
                    <td><code>${api.id}</code></td>
                    <td>${formatTime(api.createdAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
    <p class="muted">
      Clerk API keys (<code>/v1/api_keys</code>) are not listed here: Clerk's routes take the Clerk secret key, not a
      root key. Their verifications do show on the live page.
    </p>
  </section>`;
}
