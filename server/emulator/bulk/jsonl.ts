/** Lines of one page of a bulk query: nested connections become their own lines with __parentId. */
export function flattenConnection(connection: unknown, parentId: string | null, out: string[]): number {
  const nodes = nodesOf(connection);
  for (const node of nodes) emitNode(node as Record<string, unknown>, parentId, out);
  return nodes.length;
}

function nodesOf(value: unknown): unknown[] {
  const c = value as { nodes?: unknown[]; edges?: Array<{ node: unknown }> };
  if (Array.isArray(c.nodes)) return c.nodes;
  if (Array.isArray(c.edges)) return c.edges.map((e) => e.node);
  return [];
}

function isConnectionValue(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  return Array.isArray(c.edges) || Array.isArray(c.nodes);
}

function emitNode(node: Record<string, unknown>, parentId: string | null, out: string[]): void {
  let children: string[] | undefined;
  for (const key in node) {
    if (!isConnectionValue(node[key])) continue;
    children ??= [];
    children.push(key);
  }
  let line = node;
  if (children || parentId !== null) {
    // A fresh object rather than `delete`, which would push V8 into slow dictionary mode.
    line = {};
    for (const key in node) if (!children?.includes(key)) line[key] = node[key];
    if (parentId !== null) line.__parentId = parentId;
  }
  out.push(JSON.stringify(line));
  if (children) for (const key of children) flattenConnection(node[key], node.id as string, out);
}
