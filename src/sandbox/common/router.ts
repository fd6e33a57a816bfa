import type { Handler } from './http.js';

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
  pattern: string;
}

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler;
}

/** Method + path patterns where ':name' matches one URI-decoded segment; first added wins. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: split(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch | null {
    const segments = split(path);
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper) continue;
      const params = matchSegments(route.segments, segments);
      if (params) return { handler: route.handler, params, pattern: route.pattern };
    }
    return null;
  }

  /** Whether any method serves this path, to tell 405 from 404. */
  hasPath(path: string): boolean {
    const segments = split(path);
    return this.routes.some((route) => matchSegments(route.segments, segments) !== null);
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = path[index] ?? '';
    if (expected.startsWith(':')) {
      const value = safeDecode(actual);
      if (value === null) return null;
      params[expected.slice(1)] = value;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
