import type { AxiosInstance } from 'axios';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { toUpstreamError } from '../http/classify.js';
import { UpstreamError } from '../http/errors.js';
import { parseBody } from './parse-body.js';
import { AccessToken } from './schema.js';

export type AirflowAuthMode = 'bearer' | 'basic' | 'token-exchange' | 'none';

export interface AirflowAuth {
  readonly mode: AirflowAuthMode;
  /** Headers for the next request; with token exchange the first call fetches the token. */
  headers(): Promise<Record<string, string>>;
  /** Forgets a token the server refused (401). True when asking again for a new one makes sense. */
  renew(): boolean;
}

/**
 * AIRFLOW_TOKEN wins; else user/password as HTTP Basic (Airflow 2) or exchanged for a JWT at
 * `POST <root>/auth/token` (Airflow 3, outside /api/v2); else no auth, for dev setups that allow it.
 */
export function createAirflowAuth(deps: { config: Config; clock: Clock; http: AxiosInstance }): AirflowAuth {
  const { secrets, airflow } = deps.config;
  if (secrets.airflowToken) {
    const headers = { Authorization: `Bearer ${secrets.airflowToken}` };
    return { mode: 'bearer', headers: () => Promise.resolve(headers), renew: () => false };
  }
  if (!secrets.airflowUser || !secrets.airflowPass) {
    return { mode: 'none', headers: () => Promise.resolve({}), renew: () => false };
  }
  const username = secrets.airflowUser;
  const password = secrets.airflowPass;
  if (airflow.apiVersion === 'v1') {
    const headers = { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    return { mode: 'basic', headers: () => Promise.resolve(headers), renew: () => false };
  }

  const tokenUrl = `${airflow.baseUrl.replace(/\/+$/, '')}/auth/token`;
  let token: Promise<string> | undefined;
  async function fetchToken(): Promise<string> {
    try {
      const response = await deps.http.post(tokenUrl, { username, password });
      return parseBody(AccessToken, response.data, 'POST /auth/token').access_token;
    } catch (error) {
      throw explainTokenFailure(toUpstreamError('airflow', error, deps.clock.now()));
    }
  }
  return {
    mode: 'token-exchange',
    async headers() {
      // One exchange shared by concurrent calls; a failed one is not cached.
      token ??= fetchToken().catch((error: unknown) => {
        token = undefined;
        throw error;
      });
      return { Authorization: `Bearer ${await token}` };
    },
    renew() {
      token = undefined;
      return true;
    },
  };
}

function explainTokenFailure(error: UpstreamError): UpstreamError {
  const hint =
    error.kind === 'auth' || error.kind === 'bad_request'
      ? 'Airflow refused AIRFLOW_USER/AIRFLOW_PASS at POST /auth/token; check the credentials or set AIRFLOW_TOKEN'
      : error.kind === 'not_found'
        ? 'Airflow has no POST /auth/token; Airflow 2 needs AIRFLOW_API_VERSION=v1, or set AIRFLOW_TOKEN'
        : undefined;
  if (hint === undefined) return error;
  return new UpstreamError('airflow', error.kind, `${hint} (${error.message})`, { ...error.details, cause: error });
}
