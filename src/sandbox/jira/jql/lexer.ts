export type TokenType = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  /** 1-based character position in the query. */
  position: number;
}

/** A JQL query Jira would refuse with 400; `messages` become `errorMessages`. */
export class JqlError extends Error {
  readonly messages: string[];

  constructor(messages: string | string[]) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join(' '));
    this.messages = list;
  }
}

const OPERATORS = ['!=', '>=', '<=', '!~', '=', '>', '<', '~', '!'];

/** Splits JQL into words, quoted strings, operators and punctuation. */
export function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < jql.length) {
    const char = jql.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const position = index + 1;
    if (char === '"' || char === "'") {
      const end = closingQuote(jql, index, char);
      tokens.push({ type: 'string', text: unescape(jql.slice(index + 1, end)), position });
      index = end + 1;
      continue;
    }
    const single = ({ '(': 'lparen', ')': 'rparen', ',': 'comma' } as const)[char as '(' | ')' | ','];
    if (single) {
      tokens.push({ type: single, text: char, position });
      index += 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => jql.startsWith(candidate, index));
    if (operator) {
      tokens.push({ type: 'op', text: operator, position });
      index += operator.length;
      continue;
    }
    const word = /^[^\s=!<>~(),"']+/.exec(jql.slice(index))?.[0] ?? char;
    tokens.push({ type: 'word', text: word, position });
    index += word.length;
  }
  tokens.push({ type: 'eof', text: '', position: jql.length + 1 });
  return tokens;
}

function closingQuote(jql: string, start: number, quote: string): number {
  for (let index = start + 1; index < jql.length; index += 1) {
    if (jql.charAt(index) === '\\') index += 1;
    else if (jql.charAt(index) === quote) return index;
  }
  throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${start + 1} has not been completed.`);
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
