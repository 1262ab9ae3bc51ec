import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy, PERMISSIONS_POLICY } from '../infra/web-headers.js';

// A Map, not an object: the extension comes from the request's path.
const TYPES = new Map<string, string>([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
  ['.txt', 'text/plain; charset=utf-8'],
]);

/** The headers the CloudFront distribution sends with the app (infra/web-headers.ts), so the local app runs under the same policy. */
export const APP_SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy([], { https: false }),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': PERMISSIONS_POLICY,
  'cross-origin-opener-policy': 'same-origin',
} as const;

/**
 * Serves the built web app (web/dist) as the distribution does: files as they are, hashed assets
 * cached for good, and every other path of the app answered with index.html (the app's router reads
 * the address). Returns false when there is no build.
 */
export function serveApp(dist: string, pathname: string, res: ServerResponse): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return false;
  const file = normalize(join(dist, decodeURIComponent(pathname)));
  const inside = file.startsWith(dist + sep);
  const found = inside && existsSync(file) && statSync(file).isFile() ? file : index;
  const hashed = found !== index && pathname.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES.get(extname(found)) ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...APP_SECURITY_HEADERS,
  });
  createReadStream(found).pipe(res);
  return true;
}
