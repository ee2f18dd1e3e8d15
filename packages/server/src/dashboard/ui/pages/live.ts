import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { bucketize, OutcomeChart } from '../chart.js';
import { Outcome } from '../components.js';
import { CHECK_NAMES, clockTime, thousands } from '../format.js';
import { href, useFeed, useNow } from '../hooks.js';
import type { Session } from '../session.js';
import type { Verification } from '../types.js';

/** Which check failed, with what it checked: the permission query, the exceeded rate limits. */
function FailedCheck({ event }: { event: Verification }): VNode | null {
  if (!event.failedCheck) return null;
  const name = CHECK_NAMES[event.failedCheck] ?? event.failedCheck;
  if (event.failedCheck === 'permissions' && event.permissions)
    return html`${`${name}: `}<code>${event.permissions}</code>`;
  if (event.failedCheck === 'rate_limit' && event.ratelimits)
    return html`${`${name}: `}${event.ratelimits
      .filter((limit) => limit.exceeded)
      .map((limit) => html`<code class="tag">${limit.name}</code>`)}`;
  return html`${name}`;
}

function FeedTable({ events }: { events: Verification[] }): VNode {
  if (events.length === 0) return html`<p class="muted">No verification yet: verify a key and it shows here.</p>`;
  return html`<table class="feed">
    <caption class="visually-hidden">
      Latest verifications
    </caption>
    <thead>
      <tr>
        <th scope="col">Time</th>
        <th scope="col">API</th>
        <th scope="col">Key</th>
        <th scope="col">Outcome</th>
        <th scope="col">Failed check</th>
      </tr>
    </thead>
    <tbody>
      ${events.map(
        (event) =>
          html`<tr data-code=${event.code}>
            <td>${clockTime(event.time)}</td>
            <td>
              ${event.format === 'clerk' ? 'Clerk' : event.apiId ? html`<a href=${href('apis', event.apiId)}>${event.apiId}</a>` : '—'}
            </td>
            <td>
              ${event.keyId ? (event.format === 'unkey' ? html`<a href=${href('keys', event.keyId)}><code>${event.keyId}</code></a>` : html`<code>${event.keyId}</code>`) : '—'}
            </td>
            <td><${Outcome} code=${event.code} /></td>
            <td><${FailedCheck} event=${event} /></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The verifications the root key may see, as they happen: a chart by outcome and the latest ones, per API or key. */
export function LivePage({ session }: { session: Session }): VNode {
  const feed = useFeed(session.feed);
  const now = useNow();
  const [apiId, setApiId] = useState('');
  const [keyId, setKeyId] = useState('');
  const matches = (item: { apiId?: string; keyId?: string }) =>
    (!apiId || item.apiId === apiId) && (!keyId || item.keyId === keyId.trim());
  const counted = feed.countedAll();
  const apis = [...new Set(counted.map((item) => item.apiId).filter((id): id is string => id !== undefined))];
  const shown = feed.events.filter(matches);
  return html`<section>
    <h1>Live verifications</h1>
    <p class="muted">
      The service's latest verifications, then live; keys are never shown, only their ids.
      ${feed.sampledOut > 0 ? `At this rate the feed counts every verification but sends only the latest of each moment whole: ${thousands(feed.counted - feed.sampledOut)} of ${thousands(feed.counted)} since the page opened came whole.` : ''}
      ${feed.dropped > 0 ? ` ${feed.dropped} verifications were dropped while this page was slow to read.` : ''}
    </p>
    <fieldset class="filters">
      <legend>Show</legend>
      <label
        >API
        <select value=${apiId} onChange=${(event: Event) => setApiId((event.currentTarget as HTMLSelectElement).value)}>
          <option value="">all</option>
          ${apis.map((id) => html`<option value=${id}>${id}</option>`)}
        </select></label
      >
      <label
        >Key id
        <input value=${keyId} onInput=${(event: Event) => setKeyId((event.currentTarget as HTMLInputElement).value)}
      /></label>
    </fieldset>
    <${OutcomeChart} buckets=${bucketize(counted.filter(matches), now, 2000, 60)} seconds=${120} />
    <h2>Latest</h2>
    <${FeedTable} events=${shown.slice(-100).reverse()} />
  </section>`;
}
