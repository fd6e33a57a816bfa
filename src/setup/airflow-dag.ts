import { readFileSync } from 'node:fs';

/** What the example DAG is made for: the configured sources, their DAG ids, the result task and its XCom key. */
export interface DagSettings {
  dags: Array<{ source: string; dagId: string }>;
  taskId: string;
  xcomKey: string;
  /** Said in the header, so a reader knows where the values came from. */
  configFile: string | null;
}

const TEMPLATE = new URL('../../config/airflow/scraper_dag.py', import.meta.url);
const DEFAULT_TASK = 'run_pipeline';
const DEFAULT_KEY = 'return_value';

/** The example DAG shipped with the package (config/airflow/scraper_dag.py), read beside the built code. */
export function readDagTemplate(): string {
  return readFileSync(TEMPLATE, 'utf8');
}

/**
 * The example DAG with the configured sources, DAG ids, task id and XCom key put in. Each edit must
 * find its place in the template exactly once: a template that changed shape throws rather than
 * yielding a DAG that silently ignores a setting.
 */
export function renderExampleDag(template: string, settings: DagSettings): string {
  let text = template;
  const { dags, taskId, xcomKey } = settings;
  const sources = dags.map((dag) => py(dag.source));
  text = replaceOnce(text, /^SOURCES = \(.*\)$/m, () => `SOURCES = (${sources.join(', ')}${sources.length === 1 ? ',' : ''})`);
  if (dags.some((dag) => dag.dagId !== `scraper_${dag.source}`)) {
    const ids = dags.map((dag) => `${py(dag.source)}: ${py(dag.dagId)}`).join(', ');
    text = replaceOnce(text, /^SOURCES = .*$/m, (line) => `${line}\n# The DAG id of each source, as the reconciler's config names them.\nDAG_IDS = {${ids}}`);
    text = replaceOnce(text, 'dag_id=f"scraper_{source}"', 'dag_id=DAG_IDS[source]');
    text = replaceOnce(text, 'globals()[f"scraper_{_source}"]', 'globals()[DAG_IDS[_source]]');
  }
  if (taskId !== DEFAULT_TASK) {
    text = replaceOnce(text, `task_id="${DEFAULT_TASK}"`, `task_id=${py(taskId)}`);
    text = text.replaceAll(`\`\`${DEFAULT_TASK}\`\``, `\`\`${taskId}\`\``);
  }
  if (xcomKey !== DEFAULT_KEY) {
    text = replaceOnce(text, `xcom_push(key="${DEFAULT_KEY}"`, `xcom_push(key=${py(xcomKey)}`);
    // The return value lands under return_value; the reconciler reads the configured key, so push it there too.
    text = replaceOnce(text, /^( +)return (execute\(.*\))$/m, (_line, indent: string, call: string) =>
      [`${indent}result = ${call}`, `${indent}push(result)  # the reconciler reads the XCom ${py(xcomKey)} (airflow.resultXcomKey)`, `${indent}return result`].join('\n'),
    );
    text = text.replaceAll(`\`\`${DEFAULT_KEY}\`\``, `\`\`${xcomKey}\`\``);
  }
  return `${header(settings)}${text}`;
}

function header({ dags, taskId, xcomKey, configFile }: DagSettings): string {
  return [
    `# Written by jira-airflow-reconciler setup airflow --print-dag from ${configFile ?? 'the default settings and the environment'}:`,
    `# DAGs ${dags.map((dag) => dag.dagId).join(', ')}; result task ${taskId}, XCom ${xcomKey}.`,
    '',
  ].join('\n');
}

/** A Python string literal: JSON's escapes (\", \\, \n, \uXXXX) mean the same in Python. */
function py(value: string): string {
  return JSON.stringify(value);
}

/** Replaces the one match of `find`; the replacement is a function so no `$` in a configured value is read as a pattern. */
function replaceOnce(text: string, find: string | RegExp, replacement: string | ((match: string, ...groups: string[]) => string)): string {
  const flags = typeof find === 'string' ? '' : find.flags.replace('g', '');
  const pattern = new RegExp(typeof find === 'string' ? escapeRegExp(find) : find.source, flags);
  const count = [...text.matchAll(new RegExp(pattern.source, `${flags}g`))].length;
  if (count !== 1) throw new Error(`the example DAG template does not have exactly one ${String(find)} (found ${count}); it cannot be filled in`);
  return text.replace(pattern, typeof replacement === 'string' ? () => replacement : replacement);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
