import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/**
 * The policy of a page that sets none of its own (API docs, the demo pay page, printable
 * statements): scripts from this server only, never inline; inline styles allowed (these
 * pages carry a `<style>`, and styles run no code); never framed. No `form-action`: the demo
 * pay page's forms end in a redirect to the page the buyer came from, on any site.
 */
export const defaultPagePolicy = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
}

/**
 * Security headers for every answer of the app (API, shop, console, pay pages, docs). Every
 * answer gets `X-Content-Type-Options: nosniff`. HTML pages also get a Content-Security-Policy
 * (with `frame-ancestors`), `Referrer-Policy` and framing and opener isolation; a page that
 * set its own policy (the shop's, the console's) keeps it, and the rest is added. JSON and
 * assets get nothing else: the widget's script and images are loaded from other origins.
 */
export function securityHeaders(): MiddlewareHandler {
  const forPages = secureHeaders({
    overwrite: false,
    contentSecurityPolicy: defaultPagePolicy,
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    // HTTPS is the deployment's to enforce (a proxy in front); plain HTTP runs locally.
    strictTransportSecurity: false,
  })
  const forEverything = secureHeaders({
    overwrite: false,
    xContentTypeOptions: true,
    contentSecurityPolicy: undefined,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  })
  const done = async () => {}
  return async (c, next) => {
    await next()
    const html = c.res.headers.get('Content-Type')?.startsWith('text/html') === true
    // Run after the answer is made, so the kind of answer decides which headers it gets.
    await (html ? forPages : forEverything)(c, done)
  }
}
