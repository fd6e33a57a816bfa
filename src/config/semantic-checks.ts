import { validate as isValidCron } from 'node-cron';
import { compileParamsSchema } from './params-schema.js';
import { dagIdFor, type Config, type FileConfig, type SourceConfig } from './schema.js';
import { showValue } from './key-names.js';
import { featureProblems, patternProblems } from './feature-checks.js';

const DAG_ID = /^[A-Za-z0-9_.-]+$/;

/** One mapping of sources, where it sits in the file, and the run types its tickets may have. */
interface SourceMap {
  key: string;
  sources: Readonly<Record<string, SourceConfig>>;
  runTypes: readonly string[];
}

/** Rules the schema cannot express: they relate several keys or need another library to judge. */
export function semanticProblems(config: FileConfig): string[] {
  if (Object.keys(config.sources).length === 0) {
    return ['sources: no source is configured; name at least one, e.g. "alfabeta: {}"', ...cronProblems(config)];
  }
  const maps = sourceMaps(config);
  return [
    ...maps.flatMap((map) => [...schemaProblems(map), ...runTypeKeyProblems(map), ...retryProblems(map)]),
    ...cronProblems(config),
    ...maps.flatMap((map) => dagIdProblems(config, map)),
    ...featureProblems(config),
  ];
}

function sourceMaps(config: FileConfig): SourceMap[] {
  const maps: SourceMap[] = [{ key: 'sources', sources: config.sources, runTypes: config.runTypes }];
  (config.jira.projects ?? []).forEach((item, index) => {
    if (typeof item === 'string' || item.sources === undefined || Array.isArray(item.sources)) return;
    maps.push({ key: `jira.projects[${index}].sources`, sources: item.sources, runTypes: item.runTypes ?? config.runTypes });
  });
  return maps;
}

function schemaProblems(map: SourceMap): string[] {
  const problems: string[] = [];
  for (const [name, settings] of Object.entries(map.sources)) {
    problems.push(...compileProblem(`${map.key}.${name}.paramsSchema`, settings.paramsSchema));
    for (const [runType, own] of Object.entries(settings.runTypes ?? {})) {
      problems.push(...compileProblem(`${map.key}.${name}.runTypes.${runType}.paramsSchema`, own.paramsSchema));
    }
  }
  return problems;
}

function compileProblem(key: string, schema: Readonly<Record<string, unknown>> | undefined): string[] {
  if (schema === undefined) return [];
  try {
    compileParamsSchema(schema);
    return [];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [`${key}: not a usable JSON Schema (${reason}); write a draft 2020-12 JSON Schema`];
  }
}

function retryProblems(map: SourceMap): string[] {
  const problems: string[] = [];
  for (const [name, settings] of Object.entries(map.sources)) {
    problems.push(...patternProblems(`${map.key}.${name}.retry.when`, settings.retry?.when));
    for (const [runType, own] of Object.entries(settings.runTypes ?? {})) {
      problems.push(...patternProblems(`${map.key}.${name}.runTypes.${runType}.retry.when`, own.retry?.when));
    }
  }
  return problems;
}

function runTypeKeyProblems(map: SourceMap): string[] {
  const problems: string[] = [];
  for (const [name, settings] of Object.entries(map.sources)) {
    for (const runType of Object.keys(settings.runTypes ?? {})) {
      if (map.runTypes.includes(runType)) continue;
      problems.push(`${map.key}.${name}.runTypes.${runType}: not a run type; use one of ${map.runTypes.join(', ')} (the runTypes list)`);
    }
  }
  return problems;
}

function cronProblems(config: FileConfig): string[] {
  const cron = config.schedule.cron;
  if (cron === undefined || isValidCron(cron)) return [];
  return [
    `schedule.cron: ${showValue(cron)} is not a valid cron expression; use 5 fields (minute hour day-of-month month ` +
      'day-of-week) or 6 with seconds first, e.g. "*/5 * * * *", or remove it to use schedule.intervalSeconds',
  ];
}

function dagIdProblems(config: FileConfig, map: SourceMap): string[] {
  const template = config.airflow.dagIdTemplate;
  const names = Object.keys(map.sources);
  const withoutDagId = names.filter((name) => map.sources[name]?.dagId === undefined);
  if (!template.includes('{source}') && withoutDagId.length > 0) {
    if (map.key !== 'sources') return []; // said once, for the top level
    return [
      `airflow.dagIdTemplate: ${showValue(template)} has no {source}, so every source would use one DAG; ` +
        `add {source}, or set dagId for ${withoutDagId.map((name) => `sources.${name}`).join(', ')}`,
    ];
  }
  const problems: string[] = [];
  for (const name of names) {
    // dagIdFor reads only the template and the sources, which the file config already has.
    const dagId = dagIdFor({ airflow: config.airflow, sources: map.sources } as Pick<Config, 'airflow' | 'sources'>, name);
    if (DAG_ID.test(dagId)) continue;
    const key = map.sources[name]?.dagId === undefined ? 'airflow.dagIdTemplate' : `${map.key}.${name}.dagId`;
    problems.push(
      `${key}: the DAG id ${showValue(dagId)} for source ${name} is not valid; use only letters, digits, _, . and -`,
    );
  }
  return problems;
}

