import { html, useState } from './preact.js';
import type { VNode } from 'preact';
import { apiClient } from './api.js';
import { ErrorNote } from './components.js';
import { openSession, type Session } from './session.js';
import type { ApiSummary } from './types.js';

/**
 * The root key form. The key is checked with `keyguard.listApis` and then kept in memory only: the form is cleared,
 * autocomplete is off, and nothing is written to the URL, a cookie or storage.
 */
export function SignIn({ onSession }: { onSession: (session: Session) => void }): VNode {
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('rootKey') as HTMLInputElement;
    const rootKey = input.value.trim();
    input.value = '';
    if (!rootKey) return;
    setBusy(true);
    setError(undefined);
    try {
      await apiClient(rootKey)<ApiSummary[]>('keyguard.listApis');
      onSession(openSession(rootKey));
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      setBusy(false);
    }
  };
  return html`<main class="sign-in">
    <h1>keyguard dashboard</h1>
    <p>
      Sign in with a root key of this key service. It stays in this page's memory only, and the dashboard sees what it
      may see.
    </p>
    <form onSubmit=${submit} autocomplete="off">
      <label for="root-key">Root key</label>
      <input id="root-key" name="rootKey" type="password" autocomplete="off" spellcheck=${false} required />
      <button type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
    <${ErrorNote} error=${error} />
  </main>`;
}
