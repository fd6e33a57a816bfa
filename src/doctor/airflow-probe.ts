import type { Config } from '../config/schema.js';

/** What a bare `GET /api/{v}/version` found: the prefix served (with the version when readable), or not. */
export type VersionProbe = { served: true; version: string | null } | { served: false };

export type ProbeVersion = (apiVersion: Config['airflow']['apiVersion']) => Promise<VersionProbe>;

/**
 * Asks the other API prefix whether it exists, to say for certain which AIRFLOW_API_VERSION fits.
 * `/version` is readable without credentials on Airflow 2 and 3; a 401 or 403 still proves the prefix
 * is served. Any other failure proves nothing, so it reads as not served.
 */
export function versionProbe(config: Config, fetchImpl: typeof fetch = fetch): ProbeVersion {
  return async (apiVersion) => {
    const url = `${config.airflow.baseUrl.replace(/\/+$/, '')}/api/${apiVersion}/version`;
    try {
      const token = config.secrets.airflowToken;
      const res = await fetchImpl(url, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(config.http.timeoutMs),
      });
      if (res.status === 401 || res.status === 403) return { served: true, version: null };
      if (!res.ok) return { served: false };
      const body = (await res.json()) as { version?: unknown };
      return { served: true, version: typeof body.version === 'string' ? body.version : null };
    } catch {
      return { served: false };
    }
  };
}
