/**
 * PartiQL's grammar as DynamoDB takes it: SELECT, INSERT, UPDATE, DELETE and, inside
 * ExecuteTransaction, EXISTS(SELECT ...). Recursive descent over lexer.ts's tokens; any text it does
 * not take throws Malformed (DynamoDB: "Statement wasn't well formed, can't be processed").
 */
import type {
  CompareOp,
  Cond,
  Literal,
  Operand,
  Parsed,
  Path,
  Pos,
  Returning,
  Source,
  Statement,
} from './ast.js';
import { Malformed, Refused, type Token, tokenize } from './lexer.js';

/** Parse one statement (a trailing `;` is allowed, as DynamoDB allows it). */
export function parse(text: string): Parsed {
  return new Parser(tokenize(text)).statement();
}

/** Words that end an operand or a clause: never read as a name there. */
const KEYWORDS = new Set(
  'SELECT FROM WHERE AND OR NOT IN IS BETWEEN MISSING NULL TRUE FALSE INSERT INTO VALUE UPDATE SET REMOVE DELETE RETURNING ORDER BY ASC DESC EXISTS'.split(
    ' ',
  ),
);

class Parser {
  private i = 0;
  private params = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }
  private isWord(w: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'word' && t.text.toUpperCase() === w;
  }
  private isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === p;
  }
  private acceptWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.i++;
    return true;
  }
  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }
  private word(w: string): void {
    if (!this.acceptWord(w)) throw new Malformed(`expected ${w}`);
  }
  private punct(p: string): Token {
    const t = this.peek();
    if (!this.acceptPunct(p)) throw new Malformed(`expected ${p}`);
    return t;
  }

  statement(): Parsed {
    const statement = this.oneStatement();
    this.acceptPunct(';');
    if (this.peek().kind !== 'end') throw new Malformed('text after the statement');
    return { statement, params: this.params };
  }

  private oneStatement(): Statement {
    if (this.acceptWord('SELECT')) return this.select();
    if (this.acceptWord('INSERT')) {
      this.word('INTO');
      const from = this.source();
      this.word('VALUE');
      return { kind: 'insert', from, value: this.literal() };
    }
    if (this.acceptWord('UPDATE')) return this.update();
    if (this.acceptWord('DELETE')) {
      this.word('FROM');
      const from = this.source();
      const where = this.acceptWord('WHERE') ? this.cond() : undefined;
      return { kind: 'delete', from, where, returning: this.returning() };
    }
    if (this.acceptWord('EXISTS')) {
      this.punct('(');
      this.word('SELECT');
      const select = this.select();
      this.punct(')');
      return { kind: 'exists', select };
    }
    throw new Malformed('no statement');
  }

  private select(): Statement & { kind: 'select' } {
    let projection: Path[] | undefined;
    if (!this.acceptPunct('*')) {
      projection = [this.path()];
      while (this.acceptPunct(',')) projection.push(this.path());
    }
    this.word('FROM');
    const from = this.source();
    const where = this.acceptWord('WHERE') ? this.cond() : undefined;
    let order: { path: Path; desc: boolean } | undefined;
    if (this.acceptWord('ORDER')) {
      this.word('BY');
      const path = this.path();
      const desc = this.acceptWord('DESC');
      if (!desc) this.acceptWord('ASC');
      order = { path, desc };
    }
    return { kind: 'select', from, projection, where, order };
  }

  private update(): Statement {
    const from = this.source();
    const sets: { path: Path; value: Operand }[] = [];
    const removes: Path[] = [];
    for (;;) {
      if (this.acceptWord('SET')) {
        do {
          const path = this.path();
          this.punct('=');
          sets.push({ path, value: this.operand() });
        } while (this.acceptPunct(','));
      } else if (this.acceptWord('REMOVE')) {
        do removes.push(this.path());
        while (this.acceptPunct(','));
      } else break;
    }
    if (sets.length === 0 && removes.length === 0) throw new Malformed('UPDATE without SET or REMOVE');
    const where = this.acceptWord('WHERE') ? this.cond() : undefined;
    return { kind: 'update', from, sets, removes, where, returning: this.returning() };
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined;
    const which = this.acceptWord('ALL') ? 'ALL' : this.acceptWord('MODIFIED') ? 'MODIFIED' : undefined;
    if (!which) throw new Malformed('RETURNING ALL|MODIFIED');
    const when = this.acceptWord('OLD') ? 'OLD' : this.acceptWord('NEW') ? 'NEW' : undefined;
    if (!when) throw new Malformed('RETURNING ... OLD|NEW');
    this.punct('*');
    return { which, when };
  }

  /** `"table"`, `table`, `"table"."index"`. */
  private source(): Source {
    const table = this.name();
    if (this.acceptPunct('.')) return { table, index: this.name() };
    return { table };
  }

  private name(): string {
    const t = this.peek();
    if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text.toUpperCase()))) {
      this.i++;
      return t.text;
    }
    throw new Malformed('expected a name');
  }

  private path(): Path {
    const at = this.peek().at;
    const parts: (string | number)[] = [this.name()];
    for (;;) {
      if (this.acceptPunct('.')) parts.push(this.name());
      else if (this.isPunct('[')) {
        this.i++;
        const t = this.next();
        if (t.kind === 'num' && /^[0-9]+$/.test(t.text)) parts.push(Number(t.text));
        else if (t.kind === 'str') parts.push(t.text);
        else throw new Malformed('a path index is a whole number');
        this.punct(']');
      } else break;
    }
    return { t: 'path', parts, at };
  }

  // Conditions: OR < AND < NOT < predicate.
  private cond(): Cond {
    let l = this.andCond();
    while (this.acceptWord('OR')) l = { t: 'or', l, r: this.andCond() };
    return l;
  }
  private andCond(): Cond {
    let l = this.notCond();
    while (this.acceptWord('AND')) l = { t: 'and', l, r: this.notCond() };
    return l;
  }
  private notCond(): Cond {
    if (this.acceptWord('NOT')) return { t: 'not', c: this.notCond() };
    return this.predicate();
  }

  private predicate(): Cond {
    if (this.isPunct('(')) {
      // A parenthesised condition (an operand never starts with `(`).
      this.i++;
      const c = this.cond();
      this.punct(')');
      return c;
    }
    const x = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.i++;
      const op = (t.text === '!=' ? '<>' : t.text) as CompareOp;
      return { t: 'cmp', op, l: x, r: this.operand() };
    }
    if (this.acceptWord('BETWEEN')) {
      const lo = this.operand();
      this.word('AND');
      return { t: 'between', x, lo, hi: this.operand() };
    }
    if (this.acceptWord('IN')) {
      let close = ']';
      if (!this.acceptPunct('[')) {
        this.punct('(');
        close = ')';
      }
      if (this.acceptPunct(close)) {
        throw new Refused(
          'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
        );
      }
      const items = [this.operand()];
      while (this.acceptPunct(',')) items.push(this.operand());
      this.punct(close);
      return { t: 'in', x, items };
    }
    if (this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      const what = this.acceptWord('MISSING') ? 'MISSING' : this.acceptWord('NULL') ? 'NULL' : undefined;
      if (!what) throw new Malformed('IS [NOT] MISSING|NULL');
      return { t: 'is', x, not, what };
    }
    if (x.t === 'call') return { t: 'fn', call: x };
    throw new Malformed('a condition needs an operator');
  }

  /** An operand: a value, a path, a function's call, and `+` / `-` between them. */
  operand(): Operand {
    let l = this.term();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && (t.text === '+' || t.text === '-')) {
        this.i++;
        l = { t: 'arith', op: t.text, l, r: this.term(), at: t.at };
      } else return l;
    }
  }

  private term(): Operand {
    const t = this.peek();
    // A word before `(` is a function's name, a keyword too (`exists(a)` is an unknown function).
    if (t.kind === 'word' && this.isPunct('(', 1)) {
      this.i += 2;
      const args: Operand[] = [];
      if (!this.isPunct(')')) {
        args.push(this.operand());
        while (this.acceptPunct(',')) args.push(this.operand());
      }
      this.punct(')');
      return { t: 'call', name: t.text, args, at: t.at };
    }
    if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text.toUpperCase()))) return this.path();
    return this.literal();
  }

  literal(): Literal {
    const t = this.next();
    const at = t.at;
    switch (t.kind) {
      case 'str':
        return { t: 'str', v: t.text, at };
      case 'num':
        return { t: 'num', v: t.text, at };
      case 'ion':
        return { t: 'ion', type: ionType(t.text), at };
      case 'word': {
        const w = t.text.toUpperCase();
        if (w === 'TRUE' || w === 'FALSE') return { t: 'bool', v: w === 'TRUE', at };
        if (w === 'NULL') return { t: 'null', at };
        if (w === 'MISSING') return { t: 'missing', at };
        break;
      }
      case 'punct':
        switch (t.text) {
          case '?':
            return { t: 'param', i: this.params++, at };
          case '-': {
            const n = this.next();
            if (n.kind !== 'num') break;
            return { t: 'num', v: `-${n.text}`, at: { ...at, len: n.at.col + n.at.len - at.col } };
          }
          case '[':
            return { t: 'list', items: this.items(']'), at };
          case '<<':
            return { t: 'bag', items: this.items('>>'), at };
          case '{': {
            const entries: { key: string; at: Pos; value: Literal }[] = [];
            if (!this.acceptPunct('}')) {
              do {
                const k = this.next();
                if (k.kind !== 'str' && k.kind !== 'quoted') throw new Malformed('a map key is a string');
                this.punct(':');
                entries.push({ key: k.text, at: k.at, value: this.literal() });
              } while (this.acceptPunct(','));
              this.punct('}');
            }
            return { t: 'map', entries, at };
          }
        }
        break;
    }
    throw new Malformed('expected a value');
  }

  private items(close: string): Literal[] {
    const items: Literal[] = [];
    if (this.acceptPunct(close)) return items;
    do items.push(this.literal());
    while (this.acceptPunct(','));
    this.punct(close);
    return items;
  }
}

/** The Ion type of a literal's text, as DynamoDB names it refusing it. */
function ionType(text: string): string {
  const v = text.trim();
  if (v.startsWith('{{')) return 'BLOB';
  if (v.startsWith('{')) return 'STRUCT';
  if (v.startsWith('[')) return 'LIST';
  if (v.startsWith('(')) return 'SEXP';
  if (v.startsWith('"') || v.startsWith("'''")) return 'STRING';
  if (/^null(\.\w+)?$/.test(v)) return 'NULL';
  if (v === 'true' || v === 'false') return 'BOOL';
  if (/^\d{4}(-\d\d)*T/.test(v) || /^\d{4}-\d\d-\d\d/.test(v)) return 'TIMESTAMP';
  if (/^[-+]?(\d[\d_]*|0x[\da-fA-F_]+|0b[01_]+)$/.test(v)) return 'INT';
  if (/^[-+]?\d[\d_]*(\.\d*)?([dD][-+]?\d+)?$/.test(v)) return 'DECIMAL';
  if (/^[-+]?(\d[\d_]*(\.\d*)?[eE][-+]?\d+|nan|[-+]inf)$/.test(v)) return 'FLOAT';
  return 'SYMBOL';
}
