import { openPgStore, type PgStore } from '../../src/store/pg/pg-store.js';
import { createTestDatabase } from '../support/pg.js';
import type { Backend } from './contract/backend.js';
import { outboxContract } from './contract/outbox-cases.js';
import { runStoreContract } from './contract/run-store-cases.js';

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const db = await createTestDatabase();
    const open = (): Promise<PgStore> => openPgStore(db.url, { command: 'daemon' });
    let store = await open();
    return {
      store,
      async reopen() {
        await store.close();
        store = await open();
        return store;
      },
      async done() {
        await store.close();
        await db.drop();
      },
    };
  },
};

runStoreContract(postgres);
outboxContract(postgres);
