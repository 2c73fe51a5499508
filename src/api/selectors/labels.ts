// Label selectors: the `labelSelector` query parameter and metav1.LabelSelector objects
// (spec.selector of Deployments, ReplicaSets, Jobs, ...), both reduced to one list of
// requirements. Semantics follow k8s.io/apimachinery v0.32: labels.Parse for strings and
// metav1.LabelSelectorAsSelector / FormatLabelSelector for objects.

import { errors } from '../../util/errors.js';
import { parseRequirements } from './label-parser.js';
import { aggregate, requirementErrors, requirementMatches, requirementString } from './requirement.js';
import type { Operator, Requirement } from './requirement.js';
import { goQuote } from '../validation/quote.js';

export type { Operator, Requirement } from './requirement.js';

/** A parsed label selector: the AND of its requirements, sorted by key. */
export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  /** True when every requirement holds for labels (undefined = no labels). */
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector does not restrict anything (matches every object). */
  empty(): boolean;
  /** Canonical text form, e.g. "app=web,tier in (a,b)"; "" for everything and for nothing. */
  toString(): string;
}

class RequirementSelector implements LabelSelector {
  constructor(readonly requirements: readonly Requirement[]) {}
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

// Upstream's labels.Nothing(): what a nil metav1.LabelSelector means. It is not "empty" (it
// restricts everything away) and prints as "".
class NothingSelector implements LabelSelector {
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean { return false; }
  empty(): boolean { return false; }
  toString(): string { return ''; }
}

const EVERYTHING: LabelSelector = new RequirementSelector([]);
const NOTHING: LabelSelector = new NothingSelector();

/**
 * Parses the query-string form (`a=b,c!=d,e in (x,y),!f,g>1`); '' selects everything.
 * Throws a 400 BadRequest worded as upstream's labels.Parse error.
 */
export function parseLabelSelector(s: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseRequirements(s);
  } catch (e) {
    throw errors.badRequest(e instanceof Error ? e.message : String(e));
  }
  return reqs.length ? new RequirementSelector(reqs) : EVERYTHING;
}

/** A metav1.LabelSelector as sent in JSON. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const OBJECT_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Converts a metav1.LabelSelector: null/undefined selects nothing, `{}` selects everything,
 * matchLabels become `k=v` and matchExpressions In/NotIn/Exists/DoesNotExist requirements.
 * Throws a 400 BadRequest with upstream's message for an invalid selector.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel == null) return NOTHING;
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  // Upstream stops at the first bad requirement and reports only its errors.
  const add = (key: string, operator: Operator, values: string[] | null) => {
    const errs = requirementErrors(key, operator, values);
    if (errs.length) throw errors.badRequest(aggregate(errs));
    reqs.push({ key, operator, values: values ?? [] });
  };
  // Go visits matchLabels in random map order; sorting by key makes the first error stable.
  for (const [k, v] of matchLabels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) add(k, '=', [v]);
  for (const expr of expressions) {
    const op = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator] : undefined;
    if (!op) throw errors.badRequest(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
    // A missing or empty values list is Go's nil slice here (it prints as []string(nil)).
    add(expr.key, op, expr.values?.length ? [...expr.values] : null);
  }
  return new RequirementSelector(reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/** A selector requiring exactly the given labels (upstream SelectorFromSet; map-form selectors of RCs and Services). */
export function labelSelectorFromSet(set: Record<string, string> | null | undefined): LabelSelector {
  const keys = Object.keys(set ?? {}).sort();
  if (keys.length === 0) return EVERYTHING;
  return new RequirementSelector(keys.map((k) => ({ key: k, operator: '=' as const, values: [set![k]!] })));
}

/**
 * How kubectl prints a metav1.LabelSelector (upstream FormatLabelSelector): "app=web",
 * "<none>" when it selects everything or nothing, "<error>" when it is invalid.
 * Scale.status.selector uses labelSelectorFromObject(sel).toString() instead, which is "" there.
 */
export function formatLabelSelector(sel: object | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorFromObject(sel as LabelSelectorObject | null | undefined).toString();
  } catch {
    return '<error>';
  }
  return text || '<none>';
}
