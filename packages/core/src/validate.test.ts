import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { conflict, notFound, parseInput, parseRequestInput } from './validate.js'

describe('service input helpers', () => {
  it('parses or throws a 422 naming the field under a prefix', () => {
    const schema = z.strictObject({ quantity: z.number().int().positive() })
    expect(parseInput(schema, { quantity: 2 })).toEqual({ quantity: 2 })
    try {
      parseInput(schema, { quantity: 0 }, 'lines.3')
      expect.unreachable()
    } catch (error) {
      expect((error as { status: number }).status).toBe(422)
      expect((error as { errors: { path: string }[] }).errors[0]?.path).toBe('lines.3.quantity')
    }
  })

  it('names a failing field as the request does: snake_case, or renamed', () => {
    const schema = z.strictObject({
      payoutId: z.string().startsWith('po_'),
      proofUrl: z.url(),
      lines: z.array(z.object({ unitAmount: z.number().int() })),
    })
    const input = { payoutId: 'x', proofUrl: 'nope', lines: [{ unitAmount: 1.5 }] }
    try {
      parseRequestInput(schema, input, { payoutId: 'id' })
      expect.unreachable()
    } catch (error) {
      const { errors, message } = error as { errors: { path: string }[]; message: string }
      expect(errors.map((e) => e.path)).toEqual(['id', 'proof_url', 'lines.0.unit_amount'])
      expect(message).toMatch(/^'id': /)
    }
  })

  it('builds 404 and 409 errors that name their field', () => {
    expect(notFound('product', 'prod_x').status).toBe(404)
    expect(notFound('product', 'prod_x', 'product_id').errors[0]?.path).toBe('product_id')
    const taken = conflict('sku', 'SKU taken')
    expect([taken.status, taken.code, taken.errors[0]?.path]).toEqual([409, 'conflict', 'sku'])
  })
})
