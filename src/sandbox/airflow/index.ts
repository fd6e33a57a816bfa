export { startAirflowSim } from './server.js';
export { pythonRepr, pythonStr } from './python-repr.js';
export type {
  AirflowSim,
  AirflowSimOptions,
  ApiVersion,
  PlannedOutcome,
  RunMatch,
  SimDag,
  SimDagOptions,
  SimDagRun,
  SimParam,
  SimRunState,
  SimTaskState,
} from './types.js';
