import { validate as isValidCron } from 'node-cron';
import { compileParamsSchema } from './params-schema.js';
import { dagIdFor, type Config, type FileConfig } from './schema.js';
import { showValue } from './key-names.js';

const DAG_ID = /^[A-Za-z0-9_.-]+$/;

/** Rules the schema cannot express: they relate several keys or need another library to judge. */
export function semanticProblems(config: FileConfig): string[] {
  return [...sourceProblems(config), ...cronProblems(config), ...dagIdProblems(config)];
}

function sourceProblems(config: FileConfig): string[] {
  const names = Object.keys(config.sources);
  if (names.length === 0) return ['sources: no source is configured; name at least one, e.g. "alfabeta: {}"'];
  const problems: string[] = [];
  for (const name of names) {
    const schema = config.sources[name]?.paramsSchema;
    if (schema === undefined) continue;
    try {
      compileParamsSchema(schema);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`sources.${name}.paramsSchema: not a usable JSON Schema (${reason}); write a draft 2020-12 JSON Schema`);
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

function dagIdProblems(config: FileConfig): string[] {
  const template = config.airflow.dagIdTemplate;
  const names = Object.keys(config.sources);
  const withoutDagId = names.filter((name) => config.sources[name]?.dagId === undefined);
  if (!template.includes('{source}') && withoutDagId.length > 0) {
    return [
      `airflow.dagIdTemplate: ${showValue(template)} has no {source}, so every source would use one DAG; ` +
        `add {source}, or set dagId for ${withoutDagId.map((name) => `sources.${name}`).join(', ')}`,
    ];
  }
  const problems: string[] = [];
  for (const name of names) {
    // dagIdFor reads only the template and the sources, which the file config already has.
    const dagId = dagIdFor(config as Pick<Config, 'airflow' | 'sources'>, name);
    if (DAG_ID.test(dagId)) continue;
    const key = config.sources[name]?.dagId === undefined ? 'airflow.dagIdTemplate' : `sources.${name}.dagId`;
    problems.push(
      `${key}: the DAG id ${showValue(dagId)} for source ${name} is not valid; use only letters, digits, _, . and -`,
    );
  }
  return problems;
}
