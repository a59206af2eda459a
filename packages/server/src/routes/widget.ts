import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { MitraError } from '@mitra/core'
import type { AppEnv } from '../env.js'

/** The widget's script as `@mitra/widget/bundle` gives it (`loadWidgetBundle`). */
export type WidgetSource = () => Promise<{ code: string }>

interface Served {
  code: string
  gzip: Uint8Array
  /** `v1.<16 hex of its sha384>.js`: changes whenever the script does. */
  file: string
  integrity: string
}

function serve(code: string): Served {
  const sha384 = createHash('sha384').update(code).digest()
  return {
    code,
    gzip: gzipSync(code, { level: 9 }),
    file: `v1.${sha384.toString('hex').slice(0, 16)}.js`,
    integrity: `sha384-${sha384.toString('base64')}`,
  }
}

const year = 'public, max-age=31536000, immutable'
const shortly = 'public, max-age=300'

/**
 * The widget a gallery pastes, as a cross-origin module script:
 * - `/widget/v1.js`: the current v1 (cached 5 minutes, so a release reaches every site soon);
 * - `/widget/v1.<hash>.js`: exactly this build, cached for a year (`immutable`), for a
 *   `<script integrity>` that pins it;
 * - `/widget/v1.json`: `{ version, url, path, integrity, bytes, gzip_bytes }` of the current build.
 * Every answer allows any origin (a module script is fetched with CORS) and is served gzipped
 * to browsers that accept it. Without `source` the server has no widget: 404.
 */
export function registerWidgetRoutes(
  app: OpenAPIHono<AppEnv>,
  source: WidgetSource | undefined,
  baseUrl: string,
): void {
  let ready: Promise<Served> | undefined
  const current = () => {
    if (source === undefined) {
      throw new MitraError('not_found', 'This server does not serve the widget')
    }
    if (ready === undefined) {
      ready = source().then(({ code }) => serve(code))
      ready.catch(() => {
        ready = undefined
      })
    }
    return ready
  }

  app.get('/widget/:file', async (c) => {
    const file = c.req.param('file')
    const widget = await current()
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('X-Content-Type-Options', 'nosniff')
    if (file === 'v1.json') {
      c.header('Cache-Control', shortly)
      return c.json(
        {
          version: 'v1',
          url: `${baseUrl}/widget/${widget.file}`,
          path: `/widget/${widget.file}`,
          integrity: widget.integrity,
          bytes: Buffer.byteLength(widget.code),
          gzip_bytes: widget.gzip.length,
        },
        200,
      )
    }
    const pinned = file === widget.file
    if (!pinned && file !== 'v1.js') {
      throw new MitraError(
        'not_found',
        `No widget file '${file}': the current one is /widget/${widget.file}`,
      )
    }
    const etag = `"${widget.file}"`
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Cache-Control', pinned ? year : shortly)
    c.header('ETag', etag)
    c.header('Vary', 'Accept-Encoding')
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304)
    if (/\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip')
      return c.body(widget.gzip as Uint8Array<ArrayBuffer>, 200)
    }
    return c.body(widget.code, 200)
  })
}
