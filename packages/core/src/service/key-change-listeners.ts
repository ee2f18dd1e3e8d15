import type { KeyChange, KeyChangeSource } from '../verifier/types.js';

/** What `onKeyChange` takes: called with each change made through the client. */
export type KeyChangeListener = Parameters<KeyChangeSource['onKeyChange']>[0];

/** The listeners of a client's key changes (a delete, update or revocation made through it). */
export class KeyChangeListeners {
  readonly #listeners = new Set<KeyChangeListener>();

  /** Adds `listener`; the answer removes it again. */
  add(listener: KeyChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener; a listener that throws is skipped. */
  emit(change: KeyChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not turn a successful delete or update into an error for the caller.
      }
    }
  }
}
