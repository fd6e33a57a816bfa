import { describe, expect, it } from 'vitest';
import { adfToText, commentToAdf, hasMarker, markerText } from '../../src/jira/adf.js';

const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });

describe('adfToText', () => {
  it.each([
    ['a plain string (Data Center)', 'as is', 'as is'],
    ['paragraphs joined by newlines', doc(paragraph(text('one')), paragraph(text('two'))), 'one\ntwo'],
    ['a hardBreak as a newline', doc(paragraph(text('a'), { type: 'hardBreak' }, text('b'))), 'a\nb'],
    ['text split across marked nodes', doc(paragraph(text('{"a"'), { type: 'text', text: ': 1}', marks: [{ type: 'code' }] })), '{"a": 1}'],
    ['a codeBlock', doc({ type: 'codeBlock', attrs: { language: 'json' }, content: [text('{\n  "a": 1\n}')] }), '{\n  "a": 1\n}'],
    ['nested content', doc({ type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('x'))] }] }), 'x'],
    ['an empty paragraph as a blank line', doc(paragraph(text('a')), paragraph(), paragraph(text('b'))), 'a\n\nb'],
    ['a mention and an inline card', doc(paragraph({ type: 'mention', attrs: { text: '@Ann' } }, text(' see '), { type: 'inlineCard', attrs: { url: 'https://x.test' } })), '@Ann see https://x.test'],
    ['non-breaking spaces as spaces', doc(paragraph(text('\u00a0\u00a0"a": 1'))), '  "a": 1'],
    ['an empty document', doc(), ''],
    ['null', null, ''],
    ['something that is not ADF', { foo: 1 }, ''],
  ])('reads %s', (_name, input, expected) => {
    expect(adfToText(input)).toBe(expected);
  });

  it('turns pretty-printed JSON typed as one paragraph per line back into parseable JSON', () => {
    const lines = ['{', '\u00a0 "since": "2025-01-01",', '  "ids": [1, 2]', '}'];
    const parsed: unknown = JSON.parse(adfToText(doc(...lines.map((line) => paragraph(text(line))))));
    expect(parsed).toEqual({ since: '2025-01-01', ids: [1, 2] });
  });

  it('turns pretty-printed JSON typed with hard breaks back into parseable JSON', () => {
    const body = doc(paragraph(text('{'), { type: 'hardBreak' }, text('  "a": true'), { type: 'hardBreak' }, text('}')));
    expect(JSON.parse(adfToText(body))).toEqual({ a: true });
  });
});

describe('commentToAdf', () => {
  it('builds paragraphs with strong, code and link marks, then the marker paragraph', () => {
    const adf = commentToAdf({
      marker: 'trigger:SCR-1:1',
      paragraphs: [
        [{ text: 'DAG run ' }, { text: 'jira__SCR-1__1', code: true }, { text: ' started', strong: true }],
        [{ text: 'Open in Airflow', href: 'https://airflow.example.com/dags/x' }, { text: '' }],
      ],
    });
    expect(adf).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'DAG run ' },
            { type: 'text', text: 'jira__SCR-1__1', marks: [{ type: 'code' }] },
            { type: 'text', text: ' started', marks: [{ type: 'strong' }] },
          ],
        },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'Open in Airflow', marks: [{ type: 'link', attrs: { href: 'https://airflow.example.com/dags/x' } }] }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'jira-airflow-reconciler ref trigger:SCR-1:1' }] },
      ],
    });
  });

  it('never puts code and strong marks on one node (ADF refuses the pair)', () => {
    const adf = commentToAdf({ marker: 'm', paragraphs: [[{ text: 'x', code: true, strong: true }]] });
    expect(adf.content[0]?.content?.[0]?.marks).toEqual([{ type: 'code' }]);
  });
});

describe('hasMarker', () => {
  it('finds the marker in a comment it built, after a round trip through JSON', () => {
    const body: unknown = JSON.parse(JSON.stringify(commentToAdf({ marker: 'done:SCR-1:1', paragraphs: [[{ text: 'hi' }]] })));
    expect(hasMarker(body, 'done:SCR-1:1')).toBe(true);
  });

  it('does not take a marker for one it merely starts with', () => {
    const body = doc(paragraph(text(markerText('done:SCR-1:12'))));
    expect(hasMarker(body, 'done:SCR-1:1')).toBe(false);
  });

  it('finds the marker in a plain-text body (Data Center)', () => {
    expect(hasMarker(`Finished.\n${markerText('x')}`, 'x')).toBe(true);
  });
});
