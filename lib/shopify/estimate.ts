import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  parse,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { fragmentsOf, operationsOf } from './document';

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * A first guess of a document's requested cost by Shopify's published rules (object 1, scalar 0,
 * connection 2 + first x child, mutation 10), so the bucket can hold a request before it is sent.
 * The client corrects the guess per document with the requestedQueryCost Shopify reports.
 */
export function estimateQueryCost(document: string | DocumentNode, variables: Record<string, unknown> = {}): number {
  const doc = typeof document === 'string' ? parse(document) : document;
  const fragments = fragmentsOf(doc);
  let total = 0;
  for (const def of operationsOf(doc)) {
    if (def.operation === 'mutation') total += 10 * def.selectionSet.selections.length;
    else total += selectionCost(def.selectionSet, variables, fragments);
  }
  return Math.max(1, Math.ceil(total));
}

function selectionCost(set: SelectionSetNode, variables: Record<string, unknown>, fragments: Fragments): number {
  let cost = 0;
  // Fragments on a type apply to nodes of that type only: a node costs its most expensive one, not their sum.
  let typed = 0;
  for (const sel of set.selections) {
    if (!included(sel.directives, variables)) continue;
    if (sel.kind === Kind.FIELD) cost += fieldCost(sel, variables, fragments);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const inner = selectionCost(sel.selectionSet, variables, fragments);
      if (sel.typeCondition) typed = Math.max(typed, inner);
      else cost += inner;
    } else {
      const fragment = fragments.get(sel.name.value);
      if (fragment) cost += selectionCost(fragment.selectionSet, variables, fragments);
    }
  }
  return cost + typed;
}

/** @include(if: false) and @skip(if: true) leave a selection out of the query, and out of its cost. */
function included(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>): boolean {
  for (const d of directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const value =
      arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : arg.value.kind === Kind.BOOLEAN ? arg.value.value : undefined;
    if (d.name.value === 'include' && value === false) return false;
    if (d.name.value === 'skip' && value === true) return false;
  }
  return true;
}

function fieldCost(field: FieldNode, variables: Record<string, unknown>, fragments: Fragments): number {
  if (!field.selectionSet) return 0;
  const name = field.name.value;
  const child = selectionCost(field.selectionSet, variables, fragments);
  const ids = argument(field, 'ids', variables);
  if (Array.isArray(ids)) return ids.length * (1 + child);
  if (name === 'edges' || name === 'pageInfo') return child;
  if (name === 'node' || name === 'nodes') return 1 + child;
  const first = argument(field, 'first', variables) ?? argument(field, 'last', variables);
  if (typeof first === 'number') return 2 + first * child;
  return 1 + child;
}

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? literalValue(arg.value, variables) : undefined;
}

function literalValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => literalValue(v, variables));
    default:
      return undefined;
  }
}
