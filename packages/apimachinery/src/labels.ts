// Label selectors, in Kubernetes' string syntax (`?labelSelector=`) and object form (LabelSelector).
//
// Contract:
// - `parseSelector` accepts `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists),
//   `!a` (does not exist), `a>1`, `a<1`; commas mean AND; whitespace between tokens is ignored.
//   Bad syntax and keys or values that break the label rules (BRIEF §1: values up to 253
//   characters) throw a 400 BadRequest ApiError whose message says what and where.
// - A `Selector` is immutable. Its requirements are sorted by key, so `toString()` is canonical:
//   equal selectors print equally (`==` prints as `=`, set values are sorted and deduplicated).
// - Matching follows Kubernetes: `!=` and `notin` also match objects without the label;
//   `>`/`<` match only labels whose value is an integer.
// - `selectorFromLabelSelector` mirrors LabelSelectorAsSelector: null/undefined selects nothing,
//   an empty object selects everything.
import { checkLabelValue, checkQualifiedName, type LabelSelector } from '@kite/api-types';
import { badRequest } from './errors.js';

/** Operators as Kubernetes' selection package names them (`==` is normalised to `=`). */
export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** One value for `=`, `!=`, `gt`, `lt`; a sorted, deduplicated set for `in`/`notin`; none otherwise. */
  readonly values: readonly string[];
}

export type LabelSet = Readonly<Record<string, string>>;

export interface Selector {
  readonly requirements: readonly Requirement[];
  matches(labels: LabelSet | undefined): boolean;
  /** True when the selector has no requirements and so selects everything. */
  isEmpty(): boolean;
  /** True for the selector of a null LabelSelector, which matches no object. */
  selectsNothing(): boolean;
  /** Canonical string form; '' for both everything and nothing (as in Kubernetes). */
  toString(): string;
  /** Labels every match must carry with exactly this value (`a=b`, `a in (b)`), for index lookups. */
  equalities(): Map<string, string>;
}

const INTEGER = /^-?\d+$/;

/** Throws a BadRequest when the key or a value breaks the label rules. */
function validate(key: string, operator: LabelOperator, values: readonly string[]): void {
  const keyErrors = checkQualifiedName(key);
  if (keyErrors.length > 0) throw badRequest(`unable to parse requirement: invalid label key ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    throw badRequest(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty (key ${JSON.stringify(key)})`);
  }
  if ((operator === 'exists' || operator === '!') && values.length > 0) {
    throw badRequest(`unable to parse requirement: for 'exists', 'doesnotexist' operators, values set must be empty (key ${JSON.stringify(key)})`);
  }
  if ((operator === 'gt' || operator === 'lt') && (values.length !== 1 || !INTEGER.test(values[0] ?? ''))) {
    throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer (key ${JSON.stringify(key)})`);
  }
  for (const value of values) {
    const errs = checkLabelValue(value);
    if (errs.length > 0) throw badRequest(`unable to parse requirement: invalid label value ${JSON.stringify(value)}: ${errs.join('; ')}`);
  }
}

/** Builds a validated requirement; set values are sorted and deduplicated. */
export function requirement(key: string, operator: LabelOperator, values: readonly string[] = []): Requirement {
  validate(key, operator, values);
  const normalised = operator === 'in' || operator === 'notin' ? [...new Set(values)].sort() : [...values];
  return Object.freeze({ key, operator, values: Object.freeze(normalised) });
}

function requirementMatches(req: Requirement, labels: LabelSet | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case '=':
      return has && value === req.values[0];
    case '!=':
      return !has || value !== req.values[0];
    case 'in':
      return has && req.values.includes(value ?? '');
    case 'notin':
      return !has || !req.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt':
      return has && compareIntegers(value ?? '', req.values[0] ?? '', req.operator);
  }
}

/** `gt`/`lt` on int64-sized label values; a non-integer label never matches. */
function compareIntegers(labelValue: string, bound: string, operator: 'gt' | 'lt'): boolean {
  if (!INTEGER.test(labelValue)) return false;
  const a = BigInt(labelValue);
  const b = BigInt(bound);
  return operator === 'gt' ? a > b : a < b;
}

function requirementString(req: Requirement): string {
  const [first = ''] = req.values;
  switch (req.operator) {
    case '=':
    case '!=':
      return `${req.key}${req.operator}${first}`;
    case 'in':
    case 'notin':
      return `${req.key} ${req.operator} (${req.values.join(',')})`;
    case 'exists':
      return req.key;
    case '!':
      return `!${req.key}`;
    case 'gt':
      return `${req.key}>${first}`;
    case 'lt':
      return `${req.key}<${first}`;
  }
}

function compareRequirements(a: Requirement, b: Requirement): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const sa = requirementString(a);
  const sb = requirementString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

class RequirementSelector implements Selector {
  readonly requirements: readonly Requirement[];

  constructor(
    requirements: readonly Requirement[],
    private readonly nothing = false,
  ) {
    this.requirements = Object.freeze([...requirements].sort(compareRequirements));
  }

  matches(labels: LabelSet | undefined): boolean {
    if (this.nothing) return false;
    return this.requirements.every((req) => requirementMatches(req, labels));
  }

  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  selectsNothing(): boolean {
    return this.nothing;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }

  equalities(): Map<string, string> {
    const out = new Map<string, string>();
    for (const req of this.requirements) {
      const exact = req.operator === '=' || (req.operator === 'in' && req.values.length === 1);
      if (exact && req.values[0] !== undefined) out.set(req.key, req.values[0]);
    }
    return out;
  }
}

const EVERYTHING: Selector = new RequirementSelector([]);
const NOTHING: Selector = new RequirementSelector([], true);

/** The selector that matches every object. */
export function everything(): Selector {
  return EVERYTHING;
}

/** The selector that matches no object (what a null LabelSelector means). */
export function nothing(): Selector {
  return NOTHING;
}

export function selectorFromRequirements(requirements: readonly Requirement[]): Selector {
  return requirements.length === 0 ? EVERYTHING : new RequirementSelector(requirements);
}

/** `{app: 'web'}` → `app=web`. Keys and values are validated. */
export function selectorFromSet(set: LabelSet | undefined): Selector {
  return selectorFromRequirements(Object.entries(set ?? {}).map(([k, v]) => requirement(k, '=', [v])));
}

const OBJECT_OPERATORS: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** The object form as Kubernetes' LabelSelectorAsSelector reads it. */
export function selectorFromLabelSelector(obj: LabelSelector | null | undefined): Selector {
  if (obj === null || obj === undefined) return NOTHING;
  const reqs = Object.entries(obj.matchLabels ?? {}).map(([k, v]) => requirement(k, '=', [v]));
  for (const expr of obj.matchExpressions ?? []) {
    const operator = OBJECT_OPERATORS[String(expr.operator)];
    if (operator === undefined) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(requirement(expr.key, operator, expr.values ?? []));
  }
  return selectorFromRequirements(reqs);
}

/** The string form of an object selector: `app=web,tier in (a,b)` (Scale's `status.selector`). */
export function labelSelectorToString(obj: LabelSelector | null | undefined): string {
  return selectorFromLabelSelector(obj).toString();
}

// ---- String syntax: a small lexer and a recursive-descent parser. ----

type TokenKind = 'id' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** Zero-based offset in the input, for error messages. */
  pos: number;
}

/** Longest symbols first, so `!=` is not read as `!` then `=`. */
const SYMBOLS: readonly TokenKind[] = ['==', '!=', '(', ')', ',', '!', '=', '>', '<'];
const ID_STOP = /[\s!=(),<>]/;

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => input.startsWith(s, i));
    if (symbol !== undefined) {
      tokens.push({ kind: symbol, text: symbol, pos: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < input.length && !ID_STOP.test(input[i] ?? '')) i++;
    tokens.push({ kind: 'id', text: input.slice(start, i), pos: start });
  }
  tokens.push({ kind: 'end', text: '', pos: input.length });
  return tokens;
}

class Parser {
  private i = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const sep = this.next();
      if (sep.kind === 'end') return reqs;
      if (sep.kind !== ',') throw this.error(sep, "',' or end of selector");
    }
  }

  private requirement(): Requirement {
    if (this.peek().kind === '!') {
      this.next();
      return requirement(this.key(), '!');
    }
    const key = this.key();
    const op = this.peek();
    if (op.kind === ',' || op.kind === 'end') return requirement(key, 'exists');
    this.next();
    if (op.kind === '=' || op.kind === '==') return requirement(key, '=', [this.exactValue()]);
    if (op.kind === '!=') return requirement(key, '!=', [this.exactValue()]);
    if (op.kind === '>' || op.kind === '<') return requirement(key, op.kind === '>' ? 'gt' : 'lt', [this.exactValue()]);
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) return requirement(key, op.text, this.valueSet());
    throw this.error(op, "an operator ('=', '==', '!=', 'in', 'notin', '>', '<'), ',' or end of selector");
  }

  private key(): string {
    const tok = this.next();
    if (tok.kind !== 'id') throw this.error(tok, 'a label key');
    return tok.text;
  }

  /** The value after `=`, `!=`, `>`, `<`; empty when the requirement ends right there. */
  private exactValue(): string {
    const tok = this.peek();
    if (tok.kind === ',' || tok.kind === 'end') return '';
    this.next();
    if (tok.kind !== 'id') throw this.error(tok, 'a label value');
    return tok.text;
  }

  /** `(a, b, c)`; an empty slot between commas is the empty value. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw this.error(open, "'('");
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const tok = this.next();
      if (tok.kind === ')') {
        if (expectValue && values.length > 0) values.push('');
        return values;
      }
      if (tok.kind === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (tok.kind === 'id' && expectValue) {
        values.push(tok.text);
        expectValue = false;
      } else {
        throw this.error(tok, tok.kind === 'end' ? "')' (unbalanced parenthesis)" : "',' or ')'");
      }
    }
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { kind: 'end', text: '', pos: this.input.length };
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'end') this.i++;
    return tok;
  }

  private error(found: Token, expected: string): Error {
    const what = found.kind === 'end' ? 'end of selector' : `'${found.text}'`;
    return badRequest(`unable to parse label selector ${JSON.stringify(this.input)}: found ${what} at position ${found.pos}, expected ${expected}`);
  }
}

/** Parses `?labelSelector=`; '' selects everything. Throws a 400 ApiError on bad input. */
export function parseSelector(input: string): Selector {
  return selectorFromRequirements(new Parser(input, lex(input)).parse());
}
