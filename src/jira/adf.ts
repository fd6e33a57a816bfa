import type { CommentBody, CommentInline } from './ticket.js';

/** Atlassian Document Format, as much of it as the reconciler writes. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status', 'placeholder']);

/**
 * Plain text of an ADF document (Cloud v3) or a plain string (Data Center): blocks on their own
 * lines, hardBreak as a newline. Non-breaking spaces become spaces, so JSON typed into the editor
 * with indentation still parses.
 */
export function adfToText(value: unknown): string {
  if (typeof value === 'string') return value.replaceAll('\u00a0', ' ');
  if (!isNode(value)) return '';
  return blockText(value).replaceAll('\u00a0', ' ');
}

function blockText(node: AdfNode): string {
  if (INLINE.has(node.type)) return inlineText(node);
  const lines: string[] = [];
  let line: string | null = null;
  for (const child of node.content ?? []) {
    if (!isNode(child)) continue;
    if (INLINE.has(child.type)) {
      line = (line ?? '') + inlineText(child);
      continue;
    }
    if (line !== null) lines.push(line);
    line = null;
    lines.push(blockText(child));
  }
  if (line !== null) lines.push(line);
  return lines.join('\n');
}

function inlineText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'inlineCard':
      return stringAttr(node, 'url');
    case 'emoji':
      return stringAttr(node, 'text') || stringAttr(node, 'shortName');
    default:
      return stringAttr(node, 'text');
  }
}

function stringAttr(node: AdfNode, name: string): string {
  const value = node.attrs?.[name];
  return typeof value === 'string' ? value : '';
}

function isNode(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The line that carries a comment's marker; found again by `hasMarker`. */
export function markerText(marker: string): string {
  return `jira-airflow-reconciler ref ${marker}`;
}

/** Whether a comment body (ADF or plain text) carries this marker on a line of its own. */
export function hasMarker(body: unknown, marker: string): boolean {
  const wanted = markerText(marker);
  return adfToText(body)
    .split('\n')
    .some((line) => line.trim() === wanted);
}

/** A comment as ADF: one paragraph per CommentBody paragraph, then the marker paragraph. */
export function commentToAdf(body: CommentBody): AdfDoc {
  const paragraphs: AdfNode[] = body.paragraphs.map((inlines) => ({
    type: 'paragraph',
    content: inlines.filter((inline) => inline.text !== '').map(inlineNode),
  }));
  paragraphs.push({ type: 'paragraph', content: [{ type: 'text', text: markerText(body.marker) }] });
  return { type: 'doc', version: 1, content: paragraphs };
}

function inlineNode(inline: CommentInline): AdfNode {
  if ('href' in inline) return { type: 'text', text: inline.text, marks: [{ type: 'link', attrs: { href: inline.href } }] };
  // ADF allows `code` only alone (or with a link), so it wins over `strong`.
  if (inline.code) return { type: 'text', text: inline.text, marks: [{ type: 'code' }] };
  if (inline.strong) return { type: 'text', text: inline.text, marks: [{ type: 'strong' }] };
  return { type: 'text', text: inline.text };
}
