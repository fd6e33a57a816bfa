export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export interface ValueOperand {
  kind: 'value';
  text: string;
  quoted: boolean;
}

export interface FunctionOperand {
  kind: 'function';
  name: string;
}

export type SingleOperand = ValueOperand | FunctionOperand | { kind: 'empty' };

export type Operand = SingleOperand | { kind: 'list'; items: SingleOperand[] };

export type Clause =
  | { kind: 'and' | 'or'; clauses: Clause[] }
  | { kind: 'not'; clause: Clause }
  | { kind: 'term'; field: string; operator: Operator; operand: Operand; position: number };

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where: Clause | null;
  orderBy: SortKey[];
}
