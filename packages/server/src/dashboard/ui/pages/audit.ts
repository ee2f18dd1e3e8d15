import { html } from '../preact.js';
import type { VNode } from 'preact';
import { ApiCallError } from '../api.js';
import { ErrorNote, Loading } from '../components.js';
import { formatTime } from '../format.js';
import { useLoad } from '../hooks.js';
import type { Session } from '../session.js';

interface AuditEntry {
  id: string;
  time: number;
  action: string;
  actor: { type: string; id: string };
  target: { type: string; id: string | null };
  status: number;
  errorCode?: string;
}

/** `keyguard.listAuditLogs`: who changed what. A service without the operation answers 404; the page says so. */
export function AuditPage({ session }: { session: Session }): VNode {
  const entries = useLoad(
    () => session.call<AuditEntry[]>('keyguard.listAuditLogs', { limit: 100 }).then((answer) => answer.data),
    [],
  );
  const missing = entries.error instanceof ApiCallError && entries.error.status === 404;
  return html`<section>
    <h1>Audit log</h1>
    <${Loading} when=${entries.loading && !entries.data} />
    ${
      missing
        ? html`<p class="muted">This key service has no audit log (keyguard.listAuditLogs answered 404).</p>`
        : html`<${ErrorNote} error=${entries.error} />`
    }
    ${
      entries.data &&
      html`<table>
        <caption class="visually-hidden">
          Audit log
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${entries.data.map(
            (entry) =>
              html`<tr>
                <td>${formatTime(entry.time)}</td>
                <td><code>${entry.action}</code></td>
                <td>${entry.actor.type} <code>${entry.actor.id}</code></td>
                <td>${entry.target.type} <code>${entry.target.id ?? '—'}</code></td>
                <td>${entry.status}${entry.errorCode ? html` <code>${entry.errorCode}</code>` : null}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  </section>`;
}
