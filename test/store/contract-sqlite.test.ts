import { openStore } from '../../src/store/sqlite-store.js';
import type { Backend } from './contract/backend.js';
import { outboxContract } from './contract/outbox-cases.js';
import { runStoreContract } from './contract/run-store-cases.js';
import { fakeClock, tempDb } from './helpers.js';

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const db = tempDb();
    const open = () => openStore(db.path, { clock: fakeClock(), command: 'daemon', lockWaitMs: 0 });
    let store = await open();
    return {
      store,
      async reopen() {
        store.close();
        store = await open();
        return store;
      },
      done() {
        store.close();
        db.cleanup();
        return Promise.resolve();
      },
    };
  },
};

runStoreContract(sqlite);
outboxContract(sqlite);
