import { html, useEffect, useState } from './preact.js';
import type { VNode } from 'preact';
import { href, useFeed, useRoute } from './hooks.js';
import { ApisPage } from './pages/apis.js';
import { AuditPage } from './pages/audit.js';
import { IdentitiesPage } from './pages/identities.js';
import { KeyPage } from './pages/key.js';
import { KeysPage } from './pages/keys.js';
import { LivePage } from './pages/live.js';
import { PermissionsPage } from './pages/permissions.js';
import { RatelimitsPage } from './pages/ratelimits.js';
import type { Session } from './session.js';
import { SignIn } from './sign-in.js';

const SECTIONS: [string, string][] = [
  ['apis', 'APIs'],
  ['identities', 'Identities'],
  ['permissions', 'Permissions'],
  ['ratelimits', 'Rate limits'],
  ['live', 'Live verifications'],
  ['audit', 'Audit log'],
];

function Page({ session, route }: { session: Session; route: string[] }): VNode {
  const [section = 'apis', id] = route;
  switch (section) {
    case 'apis':
      return id ? html`<${KeysPage} session=${session} apiId=${id} />` : html`<${ApisPage} session=${session} />`;
    case 'keys':
      return html`<${KeyPage} session=${session} keyId=${id ?? ''} />`;
    case 'identities':
      return html`<${IdentitiesPage} session=${session} identityId=${id} />`;
    case 'permissions':
      return html`<${PermissionsPage} session=${session} />`;
    case 'ratelimits':
      return html`<${RatelimitsPage} session=${session} />`;
    case 'live':
      return html`<${LivePage} session=${session} />`;
    case 'audit':
      return html`<${AuditPage} session=${session} />`;
    default:
      return html`<p>No such page. <a href=${href('apis')}>Back to the APIs</a>.</p>`;
  }
}

function FeedStatus({ session }: { session: Session }): VNode {
  const feed = useFeed(session.feed);
  return html`<span class=${`feed-status ${feed.status}`} aria-live="polite">live feed: ${feed.status}</span>`;
}

/** The signed-in layout, or the sign-in form. Signing out drops the session, and with it the root key. */
export function App(): VNode {
  const [session, setSession] = useState<Session | undefined>();
  const route = useRoute();
  useEffect(() => () => session?.feed.stop(), [session]);
  if (!session) return html`<${SignIn} onSession=${setSession} />`;
  const current = route[0] ?? 'apis';
  return html`<div class="layout">
    <header class="top">
      <a class="brand" href=${href('apis')}>keyguard</a>
      <${FeedStatus} session=${session} />
      <button type="button" class="sign-out" onClick=${() => setSession(undefined)}>Sign out</button>
    </header>
    <nav aria-label="Sections">
      <ul>
        ${SECTIONS.map(
          ([name, label]) =>
            html`<li>
              <a
                href=${href(name)}
                aria-current=${current === name || (current === 'keys' && name === 'apis') ? 'page' : undefined}
                >${label}</a
              >
            </li>`,
        )}
      </ul>
    </nav>
    <main id="main"><${Page} session=${session} route=${route} /></main>
  </div>`;
}
