import type { Outbox } from '../../../src/store/outbox-repo.js';
import type { RunStore } from '../../../src/store/run-store.js';

/** A store as the contract sees it: the port, every answer awaited. */
export type ContractStore = RunStore & { readonly outbox: Outbox };

/** One backend under test: a fresh, empty store of its own for each test. */
export interface Backend {
  name: string;
  open(): Promise<OpenedStore>;
}

export interface OpenedStore {
  store: ContractStore;
  /** Closes the store and opens the same state again, as a restart would. */
  reopen(): Promise<ContractStore>;
  /** Closes whatever is open and throws the state away. */
  done(): Promise<void>;
}
