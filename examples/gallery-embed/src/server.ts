// The gallery's "web host": serves site/ as it is, filling in where the mitra API lives, the
// gallery's publishable key and venue, and a featured product. A real gallery writes those
// into its pages once (see README.md); this server exists so `npm start` can show the widget
// on a second, foreign origin without anyone editing a file.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface GallerySite {
  /** The mitra API's origin, e.g. `http://127.0.0.1:3000` (also the CSP's only source). */
  api: string
  /** Galeri Gemawangi's publishable key: it must allow this server's origin. */
  key: string
  /** Galeri Gemawangi's party id (its shelf). */
  venue: string
  /** A product on the shelf, for `<mitra-product>` (brand.html). */
  product?: string
}

export interface RunningGallery {
  url: string
  port: number
  close(): Promise<void>
}

/** The site's folder: the same from src/ and from dist/. */
export const siteDir = fileURLToPath(new URL('../site/', import.meta.url))

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/** A page with its `{{MITRA_…}}` placeholders filled in. */
export function fillIn(page: string, site: GallerySite): string {
  const values: Record<string, string> = {
    MITRA_API: site.api,
    MITRA_KEY: site.key,
    MITRA_VENUE: site.venue,
    MITRA_PRODUCT: site.product ?? '',
  }
  // Values go into attributes: they are ids, keys and an origin, never markup.
  return page.replace(/\{\{(MITRA_[A-Z]+)\}\}/g, (_, name: string) =>
    (values[name] ?? '').replace(/[^A-Za-z0-9_:/.\-[\]]/g, ''),
  )
}

/**
 * The headers a gallery page is served with. Its policy is the one its `<meta>` gives (the
 * mitra API is the only source of script, data and images), sent as a header too, so that
 * `frame-ancestors` (which a `<meta>` cannot set) keeps the shop from being framed.
 */
export function pageHeaders(site: GallerySite): Record<string, string> {
  const api = fillIn('{{MITRA_API}}', site)
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src ${api}`,
      `connect-src ${api}`,
      `img-src ${api}`,
      "style-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  }
}

/**
 * Serves the gallery on `port` (0: any free one). `site` is asked on every request, so the
 * server can start, and its origin be known, before the key that allows it exists.
 */
export function startGallery(options: {
  site: () => GallerySite
  port?: number
  host?: string
}): Promise<RunningGallery> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://gallery').pathname
    const file = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '')
    const type = types[extname(file)]
    if (request.method !== 'GET' || type === undefined || file.includes('..')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
      return
    }
    try {
      const text = await readFile(`${siteDir}${file.slice(1)}`, 'utf8')
      const html = type.startsWith('text/html')
      const site = options.site()
      response
        .writeHead(200, {
          'Content-Type': type,
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          ...(html ? pageHeaders(site) : {}),
        })
        .end(html ? fillIn(text, site) : text)
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections()
            server.close((error) => (error ? fail(error) : done()))
          }),
      })
    })
  })
}
