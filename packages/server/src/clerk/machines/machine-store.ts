import type { Store } from '../../store/store.js';
import { MachineRepository } from './machine-repository.js';

const repositories = new WeakMap<Store, MachineRepository>();

/** The machine repository over the store's database (one per store; prepared statements are cached per database). */
export function machinesOf(store: Store): MachineRepository {
  let repository = repositories.get(store);
  if (!repository) repositories.set(store, (repository = new MachineRepository(store.db)));
  return repository;
}
