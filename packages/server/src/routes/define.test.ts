import { OpenAPIHono, z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../env.js'
import { adminRoute, ResponseDrift } from './define.js'

/** A route that answers `answer`, declared to answer `{ amount: integer }`. */
function appAnswering(answer: unknown, checkResponses: boolean) {
  const app = new OpenAPIHono<AppEnv>()
  const errors: unknown[] = []
  app.onError((error, c) => {
    errors.push(error)
    return c.json({ code: 'internal' }, 500)
  })
  app.use('*', async (c, next) => {
    c.set('checkResponses', checkResponses)
    await next()
  })
  adminRoute(
    app,
    {
      method: 'get',
      path: '/v1/admin/drift',
      operationId: 'getDrift',
      summary: 'A route for the test',
      tags: ['test'],
      response: z.object({ amount: z.number().int() }),
    },
    async () => answer,
  )
  return { app, errors }
}

describe('answers checked against their declared schema', () => {
  it('lets an answer that matches through, and fails one that drifted, naming the field', async () => {
    const fine = appAnswering({ amount: 150_000 }, true)
    expect((await fine.app.request('/v1/admin/drift')).status).toBe(200)

    const drifted = appAnswering({ amount: '150000' }, true)
    expect((await drifted.app.request('/v1/admin/drift')).status).toBe(500)
    expect(drifted.errors[0]).toBeInstanceOf(ResponseDrift)
    expect(String(drifted.errors[0])).toContain(
      'GET /v1/admin/drift answered outside its schema: amount',
    )

    // Off (outside tests), the answer goes out as it is.
    expect(
      (await appAnswering({ amount: '150000' }, false).app.request('/v1/admin/drift')).status,
    ).toBe(200)
  })
})
