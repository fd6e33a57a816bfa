import type pg from 'pg';

/** What a repo function needs: the pool for a lone read, or a transaction's client. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
