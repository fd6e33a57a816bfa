export { openPgStore, type PgOutbox, type PgStore, type PgStoreOptions } from './pg-store.js';
export { FencedWriteError } from './fenced-write-error.js';
export { StateDatabaseAccessError, StateDatabaseUnavailableError } from './pg-errors.js';
export { PgSchemaMissingError, PgSchemaVersionError } from './pg-migrate.js';
export { StateInUseError, StateNotEmptyError, type ImportCounts, type StateSnapshot } from './pg-import.js';
export { describeDatabaseUrl } from './database-url.js';
export { PG_SCHEMA_VERSION } from './pg-migrations.js';
