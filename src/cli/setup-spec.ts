import type { CommandSpec } from './usage.js';

/** `setup jira`'s name, options and help: loaded without the command, so help and usage errors start fast. */
export const setupJiraSpec = {
  name: 'setup jira',
  summary:
    "Finds or makes the seven custom fields, their options, screens and statuses, and names what only a Jira admin can do.\n" +
    'Plans by default; --apply makes the changes. Never deletes or renames; a second --apply writes nothing. Exit 0 when everything is in place, 1 when something is still missing or was refused, 2 for a usage error.',
  usage: 'setup jira [--apply] [--write-config FILE]',
  options: {
    apply: { type: 'boolean' },
    'write-config': { type: 'string' },
  },
  help: [
    '      --apply              make the changes (without it: print the plan, write nothing to Jira)',
    '      --write-config FILE  write jira.fields with the real field ids into FILE (merged into an existing file, comments kept)',
  ],
} satisfies CommandSpec;
