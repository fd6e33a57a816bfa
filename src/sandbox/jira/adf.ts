/** Atlassian Document Format: the v3 API's shape for comment bodies and multi-line text fields. */
export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
  marks?: unknown[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && doc.content.every(isAdfNode);
}

function isAdfNode(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Record<string, unknown>;
  if (typeof node.type !== 'string') return false;
  if (node.text !== undefined && typeof node.text !== 'string') return false;
  return node.content === undefined || (Array.isArray(node.content) && node.content.every(isAdfNode));
}

/** One paragraph per line, as Jira's editor stores pasted plain text. */
export function textToAdf(text: string): AdfDoc {
  const content = text.split('\n').map((line): AdfNode =>
    line === '' ? { type: 'paragraph', content: [] } : { type: 'paragraph', content: [{ type: 'text', text: line }] },
  );
  return { type: 'doc', version: 1, content };
}

const BLOCKS = new Set(['paragraph', 'heading', 'codeBlock', 'listItem', 'blockquote', 'rule', 'panel']);

/** The plain text of a document: blocks become lines, hard breaks newlines. */
export function adfToText(doc: unknown): string {
  if (!isAdfDoc(doc)) return '';
  const lines: string[] = [];
  for (const node of doc.content) lines.push(nodeText(node));
  return lines.join('\n');
}

function nodeText(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const children = node.content ?? [];
  const separator = children.some((child) => BLOCKS.has(child.type)) ? '\n' : '';
  return children.map(nodeText).join(separator);
}
