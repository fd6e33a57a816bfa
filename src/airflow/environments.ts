import type { AirflowSecrets, Config, Secrets } from '../config/schema.js';
import { environmentVariablePrefix } from '../config/secrets.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import { createAirflowGateway, type AirflowGatewayDeps } from './airflow-gateway.js';
import type { AirflowGateway } from './gateway.js';

/** The name of the top-level Airflow (AIRFLOW_BASE_URL), used by every environment without its own. */
export const DEFAULT_AIRFLOW = 'default';

/** One distinct Airflow: polled once a pass, checked once by doctor. */
export interface AirflowInstance {
  /** `default`, or the (first) environment that has this Airflow of its own. */
  name: string;
  baseUrl: string;
  apiVersion: 'v1' | 'v2';
  gateway: AirflowGateway;
  /** The configured environments whose tickets run here, in config order. */
  environments: string[];
  /** The config this instance's gateway reads (its Airflow in `airflow.*`): for doctor's checks. */
  config: Config;
  /** Where its credentials come from, for messages: `AIRFLOW` (AIRFLOW_TOKEN...) or e.g. `AIRFLOW_PROD`. */
  secretPrefix: string;
}

export interface AirflowDown {
  instance: string;
  baseUrl: string;
  error: string;
}

/** Which Airflow a ticket's environment runs on, and which of them answered the last time they were asked. */
export interface AirflowRouter {
  /** The environment's own Airflow; the default one for an environment without one, null or unknown. */
  forEnvironment(environment: string | null): AirflowGateway;
  /** The instance an environment's tickets belong to (same rule as forEnvironment). */
  instanceFor(environment: string | null): AirflowInstance;
  /** One entry per distinct Airflow, the default first. */
  instances(): AirflowInstance[];
  markDown(instance: string, error: unknown): void;
  markUp(instance: string): void;
  /** The instances whose last call failed, in instances() order. */
  down(): AirflowDown[];
}

export interface AirflowRouterDeps extends AirflowGatewayDeps {
  /** Builds one instance's gateway from its config copy; the real adapter unless a test passes its own. */
  create?: (deps: AirflowGatewayDeps) => AirflowGateway;
}

/**
 * A gateway per distinct Airflow. Environments that name the same Airflow with the same credentials
 * share one gateway, so its runs are polled once and its rate limit is one gate.
 */
export function createAirflowGateways(deps: AirflowRouterDeps): AirflowRouter {
  const create = deps.create ?? createAirflowGateway;
  const { config } = deps;
  const top = { baseUrl: config.airflow.baseUrl, uiBaseUrl: config.airflow.uiBaseUrl, apiVersion: config.airflow.apiVersion };
  const topSecrets: AirflowSecrets = pick({ token: config.secrets.airflowToken, user: config.secrets.airflowUser, pass: config.secrets.airflowPass });

  const byKey = new Map<string, AirflowInstance>();
  const byEnvironment = new Map<string, AirflowInstance>();
  const failures = new Map<string, string>();
  const build = (name: string, secretPrefix: string, target: typeof top, secrets: AirflowSecrets): AirflowInstance => {
    const key = identity(target, secrets);
    const known = byKey.get(key);
    if (known) return known;
    const own = configFor(config, target, secrets);
    const instance: AirflowInstance = {
      name,
      baseUrl: target.baseUrl,
      apiVersion: target.apiVersion,
      // Any call this Airflow answers marks it up again, whichever part of the pass made it.
      gateway: create({ ...deps, config: own, log: deps.log.child({ airflow: name }), observer: answering(deps.observer, () => failures.delete(name)) }),
      environments: [],
      config: own,
      secretPrefix,
    };
    byKey.set(key, instance);
    return instance;
  };

  const fallback = build(DEFAULT_AIRFLOW, 'AIRFLOW', top, topSecrets);
  for (const environment of config.environments) {
    const settings = config.environmentSettings[environment];
    const instance = settings?.ownAirflow
      ? build(
          environment,
          environmentVariablePrefix(environment),
          { baseUrl: settings.airflowBaseUrl, uiBaseUrl: settings.airflowUiBaseUrl, apiVersion: settings.airflowApiVersion },
          config.secrets.airflowByEnv?.[environment] ?? {},
        )
      : fallback;
    instance.environments.push(environment);
    byEnvironment.set(environment, instance);
  }

  const all = [...byKey.values()];
  const instanceFor = (environment: string | null): AirflowInstance => (environment === null ? undefined : byEnvironment.get(environment)) ?? fallback;

  return {
    forEnvironment: (environment) => instanceFor(environment).gateway,
    instanceFor,
    instances: () => [...all],
    markDown(instance, error) {
      if (!all.some((known) => known.name === instance)) throw new Error(`no Airflow instance named ${instance}; known: ${all.map((i) => i.name).join(', ')}`);
      failures.set(instance, error instanceof Error ? error.message : String(error));
    },
    markUp: (instance) => void failures.delete(instance),
    down: () =>
      all.flatMap((instance) => {
        const error = failures.get(instance.name);
        return error === undefined ? [] : [{ instance: instance.name, baseUrl: instance.baseUrl, error }];
      }),
  };
}

/**
 * Passes every exchange on and calls `up` when Airflow answered it well (2xx, or 409 to a trigger whose
 * run exists). A call that fails after that still marks the instance down: the pass does it last.
 */
function answering(observer: UpstreamObserver | undefined, up: () => void): UpstreamObserver {
  return {
    request(upstream, code, seconds) {
      observer?.request(upstream, code, seconds);
      const status = Number(code);
      if ((status >= 200 && status < 300) || status === 409) up();
    },
    throttled: (upstream, seconds, scope) => observer?.throttled?.(upstream, seconds, scope),
  };
}

/** The config one instance's gateway reads: its Airflow in `airflow.*`, its credentials and only those in `secrets.airflow*`. */
function configFor(config: Config, target: { baseUrl: string; uiBaseUrl: string; apiVersion: 'v1' | 'v2' }, credentials: AirflowSecrets): Config {
  const { airflowToken: _token, airflowUser: _user, airflowPass: _pass, ...rest } = config.secrets;
  const secrets: Secrets = {
    ...rest,
    ...pick({ airflowToken: credentials.token, airflowUser: credentials.user, airflowPass: credentials.pass }),
  };
  return { ...config, airflow: { ...config.airflow, ...target }, secrets };
}

function identity(target: { baseUrl: string; uiBaseUrl: string; apiVersion: string }, secrets: AirflowSecrets): string {
  return JSON.stringify([target.baseUrl, target.uiBaseUrl, target.apiVersion, secrets.token ?? null, secrets.user ?? null, secrets.pass ?? null]);
}

/** Drops the keys whose value is undefined (exactOptionalPropertyTypes). */
function pick<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  const present: { [K in keyof T]?: string } = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) present[key as keyof T] = value;
  return present;
}
