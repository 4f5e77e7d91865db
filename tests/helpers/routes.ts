import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Action } from '../../lib/auth/permissions';
import type { RouteHandler } from '../../server/http/route';

export interface DiscoveredRoute {
  file: string;
  /** URL path with dynamic segments filled in. */
  path: string;
  method: string;
  handler: RouteHandler;
  action?: Action;
  params: Record<string, string | string[]>;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const API_DIR = path.join(process.cwd(), 'app', 'api');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name === 'route.ts' ? [full] : [];
  });
}

/**
 * Every route handler under app/api, imported as Next would, with sample params for dynamic
 * segments. New routes are covered by the matrix tests without being listed anywhere.
 */
export async function discoverRoutes(sampleId = '00000000-0000-4000-8000-000000000000'): Promise<DiscoveredRoute[]> {
  const found: DiscoveredRoute[] = [];
  for (const file of walk(API_DIR).sort()) {
    const rel = path.relative(API_DIR, path.dirname(file));
    const segments = rel === '' ? [] : rel.split(path.sep);
    const params: Record<string, string | string[]> = {};
    const urlSegments = segments.map((seg) => {
      const catchAll = /^\[\.\.\.(\w+)\]$/.exec(seg);
      if (catchAll) {
        params[catchAll[1]!] = ['no', 'such', 'route'];
        return 'no/such/route';
      }
      const dynamic = /^\[(\w+)\]$/.exec(seg);
      if (dynamic) {
        params[dynamic[1]!] = sampleId;
        return sampleId;
      }
      return seg;
    });
    const mod = (await import(file)) as Partial<Record<(typeof METHODS)[number], RouteHandler>>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler !== 'function') continue;
      found.push({
        file: path.relative(process.cwd(), file),
        path: `/api/${urlSegments.join('/')}`.replace(/\/$/, ''),
        method,
        handler,
        action: handler.action,
        params,
      });
    }
  }
  return found;
}
