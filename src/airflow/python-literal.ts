/**
 * Best-effort reader for the Python repr Airflow 2 returns for an XCom without `stringify=false`
 * (`{'run_id': 'R-1', 'error': None, 'ok': True}`): dicts, lists, tuples, strings, numbers, True/False/None.
 * Anything else gives undefined, and the caller keeps the text as it came.
 */
export function parsePythonLiteral(text: string): { value: unknown } | undefined {
  const reader = { text, at: 0 };
  try {
    const value = readValue(reader);
    skipSpace(reader);
    return reader.at === text.length ? { value } : undefined;
  } catch {
    return undefined;
  }
}

interface Reader {
  text: string;
  at: number;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function readValue(r: Reader): unknown {
  skipSpace(r);
  const char = r.text[r.at];
  if (char === '{') return readDict(r);
  if (char === '[') return readSequence(r, ']');
  if (char === '(') return readSequence(r, ')');
  if (char === "'" || char === '"') return readString(r, char);
  for (const [word, value] of [['None', null], ['True', true], ['False', false]] as const) {
    if (r.text.startsWith(word, r.at)) {
      r.at += word.length;
      return value;
    }
  }
  const number = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(r.text.slice(r.at));
  if (!number) throw new Error(`unexpected ${char ?? 'end'} at ${r.at}`);
  r.at += number[0].length;
  return Number(number[0]);
}

function readDict(r: Reader): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  r.at++;
  while (!closes(r, '}')) {
    const key = readValue(r);
    expect(r, ':');
    result[typeof key === 'string' ? key : JSON.stringify(key)] = readValue(r);
    separator(r, '}');
  }
  return result;
}

function readSequence(r: Reader, end: string): unknown[] {
  const result: unknown[] = [];
  r.at++;
  while (!closes(r, end)) {
    result.push(readValue(r));
    separator(r, end);
  }
  return result;
}

function readString(r: Reader, quote: string): string {
  let result = '';
  r.at++;
  while (r.at < r.text.length) {
    const char = r.text[r.at++] ?? '';
    if (char === quote) return result;
    if (char !== '\\') {
      result += char;
      continue;
    }
    const escaped = r.text[r.at++] ?? '';
    const hexLength = escaped === 'x' ? 2 : escaped === 'u' ? 4 : escaped === 'U' ? 8 : 0;
    if (hexLength > 0) {
      result += String.fromCodePoint(Number.parseInt(r.text.slice(r.at, r.at + hexLength), 16));
      r.at += hexLength;
    } else {
      result += ESCAPES[escaped] ?? `\\${escaped}`;
    }
  }
  throw new Error('unterminated string');
}

function closes(r: Reader, end: string): boolean {
  skipSpace(r);
  if (r.text[r.at] !== end) return false;
  r.at++;
  return true;
}

function separator(r: Reader, end: string): void {
  skipSpace(r);
  if (r.text[r.at] === ',') r.at++;
  else if (r.text[r.at] !== end) throw new Error(`expected , or ${end} at ${r.at}`);
}

function expect(r: Reader, char: string): void {
  skipSpace(r);
  if (r.text[r.at] !== char) throw new Error(`expected ${char} at ${r.at}`);
  r.at++;
}

function skipSpace(r: Reader): void {
  while (r.at < r.text.length && /\s/.test(r.text[r.at] ?? '')) r.at++;
}
