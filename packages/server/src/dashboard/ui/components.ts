import { html, useState } from './preact.js';
import type { VNode } from 'preact';
import { outcomeClass } from './format.js';

/** An error answer, in words (its code too: it is what the docs index). */
export function ErrorNote({ error }: { error: Error | undefined }): VNode | null {
  if (!error) return null;
  const code = (error as { code?: string }).code;
  return html`<p class="error" role="alert">${error.message}${code ? html` <code>${code}</code>` : null}</p>`;
}

export function Loading({ when }: { when: boolean }): VNode | null {
  return when ? html`<p class="muted" aria-live="polite">Loading…</p>` : null;
}

export function Outcome({ code }: { code: string }): VNode {
  return html`<span class=${`badge ${outcomeClass(code)}`}>${code}</span>`;
}

export function Flag({ on, yes, no }: { on: boolean; yes: string; no: string }): VNode {
  return html`<span class=${on ? 'badge on' : 'badge off'}>${on ? yes : no}</span>`;
}

/** A copy button for a secret shown once: the text goes to the clipboard, never to the console or the URL. */
export function CopyButton({ text, label }: { text: string; label: string }): VNode {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return html`<button type="button" onClick=${copy} aria-label=${label}>${copied ? 'Copied' : 'Copy'}</button>`;
}

/** A secret the service returns once (a new key): shown with a copy button until dismissed. */
export function ShownOnce({ secret, onDone }: { secret: string; onDone: () => void }): VNode {
  return html`<div class="shown-once" role="status">
    <p><strong>Copy this key now.</strong> The service keeps only its hash: it cannot be shown again.</p>
    <p class="secret-row">
      <code class="secret" data-testid="new-key">${secret}</code>
      <${CopyButton} text=${secret} label="Copy the new key" />
    </p>
    <button type="button" onClick=${onDone}>Done</button>
  </div>`;
}

/** Key–value rows of a definition list. */
export function Facts({ rows }: { rows: [string, unknown][] }): VNode {
  return html`<dl class="facts">
    ${rows.map(
      ([name, value]) =>
        html`<div>
          <dt>${name}</dt>
          <dd>${value ?? '—'}</dd>
        </div>`,
    )}
  </dl>`;
}

/** A JSON object (meta) as text. */
export const Json = ({ value }: { value: unknown }): VNode =>
  value === undefined ? html`<span class="muted">none</span>` : html`<pre>${JSON.stringify(value, null, 2)}</pre>`;
