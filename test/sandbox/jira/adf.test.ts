import { describe, expect, it } from 'vitest';
import { adfToText, isAdfDoc, textToAdf } from '../../../src/sandbox/jira/adf.js';

describe('ADF helpers', () => {
  it('round-trips multi-line text through paragraphs', () => {
    const text = '{\n  "sku": "A1"\n}';
    const doc = textToAdf(text);
    expect(isAdfDoc(doc)).toBe(true);
    expect(doc.content).toHaveLength(3);
    expect(adfToText(doc)).toBe(text);
  });

  it('reads nested blocks, hard breaks and code blocks', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'codeBlock', content: [{ type: 'text', text: '{"a":1}' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'x' }, { type: 'hardBreak' }, { type: 'text', text: 'y' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] }] },
      ],
    };
    expect(adfToText(doc)).toBe('{"a":1}\nx\ny\nitem');
  });

  it('tells documents from strings and malformed objects', () => {
    expect(isAdfDoc('text')).toBe(false);
    expect(isAdfDoc({ type: 'doc', version: 2, content: [] })).toBe(false);
    expect(isAdfDoc({ type: 'doc', version: 1, content: [{ text: 'no type' }] })).toBe(false);
    expect(adfToText('plain')).toBe('');
  });
});
