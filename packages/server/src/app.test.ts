import { createTestDatabase, testDatabaseKinds, useTestDatabase } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { listen } from './serve.js'

describe.each(testDatabaseKinds())('server on %s', (kind) => {
  const database = useTestDatabase(kind)

  it('answers the health check with the database it reached', async () => {
    const res = await createApp({ database: database() }).request('/health')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'ok', database: { kind } })
    expect(res.headers.get('Request-Id')).toMatch(/^req_[0-9a-z]{26}$/)
  })
})

describe('server errors', () => {
  it('answers an unknown route with problem+json 404', async () => {
    const database = await createTestDatabase('pglite')
    const res = await createApp({ database }).request('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    const problem = (await res.json()) as { request_id?: string }
    expect(problem).toMatchObject({ status: 404, code: 'not_found', instance: '/nope' })
    expect(problem.request_id).toBe(res.headers.get('Request-Id'))
    await database.close()
  })

  it('reports an unreachable database as 503, never a crash', async () => {
    const database = await createTestDatabase('pglite')
    await database.close()
    const logged: unknown[] = []
    const app = createApp({ database, logError: (error) => logged.push(error) })
    const res = await app.request('/health')
    expect(res.status).toBe(503)
    expect(((await res.json()) as { code: string }).code).toBe('unavailable')
    expect(logged).toHaveLength(1)
  })

  it('hides internal errors behind a generic 500 that carries the request id', async () => {
    const database = await createTestDatabase('pglite')
    const logged: unknown[] = []
    const app = createApp({ database, logError: (error) => logged.push(error) })
    app.get('/boom', () => {
      throw new Error('secret internal detail')
    })
    const res = await app.request('/boom')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('secret internal detail')
    expect(JSON.parse(text)).toMatchObject({ code: 'internal' })
    expect(logged).toHaveLength(1)
    await database.close()
  })

  it('publishes an OpenAPI 3.1 document and serves over real HTTP', async () => {
    const database = await createTestDatabase('pglite')
    const server = await listen(createApp({ database }), 0)
    try {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        openapi: string
        paths: Record<string, { get?: unknown }>
      }
      expect(doc.openapi).toBe('3.1.0')
      expect(doc.paths['/health']?.get).toBeDefined()
      expect((await fetch(`${server.url}/health`)).status).toBe(200)
    } finally {
      await server.close()
      await database.close()
    }
  })
})

describe('API description', () => {
  it('documents every route with its components, and serves the browsable reference offline', async () => {
    const database = await createTestDatabase('pglite')
    const lines: string[] = []
    const app = createApp({ database, logRequest: (line) => lines.push(line) })
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>
      webhooks: Record<string, Record<string, { description?: string }>>
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
    }
    // The webhooks mitra receives, with how each is signed.
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      '/v1/webhooks/demo',
      '/v1/webhooks/midtrans',
      '/v1/webhooks/midtrans-iris',
      '/v1/webhooks/stripe',
    ])
    expect(doc.webhooks['/v1/webhooks/demo']?.post?.description).toContain('HMAC-SHA256')
    for (const path of [
      '/v1/admin/api_keys',
      '/v1/admin/parties',
      '/v1/admin/users',
      '/v1/admin/products',
      '/v1/admin/products/{id}/variants',
      '/v1/admin/media',
      '/v1/admin/brand_kit',
      '/v1/store/products',
      '/v1/store/brands/{slug}',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(doc.paths['/v1/admin/products']?.post?.security).toEqual([{ secretKey: [] }])
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Product',
        'StoreProduct',
        'Party',
        'BrandKitInput',
        'Problem',
        'DemoPaymentEvent',
        'Remittance',
        'Balance',
        'Payout',
      ]),
    )
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['secretKey', 'publishableKey'])

    const page = await app.request('/docs')
    expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js')
    const bundle = await app.request('/docs/assets/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect((await bundle.text()).length).toBeGreaterThan(100_000)
    expect((await app.request('/docs/assets/package.json')).status).toBe(404)
    const errors = await (await app.request('/docs/errors')).text()
    expect(errors).toContain('id="idempotency_conflict"')

    expect(lines.some((line) => /^req_\w+ GET \/openapi\.json 200 [\d.]+ms$/.test(line))).toBe(true)
    await database.close()
  })
})
