export { startAirflowSim } from './server.js';
export { pythonRepr, pythonStr } from './python-repr.js';
export type { AirflowSim, AirflowSimOptions, ApiVersion, PlannedOutcome, RunMatch, SimDag, SimDagRun, SimRunState } from './types.js';
