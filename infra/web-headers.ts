/**
 * The security headers the web app is served with: by the CloudFront distribution (web-hosting.ts) and by
 * `npm start` (local/static.ts), so the browser tests run under the policy production has. Plain data: no
 * CDK import, so the local server can use it.
 */

/**
 * The two `<style>` elements Observable Plot (0.6.17) puts in each chart and legend, with the default class name: the
 * only inline styles the app needs, allowed by hash rather than with 'unsafe-inline'. Another Plot version or a
 * `className` option changes them; the browser then names the new hash in the console ("Applying inline style
 * violates …"), and the charts lose Plot's default layout until it is put here.
 */
export const PLOT_STYLE_HASHES = [
  'sha256-rCZUQsEQJf1DmnfnMZmlj08XC7qbIZySA6bEtitbQ00=',
  'sha256-jSYQUrW7J0b3jPqhZP9C2Xh1PyJKHKXd4s0fpGGKrww=',
] as const;

/**
 * The Content-Security-Policy of every response. Scripts, styles, fonts and requests come from the app's own
 * origin (and Plot's two style elements, by hash), except the two Cognito hosts oidc-client-ts calls (OIDC discovery and keys on the issuer's host, the token
 * endpoint on the hosted UI's); nothing may frame the app, and forms post nowhere else.
 */
export function contentSecurityPolicy(cognitoOrigins: readonly string[], options: { readonly https: boolean } = { https: true }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${PLOT_STYLE_HASHES.map((hash) => `'${hash}'`).join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${cognitoOrigins.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain HTTP (npm start on localhost) upgrading would send the app's own requests to https://localhost.
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Browser features the app never uses, turned off. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
