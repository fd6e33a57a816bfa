import type { Runtime } from '../app.js';
import { allPassed } from '../doctor/checks.js';
import { redactor, renderJson, renderText } from '../doctor/render.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { doctorSpec } from './specs.js';
import { parseCommand } from './usage.js';


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
