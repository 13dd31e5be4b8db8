/** UpdateExpression (SET, REMOVE, ADD, DELETE sections) and ProjectionExpression. */
import type { AttributeValue } from '../types.js';
import type { Path, Projection, SetValue, Update } from './ast.js';
import { CONDITION_FUNCTIONS, UPDATE_FUNCTIONS } from './conditionParser.js';
import { LONG_TYPE, ParserBase, typeOf } from './parserBase.js';
import { pathText } from './paths.js';
import { checkPathOverlaps, updatePaths } from './update.js';

const SETS = ['SS', 'NS', 'BS'];
const DUMMY: SetValue = { kind: 'path', path: [] };

export class UpdateParser extends ParserBase {
  parse(): Update {
    const u: Update = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    do {
      const t = this.peek();
      const section = t.kind === 'id' ? t.text.toUpperCase() : '';
      if (section !== 'SET' && section !== 'REMOVE' && section !== 'ADD' && section !== 'DELETE')
        throw this.syntax();
      if (seen.has(section))
        this.misuse(`The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      this.next();
      for (let more = true; more; ) {
        this.action(section, u);
        more = this.isOp(',');
        if (more) this.next();
      }
    } while (this.peek().kind !== 'eof');
    this.finishChecks(() => checkPathOverlaps(updatePaths(u), this.param));
    return u;
  }

  private action(section: string, u: Update): void {
    const slot = this.slot();
    const path = this.path();
    if (section === 'SET') {
      this.expectOp('=');
      const value = this.setValue();
      u.set.push({ path, value });
      this.setCheck(slot, () => this.checkSetValue(value));
    } else if (section === 'REMOVE') u.remove.push(path);
    else {
      if (this.peek().kind !== 'value') throw this.syntax();
      const o = this.valueOperand();
      const action: { path: Path; value: AttributeValue } = { path, value: { NULL: true } };
      (section === 'ADD' ? u.add : u.delete).push(action);
      this.setCheck(slot, () => {
        this.resolve(o);
        const v = (o as { value: AttributeValue }).value;
        action.value = v;
        const type = typeOf(v);
        const ok = section === 'ADD' ? type === 'N' || SETS.includes(type) : SETS.includes(type);
        if (!ok)
          throw this.fail(
            `Incorrect operand type for operator or function; operator: ${section}, operand type: ${LONG_TYPE[type]}, typeSet: ALLOWED_FOR_${section}_OPERAND`,
          );
      });
    }
  }

  /** Resolve a SET value's placeholders in order, refusing literals of the wrong type for + - and list_append. */
  private checkSetValue(v: SetValue): void {
    const literalType = (o: SetValue, fn: string, allowed: string): void => {
      if (o.kind === 'value' && typeOf(o.value) !== allowed)
        throw this.fail(
          `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${typeOf(o.value)}`,
        );
    };
    switch (v.kind) {
      case 'value':
        this.resolve(v);
        return;
      case 'plus':
      case 'minus':
        this.checkSetValue(v.left);
        this.checkSetValue(v.right);
        literalType(v.left, v.kind === 'plus' ? '+' : '-', 'N');
        literalType(v.right, v.kind === 'plus' ? '+' : '-', 'N');
        return;
      case 'ifNotExists':
        this.checkSetValue(v.fallback);
        if (v.fallback.kind === 'path' && pathText(v.fallback.path) === pathText(v.path))
          throw this.fail(
            `The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: ${pathText(v.path)}`,
          );
        return;
      case 'listAppend':
        this.checkSetValue(v.left);
        this.checkSetValue(v.right);
        literalType(v.left, 'list_append', 'L');
        literalType(v.right, 'list_append', 'L');
        return;
      default:
        return;
    }
  }

  private setValue(): SetValue {
    const left = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      const right = this.setOperand();
      return { kind: op === '+' ? 'plus' : 'minus', left, right };
    }
    return left;
  }

  private setOperand(): SetValue {
    const t = this.peek();
    if (this.atCall()) return this.call();
    if (t.kind === 'id' || t.kind === 'name') return { kind: 'path', path: this.path() };
    if (t.kind === 'value') return this.valueOperand();
    if (this.isOp('(')) {
      this.next();
      const v = this.setValue();
      this.expectOp(')');
      return v;
    }
    throw this.syntax();
  }

  private call(): SetValue {
    const name = this.next().text;
    this.expectOp('(');
    const args: SetValue[] = [this.setValue()];
    while (this.isOp(',')) {
      this.next();
      args.push(this.setValue());
    }
    this.expectOp(')');
    if (!UPDATE_FUNCTIONS.has(name)) {
      if (CONDITION_FUNCTIONS.has(name))
        this.misuse(`The function is not allowed in an update expression; function: ${name}`);
      else this.misuse(`Invalid function name; function: ${name}`);
      return DUMMY;
    }
    if (args.length !== 2)
      this.misuse(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
    const [a = DUMMY, b = DUMMY] = args;
    if (name === 'if_not_exists') {
      let path: Path = [];
      if (a.kind === 'path') path = a.path;
      else this.misuse(`Operator or function requires a document path; operator or function: ${name}`);
      return { kind: 'ifNotExists', path, fallback: b };
    }
    return { kind: 'listAppend', left: a, right: b };
  }
}

export class ProjectionParser extends ParserBase {
  parse(): Projection {
    const paths: Path[] = [this.path()];
    while (this.isOp(',')) {
      this.next();
      paths.push(this.path());
    }
    this.expectEnd();
    this.finishChecks(() => checkPathOverlaps(paths, this.param));
    return paths;
  }
}
