import { createHmac, randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../common/http.js';
import type { ApiVersion } from './types.js';
import { problem } from './v1/errors.js';

export interface AuthOptions {
  users: ReadonlyArray<{ username: string; password: string }>;
  tokens: readonly string[];
  now: () => number;
  tokenTtlMs: number;
}

/** Paths Airflow serves without credentials. */
const PUBLIC_PATHS = new Set(['/api/v1/version', '/api/v1/health', '/api/v2/version', '/api/v2/monitor/health', '/auth/token']);

/**
 * Airflow 2: HTTP Basic with a user, or a static bearer token. Airflow 3: bearer only, either a
 * token issued by POST /auth/token (until it expires on the sim clock) or a static one.
 */
export class SimAuth {
  private readonly issued = new Map<string, number>();
  private readonly secret = randomBytes(32);

  constructor(private readonly options: AuthOptions) {}

  /** A JWT-shaped token for valid credentials, null otherwise. */
  issue(username: unknown, password: unknown): string | null {
    const known = this.options.users.some((user) => user.username === username && user.password === password);
    if (!known || typeof username !== 'string') return null;
    const iat = Math.floor(this.options.now() / 1000);
    const expiresAt = this.options.now() + this.options.tokenTtlMs;
    const header = base64url({ alg: 'HS512', typ: 'JWT' });
    const payload = base64url({ sub: username, iat, nbf: iat, exp: Math.floor(expiresAt / 1000), jti: randomBytes(8).toString('hex') });
    const signature = createHmac('sha512', this.secret).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    this.issued.set(token, expiresAt);
    return token;
  }

  /** null when the request may go on; else why not, for the 401 body. */
  reject(req: SimRequest, version: ApiVersion): string | null {
    if (PUBLIC_PATHS.has(req.path)) return null;
    const header = req.headers.authorization ?? '';
    const [scheme = '', credentials = ''] = header.split(' ', 2);
    if (scheme.toLowerCase() === 'bearer') return this.bearerOk(credentials) ? null : 'Invalid or expired token';
    if (scheme.toLowerCase() === 'basic' && version === 'v1') return this.basicOk(credentials) ? null : 'Invalid credentials';
    return 'Not authenticated';
  }

  private bearerOk(token: string): boolean {
    if (this.options.tokens.includes(token)) return true;
    const expiresAt = this.issued.get(token);
    return expiresAt !== undefined && this.options.now() < expiresAt;
  }

  private basicOk(credentials: string): boolean {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return this.options.users.some((user) => user.username === username && user.password === password);
  }
}

export function unauthorized(version: ApiVersion, reason: string): SimResponse {
  if (version === 'v2') return { status: 401, body: { detail: reason }, headers: { 'www-authenticate': 'Bearer' } };
  return { ...problem(401, 'Unauthorized', reason), headers: { 'www-authenticate': 'Basic' } };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
