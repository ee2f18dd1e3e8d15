import { html, useState } from '../preact.js';
import type { VNode } from 'preact';
import { ErrorNote, ShownOnce } from '../components.js';
import type { Session } from '../session.js';

const list = (text: string): string[] =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** The keys.createKey body from the form's fields; fields left empty are left out. */
export function createKeyBody(apiId: string, field: (name: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = { apiId };
  for (const name of ['name', 'prefix', 'externalId']) if (field(name)) body[name] = field(name);
  if (field('expires')) body.expires = new Date(field('expires')).getTime();
  if (field('credits')) {
    const refill = field('refillAmount')
      ? { refill: { interval: field('refillInterval') || 'daily', amount: Number(field('refillAmount')) } }
      : {};
    body.credits = { remaining: Number(field('credits')), ...refill };
  }
  if (field('ratelimitLimit'))
    body.ratelimits = [
      {
        name: field('ratelimitName') || 'requests',
        limit: Number(field('ratelimitLimit')),
        duration: Number(field('ratelimitDuration') || 60_000),
        autoApply: true,
      },
    ];
  if (field('permissions')) body.permissions = list(field('permissions'));
  if (field('roles')) body.roles = list(field('roles'));
  return body;
}

const Field = ({ name, label, ...rest }: { name: string; label: string; [attribute: string]: unknown }): VNode =>
  html`<label>${label} <input name=${name} ...${rest} /></label>`;

/** A new key of the API (keys.createKey); the key is shown once, with a copy button, and then forgotten. */
export function CreateKey({
  session,
  apiId,
  onCreated,
}: {
  session: Session;
  apiId: string;
  onCreated: () => void;
}): VNode {
  const [secret, setSecret] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
    try {
      const answer = await session.call<{ keyId: string; key: string }>('keys.createKey', createKeyBody(apiId, field));
      form.reset();
      setError(undefined);
      setSecret(answer.data.key);
      onCreated();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  if (secret) return html`<${ShownOnce} secret=${secret} onDone=${() => setSecret(undefined)} />`;
  return html`<details class="create-key">
    <summary>Create a key</summary>
    <form onSubmit=${submit} autocomplete="off">
      <${Field} name="name" label="Name" />
      <${Field} name="prefix" label="Prefix" pattern="[A-Za-z0-9_]{1,16}" />
      <${Field} name="externalId" label="Identity (external id)" />
      <${Field} name="expires" label="Expires" type="datetime-local" />
      <${Field} name="credits" label="Credits" type="number" min="0" />
      <${Field} name="refillAmount" label="Refill amount" type="number" min="1" />
      <label
        >Refill interval
        <select name="refillInterval">
          <option value="daily">daily</option>
          <option value="monthly">monthly</option>
        </select></label
      >
      <${Field} name="ratelimitName" label="Rate limit name" placeholder="requests" />
      <${Field} name="ratelimitLimit" label="Rate limit: requests" type="number" min="1" />
      <${Field} name="ratelimitDuration" label="per (ms)" type="number" min="1000" placeholder="60000" />
      <${Field} name="permissions" label="Permissions (comma-separated)" />
      <${Field} name="roles" label="Roles (comma-separated)" />
      <button type="submit">Create key</button>
    </form>
    <${ErrorNote} error=${error} />
  </details>`;
}
