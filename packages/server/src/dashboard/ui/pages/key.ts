import { html } from '../preact.js';
import type { VNode } from 'preact';
import { ErrorNote, Facts, Flag, Json, Loading, Outcome } from '../components.js';
import { CHECK_NAMES, clockTime, formatDuration, formatTime } from '../format.js';
import { href, useFeed, useLoad, useNow } from '../hooks.js';
import { HourChart, useHistory } from '../history-chart.js';
import type { LiveFeed } from '../live-feed.js';
import type { Session } from '../session.js';
import type { Key, Verification } from '../types.js';
import { KeyActions } from './key-actions.js';
import { KeyUpdate } from './key-update.js';

type LiveLimit = NonNullable<Verification['ratelimits']>[number];

/** Each rate limit as the key's latest verification seen live left it (the history keeps no rate limits). */
function latestLimits(feed: LiveFeed, keyId: string): Map<string, LiveLimit> {
  const limits = new Map<string, LiveLimit>();
  for (let index = feed.events.length - 1; index >= 0; index--) {
    const event = feed.events[index]!;
    if (event.keyId !== keyId || !event.ratelimits) continue;
    for (const limit of event.ratelimits) if (!limits.has(limit.name)) limits.set(limit.name, limit);
  }
  return limits;
}

function Ratelimits({ record, feed }: { record: Key; feed: LiveFeed }): VNode {
  const now = useNow();
  const live = latestLimits(feed, record.keyId);
  const limits = [...(record.ratelimits ?? []), ...(record.identity?.ratelimits ?? [])];
  if (limits.length === 0) return html`<p class="muted">No rate limits.</p>`;
  return html`<table>
    <caption class="visually-hidden">
      Rate limits
    </caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Limit</th>
        <th scope="col">Remaining</th>
        <th scope="col">Resets in</th>
      </tr>
    </thead>
    <tbody>
      ${limits.map((limit) => {
        const state = live.get(limit.name);
        const fresh = state && state.reset > now;
        return html`<tr data-ratelimit=${limit.name}>
          <td>${limit.name}${limit.autoApply ? '' : ' (on request)'}</td>
          <td>${limit.limit} per ${formatDuration(limit.duration)}</td>
          <td class=${fresh && state.remaining === 0 ? 'exceeded' : ''}>${fresh ? state.remaining : limit.limit}</td>
          <td>${fresh ? formatDuration(Math.max(0, state.reset - now)) : '—'}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** The key's latest verifications, newest first: the service's history of it, then the live feed's. */
function RecentVerifications({ events }: { events: Verification[] }): VNode {
  const recent = events.slice(-20).reverse();
  if (recent.length === 0) return html`<p class="muted">None since the service started.</p>`;
  return html`<ol class="recent">
    ${recent.map(
      (event) =>
        html`<li data-code=${event.code}>
          ${clockTime(event.time)} <${Outcome} code=${event.code} />${
            event.failedCheck
              ? html` <span class="muted">${CHECK_NAMES[event.failedCheck] ?? event.failedCheck}</span>`
              : null
          }
        </li>`,
    )}
  </ol>`;
}

function KeyDetails({ record, session }: { record: Key; session: Session }): VNode {
  const feed = useFeed(session.feed);
  const { history, live, recent, error } = useHistory(session, { keyId: record.keyId });
  const credits = record.credits;
  return html`<${Facts}
      rows=${[
        ['Id', html`<code>${record.keyId}</code>`],
        ['Start', html`<code>${record.start}…</code>`],
        ['State', html`<${Flag} on=${record.enabled} yes="enabled" no="disabled" />`],
        ['Created', formatTime(record.createdAt)],
        ['Last used', formatTime(record.lastUsedAt)],
        ['Expires', formatTime(record.expires)],
        ['Credits', credits ? (credits.remaining ?? 'unlimited') : 'unlimited'],
        ['Refill', credits?.refill ? `${credits.refill.amount} ${credits.refill.interval}` : '—'],
        [
          'Identity',
          record.identity
            ? html`<a href=${href('identities', record.identity.id)}>${record.identity.externalId}</a>`
            : '—',
        ],
      ]}
    />
    <h2>Permissions</h2>
    <p>
      ${record.permissions?.length ? record.permissions.map((name) => html`<code class="tag">${name}</code> `) : html`<span class="muted">none</span>`}
    </p>
    <h2>Roles</h2>
    <p>
      ${record.roles?.length ? record.roles.map((name) => html`<code class="tag">${name}</code> `) : html`<span class="muted">none</span>`}
    </p>
    <h2>Rate limits</h2>
    <${Ratelimits} record=${record} feed=${feed} />
    <h2>Meta</h2>
    <${Json} value=${record.meta} />
    <h2>Verifications over the last hour</h2>
    <${HourChart} history=${history} live=${live} />
    <h2>Recent verifications</h2>
    <${ErrorNote} error=${error} />
    <${RecentVerifications} events=${[...(history?.events ?? []), ...recent]} />`;
}

/** One key: what it carries, its live rate limits and recent verifications, and what can be done to it. */
export function KeyPage({ session, keyId }: { session: Session; keyId: string }): VNode {
  const key = useLoad(() => session.call<Key>('keys.getKey', { keyId }).then((answer) => answer.data), [keyId]);
  return html`<section>
    <p><a href=${href('apis')}>APIs</a> /</p>
    <h1>${key.data?.name ?? keyId}</h1>
    <${Loading} when=${key.loading && !key.data} />
    <${ErrorNote} error=${key.error} />
    ${
      key.data &&
      html`<${KeyActions} session=${session} record=${key.data} onChanged=${key.reload} />
        <${KeyUpdate} session=${session} record=${key.data} onChanged=${key.reload} />
        <${KeyDetails} record=${key.data} session=${session} />`
    }
  </section>`;
}
