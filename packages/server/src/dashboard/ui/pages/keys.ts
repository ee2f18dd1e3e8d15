import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { listAll } from '../api.js';
import { ErrorNote, Flag, Loading } from '../components.js';
import { formatTime } from '../format.js';
import { HourChart, useHistory } from '../history-chart.js';
import { href, useLoad } from '../hooks.js';
import type { Session } from '../session.js';
import type { ApiSummary, Key } from '../types.js';
import { CreateKey } from './create-key.js';

export interface KeyFilter {
  search: string;
  prefix: string;
  enabled: 'all' | 'enabled' | 'disabled';
  expired: 'all' | 'expired' | 'live';
}

/** Whether a key passes the filter (the identity filter is the service's: listKeys' externalId). */
export function matches(key: Key, filter: KeyFilter, now: number): boolean {
  const search = filter.search.trim().toLowerCase();
  if (search && ![key.keyId, key.name ?? '', key.start].some((text) => text.toLowerCase().includes(search)))
    return false;
  if (filter.prefix && !key.start.startsWith(filter.prefix)) return false;
  if (filter.enabled !== 'all' && key.enabled !== (filter.enabled === 'enabled')) return false;
  const expired = key.expires !== undefined && key.expires <= now;
  if (filter.expired !== 'all' && expired !== (filter.expired === 'expired')) return false;
  return true;
}

function Filters({ filter, onChange }: { filter: KeyFilter; onChange: (filter: KeyFilter) => void }): VNode {
  const set = (name: keyof KeyFilter) => (event: Event) =>
    onChange({ ...filter, [name]: (event.currentTarget as HTMLInputElement).value });
  return html`<fieldset class="filters">
    <legend>Filter keys</legend>
    <label
      >Search <input type="search" value=${filter.search} onInput=${set('search')} placeholder="name, id or start"
    /></label>
    <label>Prefix <input value=${filter.prefix} onInput=${set('prefix')} placeholder="sk_live" /></label>
    <label
      >Enabled
      <select value=${filter.enabled} onChange=${set('enabled')}>
        <option value="all">all</option>
        <option value="enabled">enabled</option>
        <option value="disabled">disabled</option>
      </select></label
    >
    <label
      >Expiry
      <select value=${filter.expired} onChange=${set('expired')}>
        <option value="all">all</option>
        <option value="live">not expired</option>
        <option value="expired">expired</option>
      </select></label
    >
  </fieldset>`;
}

function KeyTable({ keys }: { keys: Key[] }): VNode {
  const now = Date.now();
  return html`<table>
    <caption class="visually-hidden">
      Keys
    </caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Start</th>
        <th scope="col">Identity</th>
        <th scope="col">State</th>
        <th scope="col">Expires</th>
        <th scope="col">Credits</th>
        <th scope="col">Last used</th>
      </tr>
    </thead>
    <tbody>
      ${keys.map(
        (key) =>
          html`<tr>
            <td><a href=${href('keys', key.keyId)}>${key.name ?? key.keyId}</a></td>
            <td><code>${key.start}…</code></td>
            <td>${key.identity?.externalId ?? '—'}</td>
            <td><${Flag} on=${key.enabled} yes="enabled" no="disabled" /></td>
            <td class=${key.expires !== undefined && key.expires <= now ? 'expired' : ''}>
              ${formatTime(key.expires)}
            </td>
            <td>${key.credits ? (key.credits.remaining ?? 'unlimited') : 'unlimited'}</td>
            <td>${formatTime(key.lastUsedAt)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function ApiVerifications({ session, apiId }: { session: Session; apiId: string }): VNode {
  const { history, live, error } = useHistory(session, { apiId });
  return html`<h2>Verifications over the last hour</h2>
    <${ErrorNote} error=${error} />
    <${HourChart} history=${history} live=${live} />`;
}

/** One API's keys: its verifications over the last hour, search and filters, and the form for a new key. */
export function KeysPage({ session, apiId }: { session: Session; apiId: string }): VNode {
  const [identity, setIdentity] = useState('');
  const [filter, setFilter] = useState<KeyFilter>({ search: '', prefix: '', enabled: 'all', expired: 'all' });
  const api = useLoad(() => session.call<ApiSummary>('apis.getApi', { apiId }).then((answer) => answer.data), [apiId]);
  const keys = useLoad(
    () => listAll<Key>(session.call, 'apis.listKeys', { apiId, ...(identity ? { externalId: identity } : {}) }),
    [apiId, identity],
  );
  const shown = (keys.data ?? []).filter((key) => matches(key, filter, Date.now()));
  return html`<section>
    <p><a href=${href('apis')}>APIs</a> /</p>
    <h1>${api.data?.name ?? apiId}</h1>
    <p class="muted">API <code>${apiId}</code></p>
    <${ErrorNote} error=${api.error} />
    <${ApiVerifications} session=${session} apiId=${apiId} />
    <${CreateKey} session=${session} apiId=${apiId} onCreated=${keys.reload} />
    <h2>Keys</h2>
    <label class="identity-filter"
      >Identity (external id)
      <input
        value=${identity}
        onChange=${(event: Event) => setIdentity((event.currentTarget as HTMLInputElement).value.trim())}
    /></label>
    <${Filters} filter=${filter} onChange=${setFilter} />
    <${Loading} when=${keys.loading && !keys.data} />
    <${ErrorNote} error=${keys.error} />
    ${
      keys.data &&
      html`<p class="muted" aria-live="polite">${shown.length} of ${keys.data.length} keys</p>
        <${KeyTable} keys=${shown} />`
    }
  </section>`;
}
