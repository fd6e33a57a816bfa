import type { Runtime } from '../app.js';
import { allPassed } from '../doctor/checks.js';
import { redactor, renderJson, renderText } from '../doctor/render.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { parseCommand, type CommandSpec } from './usage.js';

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

export async function doctorCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(doctorSpec, argv);
  const { checks, secrets } = await runDoctor(runtime, values.config);
  const redact = redactor(secrets);
  const shown = checks.map((check) => ({
    ...check,
    detail: redact(check.detail),
    ...(check.hint === undefined ? {} : { hint: redact(check.hint) }),
  }));
  runtime.stdout.write(values.json ? renderJson(shown) : renderText(shown));
  return allPassed(checks) ? 0 : 1;
}
