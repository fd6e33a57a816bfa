import type { Clause, JqlQuery, Operand, Operator, SingleOperand, SortKey } from './ast.js';
import { JqlError, tokenize, type Token } from './lexer.js';

/** Parses JQL (clauses joined by AND/OR/NOT, parentheses, ORDER BY) or throws JqlError naming the problem. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).query();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): JqlQuery {
    const where = this.isKeyword('order') || this.peek().type === 'eof' ? null : this.or();
    const orderBy = this.isKeyword('order') ? this.orderBy() : [];
    if (this.peek().type !== 'eof') throw this.unexpected("'AND', 'OR' or 'ORDER BY'");
    return { where, orderBy };
  }

  private or(): Clause {
    const clauses = [this.and()];
    while (this.acceptKeyword('or')) clauses.push(this.and());
    return clauses.length === 1 ? (clauses[0] as Clause) : { kind: 'or', clauses };
  }

  private and(): Clause {
    const clauses = [this.not()];
    while (this.acceptKeyword('and')) clauses.push(this.not());
    return clauses.length === 1 ? (clauses[0] as Clause) : { kind: 'and', clauses };
  }

  private not(): Clause {
    if (this.acceptKeyword('not') || this.accept('op', '!')) return { kind: 'not', clause: this.not() };
    if (this.accept('lparen')) {
      const clause = this.or();
      if (!this.accept('rparen')) throw this.unexpected("')'");
      return clause;
    }
    return this.term();
  }

  private term(): Clause {
    const token = this.peek();
    if (token.type !== 'word' && token.type !== 'string') throw this.unexpected('a field name');
    this.index += 1;
    const operator = this.operator();
    return { kind: 'term', field: token.text, operator, operand: this.operand(operator), position: token.position };
  }

  private operator(): Operator {
    const token = this.peek();
    if (token.type === 'op' && token.text !== '!') {
      this.index += 1;
      return token.text as Operator;
    }
    if (this.acceptKeyword('in')) return 'in';
    if (this.acceptKeyword('is')) return this.acceptKeyword('not') ? 'is not' : 'is';
    if (this.acceptKeyword('not')) {
      if (this.acceptKeyword('in')) return 'not in';
      throw this.unexpected("'IN' after 'NOT'");
    }
    throw this.unexpected("an operator ('=', '!=', '~', '!~', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'IS', 'IS NOT')");
  }

  private operand(operator: Operator): Operand {
    if (operator === 'is' || operator === 'is not') {
      if (this.acceptKeyword('empty') || this.acceptKeyword('null')) return { kind: 'empty' };
      throw this.unexpected("'EMPTY' or 'NULL'");
    }
    if (operator === 'in' || operator === 'not in') {
      if (!this.accept('lparen')) throw this.unexpected("'(' to start the list");
      const items = [this.single()];
      while (this.accept('comma')) items.push(this.single());
      if (!this.accept('rparen')) throw this.unexpected("',' or ')'");
      return { kind: 'list', items };
    }
    return this.single();
  }

  private single(): SingleOperand {
    const token = this.peek();
    if (token.type === 'string') {
      this.index += 1;
      return { kind: 'value', text: token.text, quoted: true };
    }
    if (token.type !== 'word' || isReserved(token.text)) throw this.unexpected('a value');
    this.index += 1;
    if (this.accept('lparen')) {
      if (!this.accept('rparen')) throw this.unexpected("')' (function arguments are not supported)");
      return { kind: 'function', name: token.text.toLowerCase() };
    }
    if (/^(empty|null)$/i.test(token.text)) return { kind: 'empty' };
    return { kind: 'value', text: token.text, quoted: false };
  }

  private orderBy(): SortKey[] {
    this.acceptKeyword('order');
    if (!this.acceptKeyword('by')) throw this.unexpected("'BY' after 'ORDER'");
    const keys: SortKey[] = [];
    do {
      const token = this.peek();
      if (token.type !== 'word' && token.type !== 'string') throw this.unexpected('a field to order by');
      this.index += 1;
      const direction = this.acceptKeyword('desc') ? 'desc' : (this.acceptKeyword('asc'), 'asc');
      keys.push({ field: token.text, direction });
    } while (this.accept('comma'));
    if (keys.length > 7) throw new JqlError('Error in the JQL Query: The ORDER BY clause can contain at most 7 fields.');
    return keys;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { type: 'eof', text: '', position: 0 };
  }

  private accept(type: Token['type'], text?: string): boolean {
    const token = this.peek();
    if (token.type !== type || (text !== undefined && token.text !== text)) return false;
    this.index += 1;
    return true;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.text.toLowerCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index += 1;
    return true;
  }

  private unexpected(expected: string): JqlError {
    const token = this.peek();
    const got = token.type === 'eof' ? 'the end of the query' : `'${token.text}'`;
    return new JqlError(`Error in the JQL Query: Expecting ${expected} but got ${got}. (line 1, character ${token.position})`);
  }
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'order', 'by']);

function isReserved(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}
