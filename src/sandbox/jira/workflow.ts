export interface StatusDefinition {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface TransitionDefinition {
  id: string;
  name: string;
  to: string;
  from: readonly string[];
  /** Whether the transition's screen is the run-outcome screen (configurable per sim). */
  outcomeScreen: boolean;
}

export type TransitionScreens = 'full' | 'no-comment' | 'no-fields';

export const STATUSES: readonly StatusDefinition[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '10001', name: 'Ready to Run', category: 'indeterminate' },
  { id: '10002', name: 'Completed', category: 'done' },
  { id: '10003', name: 'Failed - Needs Investigation', category: 'done' },
  { id: '10004', name: 'Cancelled', category: 'done' },
  // For `jira.statuses.running`: where a triggered ticket waits for its run. Unused when that is not set.
  { id: '10005', name: 'Running', category: 'indeterminate' },
  // A second project's own Ready to Run (`jira.projects[].statuses.ready`); people move tickets into it.
  { id: '10006', name: 'Queued for run', category: 'indeterminate' },
];

export const STATUS_CATEGORIES: Record<StatusCategoryKey, { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

const FINISHED = ['Completed', 'Failed - Needs Investigation', 'Cancelled'];
/** Where a request is worked: Ready to Run, then Running where the reconciler is told to use it. */
const IN_WORK = ['Ready to Run', 'Running', 'Queued for run'];

/** Transition names deliberately differ from their target status names, as in real workflows. */
export const TRANSITIONS: readonly TransitionDefinition[] = [
  { id: '11', name: 'Submit for run', to: 'Ready to Run', from: ['To Do', ...FINISHED], outcomeScreen: false },
  { id: '21', name: 'Mark done', to: 'Completed', from: IN_WORK, outcomeScreen: true },
  { id: '31', name: 'Needs investigation', to: 'Failed - Needs Investigation', from: IN_WORK, outcomeScreen: true },
  { id: '41', name: 'Cancel', to: 'Cancelled', from: ['To Do', ...IN_WORK], outcomeScreen: false },
  { id: '51', name: 'Reopen', to: 'To Do', from: FINISHED, outcomeScreen: false },
  // The run's own screen: the trigger's fields and comment travel with the move.
  { id: '61', name: 'Start run', to: 'Running', from: ['Ready to Run'], outcomeScreen: true },
];

/** Fields on the outcome screen; 'comment' stands for the screen's Comment field. */
const OUTCOME_FIELDS = ['customfield_run_status', 'customfield_run_id', 'customfield_airflow_run_id'];

/** Field ids a transition's screen holds; an empty list means the transition has no screen. */
export function screenFields(transition: TransitionDefinition, screens: TransitionScreens): string[] {
  if (!transition.outcomeScreen || screens === 'no-fields') return [];
  return screens === 'no-comment' ? [...OUTCOME_FIELDS] : [...OUTCOME_FIELDS, 'comment'];
}
