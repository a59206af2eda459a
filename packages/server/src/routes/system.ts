import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { errorCatalog, MitraError } from '@mitra/core'
import type { DatabaseHandle } from '@mitra/db'
import { sql } from 'drizzle-orm'
import type { AppEnv } from '../env.js'
import { json, problemSchema } from '../openapi.js'

const healthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.object({ kind: z.enum(['pglite', 'postgres']), latency_ms: z.number() }),
    time: z.string(),
  })
  .openapi('Health')

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Is the API up and its database reachable?',
  tags: ['system'],
  responses: {
    200: json(healthSchema, 'Up'),
    503: {
      description: 'The database is unreachable',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  },
})

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const swaggerAssets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

export function registerSystemRoutes(app: OpenAPIHono<AppEnv>, database: DatabaseHandle): void {
  app.openapi(healthRoute, async (c) => {
    const started = performance.now()
    try {
      await database.db.execute(sql`select 1`)
    } catch (error) {
      throw new MitraError('unavailable', 'The database is unreachable', { cause: error })
    }
    return c.json(
      {
        status: 'ok' as const,
        database: {
          kind: database.kind,
          latency_ms: Math.round((performance.now() - started) * 100) / 100,
        },
        time: new Date().toISOString(),
      },
      200,
    )
  })

  app.openAPIRegistry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A secret key `sk_…` of the party acting (admin API), or a console session `ses_…` with ' +
      'the party in `Mitra-Party`. Admin credentials stay on servers: a request carrying ' +
      '`Origin`, or `Sec-Fetch-Site` other than `none`, is a browser page’s and is refused ' +
      '(403, `errors[].path` `headers.origin` or `headers.sec-fetch-site`), whatever the ' +
      'origin, the API’s own included. Repeated failed authentication from one address is ' +
      'answered 429 with `Retry-After`. An expired key is a 401 saying so.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A publishable key `pk_…` (store API; browsers only from its allowed origins).',
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'mitra API',
      version: '0.1.0',
      description:
        'Own-brand commerce and consignment for village producer groups and their partner venues. ' +
        'Errors are RFC 9457 problem+json; see /docs/errors for every code.',
    },
  })

  // A browsable reference served from the swagger-ui-dist package: works offline.
  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mitra API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/reference.js"></script>
</body></html>`),
  )
  // In a file, not inline: the page's Content-Security-Policy runs scripts from files only.
  app.get('/docs/reference.js', (c) =>
    c.body(
      "SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true })\n",
      200,
      { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
    ),
  )
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file')
    const type = swaggerAssets[file]
    if (type === undefined) throw new MitraError('not_found', `No asset ${file}`)
    const body = await readFile(join(swaggerDir, file))
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' })
  })
  app.get('/docs/errors', (c) => {
    const rows = Object.entries(errorCatalog)
      .map(
        ([code, { status, title }]) =>
          `<tr id="${code}"><td><code>${code}</code></td><td>${status}</td><td>${escapeHtml(title)}</td></tr>`,
      )
      .join('\n')
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mitra API errors</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}:target{background:#fff6d5}</style>
</head><body><h1>Errors</h1>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code>,
the failing fields in <code>errors[]</code> and the <code>request_id</code> to quote to support.</p>
<table><thead><tr><th>code</th><th>status</th><th>meaning</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`)
  })
}
