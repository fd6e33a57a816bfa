/**
 * A Slack message as a person reads it in Slack, on one line: the ticket, then what happened.
 * `*<http://…/browse/SCR-12|SCR-12>* Summary\nSucceeded: 4,870 items.\n<http://…|scraper_lafa run …>`
 * becomes `SCR-12 — Succeeded: 4,870 items.` (the links are what Slack shows them as; the summary and the
 * run are in the outcome table the demo prints at the end).
 */
export function readableNotification(mrkdwn: string): string {
  const lines = mrkdwn
    .split('\n')
    .map((line) => plainText(line))
    .filter((line) => line !== '');
  const [head = '', outcome, ...rest] = lines;
  const ticket = head.split(' ')[0] ?? head;
  const event = outcome ?? rest[0];
  return event === undefined ? head : `${ticket} — ${event}`;
}

/** Slack mrkdwn to the text it displays: links by their label, bold/italic marks dropped, entities decoded. */
export function plainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^<>|]+)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/(^|\s)[*_~]+(?=\S)|(?<=\S)[*_~]+(?=\s|$)/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
