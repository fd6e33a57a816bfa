/** The few ticket fields the naive strategy reads, from a v3 issue. */
export interface NaiveTicket {
  key: string;
  status: string;
  source: string;
  params: Record<string, unknown>;
}

interface RawIssue {
  key: string;
  fields: {
    status?: { name?: string };
    customfield_source?: { value?: string } | null;
    customfield_params?: unknown;
  };
}

export const NAIVE_FIELDS = 'status,customfield_source,customfield_run_type,customfield_params,customfield_environment';

export function toNaiveTicket(raw: RawIssue): NaiveTicket {
  const text = adfText(raw.fields.customfield_params).trim();
  return {
    key: raw.key,
    status: raw.fields.status?.name ?? '',
    source: raw.fields.customfield_source?.value ?? '',
    params: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** The text of an ADF document, paragraphs joined by newlines. */
export function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const { text, content, type } = node as { text?: unknown; content?: unknown; type?: unknown };
  if (typeof text === 'string') return text;
  if (!Array.isArray(content)) return '';
  return content.map(adfText).join(type === 'doc' ? '\n' : '');
}

export function adfDoc(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
