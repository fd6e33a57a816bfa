import type { CommandSpec } from './usage.js';

/** `setup airflow`'s name, options and help: loaded without the command, so help and usage errors start fast. */
export const setupAirflowSpec = {
  name: 'setup airflow',
  summary:
    "Checks each configured source's DAG in Airflow: it exists, is not paused, and, where it declares params, declares the conf keys the reconciler sends and accepts them. One PASS or FAIL line per check, with what to do.\n" +
    'Reads only. --print-dag (or --write-dag FILE) instead writes the example DAG for the configured sources, DAG ids and result task, and asks Airflow nothing: it needs only the config file (no base URLs, no secrets).\n' +
    'Exit 0 when everything is in place (or the DAG was written), 1 when something is missing, 2 for a usage error.',
  usage: 'setup airflow [--print-dag | --write-dag FILE]',
  options: {
    'print-dag': { type: 'boolean' },
    'write-dag': { type: 'string' },
  },
  help: [
    '      --print-dag        print the example DAG file for the configured sources on stdout (e.g. > dags/scraper_dag.py)',
    '      --write-dag FILE   write it to FILE instead (replaced if it exists)',
  ],
} satisfies CommandSpec;
