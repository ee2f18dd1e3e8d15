import type { Store } from '../../store/store.js';
import { M2MTokenRepository } from './token-repository.js';

const repositories = new WeakMap<Store, M2MTokenRepository>();

/** The M2M token repository over the store's database (one per store). */
export function m2mTokensOf(store: Store): M2MTokenRepository {
  let repository = repositories.get(store);
  if (!repository) repositories.set(store, (repository = new M2MTokenRepository(store.db)));
  return repository;
}
