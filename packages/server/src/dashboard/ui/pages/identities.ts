import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { listAll } from '../api.js';
import { ErrorNote, Facts, Json, Loading } from '../components.js';
import { formatDuration } from '../format.js';
import { href, useLoad } from '../hooks.js';
import type { Session } from '../session.js';
import type { Identity } from '../types.js';

function CreateIdentity({ session, onCreated }: { session: Session; onCreated: () => void }): VNode {
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const limit = field('limit');
    try {
      await session.call('identities.createIdentity', {
        externalId: field('externalId'),
        ...(limit
          ? {
              ratelimits: [
                {
                  name: field('limitName') || 'requests',
                  limit: Number(limit),
                  duration: Number(field('duration') || 60_000),
                  autoApply: true,
                },
              ],
            }
          : {}),
      });
      form.reset();
      setError(undefined);
      onCreated();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return html`<details>
    <summary>Create an identity</summary>
    <form onSubmit=${submit} autocomplete="off">
      <label>External id <input name="externalId" required minlength="3" /></label>
      <label>Shared rate limit name <input name="limitName" placeholder="requests" /></label>
      <label>Requests <input name="limit" type="number" min="1" /></label>
      <label>per (ms) <input name="duration" type="number" min="1000" placeholder="60000" /></label>
      <button type="submit">Create identity</button>
    </form>
    <${ErrorNote} error=${error} />
  </details>`;
}

function IdentityDetail({ session, identityId }: { session: Session; identityId: string }): VNode {
  const identity = useLoad(
    () => session.call<Identity>('identities.getIdentity', { identity: identityId }).then((answer) => answer.data),
    [identityId],
  );
  return html`<section>
    <p><a href=${href('identities')}>Identities</a> /</p>
    <h1>${identity.data?.externalId ?? identityId}</h1>
    <${Loading} when=${identity.loading && !identity.data} />
    <${ErrorNote} error=${identity.error} />
    ${
      identity.data &&
      html`<${Facts}
          rows=${[
            ['Id', html`<code>${identity.data.id}</code>`],
            ['External id', identity.data.externalId],
          ]}
        />
        <h2>Shared rate limits</h2>
        <p class="muted">Every key of this identity draws on these.</p>
        ${
          identity.data.ratelimits?.length
            ? html`<ul>
                ${identity.data.ratelimits.map(
                  (limit) =>
                    html`<li><strong>${limit.name}</strong>: ${limit.limit} per ${formatDuration(limit.duration)}</li>`,
                )}
              </ul>`
            : html`<p class="muted">none</p>`
        }
        <h2>Meta</h2>
        <${Json} value=${identity.data.meta} />`
    }
  </section>`;
}

/** The workspace's identities (identities.listIdentities), or one identity's shared limits and meta. */
export function IdentitiesPage({ session, identityId }: { session: Session; identityId: string | undefined }): VNode {
  const identities = useLoad(() => listAll<Identity>(session.call, 'identities.listIdentities', {}), []);
  if (identityId) return html`<${IdentityDetail} session=${session} identityId=${identityId} />`;
  return html`<section>
    <h1>Identities</h1>
    <${CreateIdentity} session=${session} onCreated=${identities.reload} />
    <${Loading} when=${identities.loading && !identities.data} />
    <${ErrorNote} error=${identities.error} />
    ${
      identities.data &&
      html`<table>
        <caption class="visually-hidden">
          Identities
        </caption>
        <thead>
          <tr>
            <th scope="col">External id</th>
            <th scope="col">Id</th>
            <th scope="col">Shared rate limits</th>
          </tr>
        </thead>
        <tbody>
          ${identities.data.map(
            (identity) =>
              html`<tr>
                <td><a href=${href('identities', identity.id)}>${identity.externalId}</a></td>
                <td><code>${identity.id}</code></td>
                <td>
                  ${identity.ratelimits?.map((limit) => `${limit.name}: ${limit.limit}/${formatDuration(limit.duration)}`).join(', ') || '—'}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  </section>`;
}
