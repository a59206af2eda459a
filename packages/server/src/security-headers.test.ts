import { useTestDatabase } from '@mitra/db/testing'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { securityHeaders } from './security-headers.js'

describe('security headers', () => {
  const app = new Hono()
  app.use(securityHeaders())
  app.get('/page', (c) => c.html('<!doctype html><p>hello</p>'))
  app.get('/own', (c) => {
    c.header('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'")
    return c.html('<!doctype html><p>mine</p>')
  })
  app.get('/data', (c) => c.json({ ok: true }))
  app.get('/script.js', (c) => c.body('1', 200, { 'Content-Type': 'text/javascript' }))

  it('give a page with no policy of its own a strict one, never framed, and the rest', async () => {
    const page = await app.request('/page')
    const policy = page.headers.get('Content-Security-Policy') ?? ''
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self'")
    expect(policy).not.toMatch(/script-src[^;]*unsafe/)
    expect(policy).toContain("frame-ancestors 'none'")
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(page.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
    expect(page.headers.get('X-Frame-Options')).toBe('DENY')
  })

  it('keep a page’s own policy', async () => {
    const own = await app.request('/own')
    expect(own.headers.get('Content-Security-Policy')).toBe(
      "default-src 'self'; frame-ancestors 'none'",
    )
    expect(own.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
  })

  it('give JSON and scripts nosniff only: the widget is loaded from other origins', async () => {
    for (const path of ['/data', '/script.js']) {
      const answer = await app.request(path)
      expect(answer.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(answer.headers.get('Content-Security-Policy'), path).toBeNull()
      expect(answer.headers.get('Cross-Origin-Resource-Policy'), path).toBeNull()
    }
  })
})

describe('the API docs', () => {
  const database = useTestDatabase('pglite')

  it('have the page policy, their reference script a file and not inline', async () => {
    const api = createApp({ database: database() })
    const docs = await api.request('/docs')
    expect(docs.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(await docs.text()).not.toMatch(/<script>/)
    const init = await api.request('/docs/reference.js')
    expect(init.status).toBe(200)
    expect(await init.text()).toContain('SwaggerUIBundle')
    const errors = await api.request('/docs/errors')
    expect(errors.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
  })
})
