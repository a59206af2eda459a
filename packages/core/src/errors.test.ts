import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { errorCatalog, fieldError, fromZodError, MitraError } from './errors.js'

describe('MitraError', () => {
  it('renders RFC 9457 problem details with a stable code', () => {
    const error = new MitraError('currency_mismatch', 'Cannot add USD and IDR amounts')
    expect(error.toProblem('/v1/admin/orders')).toEqual({
      type: '/docs/errors#currency_mismatch',
      title: errorCatalog.currency_mismatch.title,
      status: 422,
      detail: 'Cannot add USD and IDR amounts',
      code: 'currency_mismatch',
      instance: '/v1/admin/orders',
    })
  })

  it('carries field errors and extensions, and lets context override the status', () => {
    const error = new MitraError('conflict', 'Only 2 left', {
      status: 409,
      extensions: { available: 2 },
      errors: [{ path: 'quantity', code: 'too_big', message: 'only 2 left' }],
    })
    const problem = error.toProblem()
    expect(problem.available).toBe(2)
    expect(problem.errors?.[0]?.path).toBe('quantity')
    expect(fieldError('email', 'invalid', 'not an email').toProblem().errors).toHaveLength(1)
  })

  it('names every failing field of a zod error', () => {
    const schema = z.strictObject({
      title: z.string().min(1),
      items: z.array(z.object({ quantity: z.number().int().positive() })),
    })
    const result = schema.safeParse({ title: '', items: [{ quantity: 0 }], extra: 1 })
    expect(result.success).toBe(false)
    const error = fromZodError(result.error as z.ZodError)
    expect(error.status).toBe(422)
    expect(error.errors.map((e) => e.path).sort()).toEqual(['extra', 'items.0.quantity', 'title'])
    expect(fromZodError(result.error as z.ZodError, 'body').errors[0]?.path).toMatch(/^body/)
  })

  it('names each unknown field, however deep, and the whole input when it is the wrong shape', () => {
    const schema = z.strictObject({ profile: z.strictObject({ name: z.string() }) })
    const unknown = schema.safeParse({ profile: { name: 'a', colour: 1, size: 2 } })
    expect(fromZodError(unknown.error as z.ZodError).errors.map((e) => e.path)).toEqual([
      'profile.colour',
      'profile.size',
    ])
    const wrongShape = schema.safeParse(null)
    const error = fromZodError(wrongShape.error as z.ZodError, undefined, undefined, 'body')
    expect(error.errors.map((e) => e.path)).toEqual(['body'])
    expect(error.message).toMatch(/^'body': /)
  })

  it('maps every catalog code to a 4xx or 5xx status', () => {
    for (const { status } of Object.values(errorCatalog)) {
      expect(status).toBeGreaterThanOrEqual(400)
      expect(status).toBeLessThan(600)
    }
  })
})
