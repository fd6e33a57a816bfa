import { markerText } from './adf.js';
import type { CommentBody, CommentInline } from './ticket.js';

/**
 * A comment as Data Center stores it: plain text in Jira wiki markup. Paragraphs are separated by a
 * blank line and the marker is the last line, plain, so `hasMarker` finds it in the body as read back.
 */
export function commentToWiki(body: CommentBody): string {
  const paragraphs = body.paragraphs.map((inlines) => inlines.filter((inline) => inline.text !== '').map(inlineWiki).join(''));
  return [...paragraphs, markerText(body.marker)].join('\n\n');
}

function inlineWiki(inline: CommentInline): string {
  if ('href' in inline) return `[${escapeWiki(inline.text)}|${inline.href}]`;
  if (inline.code) return `{{${escapeWiki(inline.text)}}}`;
  if (inline.strong) return strong(inline.text);
  return escapeWiki(inline.text);
}

/** Wiki markup takes `*text*` only without spaces inside the stars: they go outside. */
function strong(text: string): string {
  const core = text.trim();
  if (core === '') return text;
  const lead = text.slice(0, text.indexOf(core));
  const trail = text.slice(text.indexOf(core) + core.length);
  return `${lead}*${escapeWiki(core)}*${trail}`;
}

/**
 * Text from a ticket or an error message may hold characters that open markup (a `[` starts a link,
 * `{` a macro, `_` emphasis); a backslash makes Jira show them as they are.
 */
function escapeWiki(text: string): string {
  return text.replace(/[[\]{}*_|]/g, '\\$&');
}
