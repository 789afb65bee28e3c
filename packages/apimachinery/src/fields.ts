// Field selectors (`?fieldSelector=`), in Kubernetes' syntax: `field=value`, `field==value` and
// `field!=value` requirements joined by commas.
//
// Contract:
// - Values may contain `,`, `=` and `\` only escaped as `\,`, `\=` and `\\`; any other escape,
//   or an unescaped `=` inside a value, is a 400 BadRequest. Field names are trimmed of spaces.
// - `matches(getter)` reads each field through the getter; a field the getter does not know
//   (undefined) compares as the empty string, as Kubernetes' fields.Set does.
// - Which fields a kind supports is the caller's concern: `fields()` lists the names used so the
//   apiserver can answer `unsupportedField(name)` (400 `field label not supported: x`).
import { badRequest, type ApiError } from './errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export type FieldGetter = (field: string) => string | undefined;

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(get: FieldGetter): boolean;
  isEmpty(): boolean;
  /** Distinct field names the selector uses, in order of first use. */
  fields(): string[];
  /** Fields every match must have with exactly this value (`spec.nodeName=n1`), for index lookups. */
  equalities(): Map<string, string>;
  /** Canonical form: `==` prints as `=`, values are escaped, order is kept. */
  toString(): string;
}

/** The apiserver's answer to a selector on a field the kind does not index. */
export function unsupportedField(field: string): ApiError {
  return badRequest(`field label not supported: ${field}`);
}

/** Escapes a value for use in a field selector string. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(raw: string, part: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') throw badRequest(`invalid field selector ${JSON.stringify(part)}: invalid escape sequence`);
      out += next;
      i++;
    } else if (ch === '=' || ch === ',') {
      throw badRequest(`invalid field selector ${JSON.stringify(part)}: unescaped '${ch}' in value; write '\\${ch}'`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** Splits on commas that are not escaped; backslash pairs are kept for `unescapeValue`. */
function splitTerms(input: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (ch === '\\' && i + 1 < input.length) {
      current += ch + (input[i + 1] ?? '');
      i++;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** The first unescaped operator in a term; `!=` and `==` win over `=` at the same spot. */
function findOperator(term: string): { at: number; text: '!=' | '==' | '=' } | undefined {
  for (let i = 0; i < term.length; i++) {
    const ch = term[i];
    if (ch === '\\') {
      i++;
    } else if (term.startsWith('!=', i)) {
      return { at: i, text: '!=' };
    } else if (term.startsWith('==', i)) {
      return { at: i, text: '==' };
    } else if (ch === '=') {
      return { at: i, text: '=' };
    }
  }
  return undefined;
}

function parseTerm(term: string): FieldRequirement {
  const op = findOperator(term);
  if (op === undefined) throw badRequest(`invalid field selector: ${JSON.stringify(term)}: expected field=value, field==value or field!=value`);
  const field = term.slice(0, op.at).trim();
  if (field === '') throw badRequest(`invalid field selector: ${JSON.stringify(term)}: missing field name`);
  const value = unescapeValue(term.slice(op.at + op.text.length), term);
  return Object.freeze({ field, operator: op.text === '!=' ? '!=' : '=', value });
}

class RequirementFieldSelector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  matches(get: FieldGetter): boolean {
    return this.requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '='));
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  fields(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }

  equalities(): Map<string, string> {
    return new Map(this.requirements.filter((r) => r.operator === '=').map((r) => [r.field, r.value]));
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Builds a selector from requirements, e.g. `spec.nodeName=node-1` for a kubelet's watch. */
export function fieldSelectorFromRequirements(requirements: readonly FieldRequirement[]): FieldSelector {
  return new RequirementFieldSelector(Object.freeze(requirements.map((r) => Object.freeze({ ...r }))));
}

/** Parses `?fieldSelector=`; '' selects everything; empty terms (`a=b,,c=d`) are skipped. */
export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === '') return new RequirementFieldSelector([]);
  const terms = splitTerms(input).filter((t) => t.trim() !== '');
  return new RequirementFieldSelector(Object.freeze(terms.map(parseTerm)));
}
