import { RECORD_STATES } from '../store/run-record.js';
import type { CommandSpec } from './usage.js';

/** Every command's name, options and help: loaded without the commands, so help and usage errors start fast. */

export const reconcileSpec = {
  name: 'reconcile',
  summary:
    'Runs one reconcile pass, then exits: picks up Ready to Run tickets, triggers their DAG runs, tracks runs in flight and writes outcomes back to Jira.\nExit 0 when the pass completed (tickets rejected for bad input included), 1 when it could not, 2 for a usage error.',
  usage: 'reconcile [--dry-run] [--issue KEY]... [--json] [--full]',
  options: {
    'dry-run': { type: 'boolean' },
    issue: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    full: { type: 'boolean' },
  },
  help: [
    '      --dry-run       plan and print the actions; write nothing to Jira, Airflow or the state store',
    '      --issue KEY     limit the pass to this ticket (repeatable)',
    '      --json          print the pass summary as one JSON object on stdout',
    '      --full          search every Ready to Run ticket, ignoring the search cursor',
  ],
} satisfies CommandSpec;

export const daemonSpec = {
  name: 'daemon',
  summary:
    'Runs reconcile passes on the schedule until SIGTERM/SIGINT, serving /metrics, /healthz and /readyz.\nSIGUSR1 asks for a pass at once (systemctl kill -s USR1 jira-airflow-reconciler). Exit 0 after a graceful stop.',
  usage: 'daemon [--config FILE]',
  options: {},
  help: [],
} satisfies CommandSpec;

export const runsSpec = {
  name: 'runs',
  summary: 'Lists the run records of the state store, newest first. Reads only; works while the daemon runs.',
  usage: 'runs [--json] [--issue KEY]... [--state STATE]... [--limit N]',
  options: {
    json: { type: 'boolean' },
    issue: { type: 'string', multiple: true },
    state: { type: 'string', multiple: true },
    limit: { type: 'string' },
  },
  help: [
    '      --json          print the records as one JSON array',
    '      --issue KEY     only this ticket (repeatable)',
    `      --state STATE   only this state (repeatable): ${RECORD_STATES.join(', ')}`,
    '      --limit N       at most N records (default 200)',
  ],
} satisfies CommandSpec;

export const doctorSpec = {
  name: 'doctor',
  summary:
    'Checks config, credentials, Jira fields, statuses and transitions, Airflow DAGs and the state file; prints PASS or FAIL per check, with a fix for each failure.\n' +
    'Reads only: GET requests (and the Airflow 3 login), never a write to Jira or Airflow. Exit 0 when every check passes, 1 otherwise.',
  usage: 'doctor [--json]',
  options: {
    json: { type: 'boolean' },
  },
  help: ['      --json          print the checks as one JSON object {ok, checks} on stdout'],
} satisfies CommandSpec;

export const demoSpec = {
  name: 'demo',
  summary:
    'Starts a simulated Jira and Airflow on loopback, seeds a dozen tickets, runs the daemon against them with live progress, prints the outcome per ticket, exits.\nNever touches a real Jira or Airflow; uses a temporary state file.',
  usage: 'demo [--timeout SECONDS] [--airflow v1|v2] [--jira cloud|datacenter] [--bare]',
  options: {
    timeout: { type: 'string' },
    airflow: { type: 'string' },
    jira: { type: 'string' },
    bare: { type: 'boolean' },
  },
  help: [
    '      --timeout SECONDS          give up after this long (default 90)',
    '      --airflow v1|v2            simulate Airflow 2 (v1, default) or Airflow 3 (v2)',
    '      --jira cloud|datacenter    simulate Jira Cloud (REST v3, default) or Jira Data Center (REST v2, a personal access token)',
    '      --bare                     start from a new Jira site: setup jira plans and applies, doctor passes, then the tickets run',
  ],
} satisfies CommandSpec;

export const stateCopySpec = {
  name: 'state copy',
  summary:
    "Copies one host's SQLite state (run records, the search cursor, the notification outbox) into a PostgreSQL state database, so several hosts can share it.\n" +
    'Refuses a database that already holds records unless --force, and one a daemon leads on. Stop the daemon on the SQLite file first. Exit 0 copied, 1 refused or failed, 2 usage error.',
  usage: 'state copy --from FILE [--to URL] [--force]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    force: { type: 'boolean' },
  },
  help: [
    '      --from FILE     the SQLite state file (RECONCILER_DB; ./data/reconciler.db by default); opened read-only',
    '      --to URL        postgres://user:password@host:5432/database; may be left out when RECONCILER_DATABASE_URL',
    '                      (or RECONCILER_DATABASE_URL_FILE, or its systemd credential) is set',
    '      --force         replace the records, cursor and outbox the database already holds',
  ],
} satisfies CommandSpec;
