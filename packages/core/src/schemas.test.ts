import { describe, expect, it } from 'vitest'
import { newId } from './ids.js'
import { money } from './money.js'
import { idSchema, moneySchema, priceSchema } from './schemas.js'

describe('shared schemas', () => {
  it('accepts integer amounts with a known currency and returns Money', () => {
    expect(moneySchema.parse({ amount: 150000, currency: 'IDR' })).toEqual(money(150000, 'IDR'))
  })

  it('rejects floats, unknown currencies, extra fields and negative prices', () => {
    expect(moneySchema.safeParse({ amount: 1.5, currency: 'IDR' }).success).toBe(false)
    expect(moneySchema.safeParse({ amount: 1, currency: 'XYZ' }).success).toBe(false)
    expect(moneySchema.safeParse({ amount: 1, currency: 'IDR', x: 1 }).success).toBe(false)
    expect(moneySchema.safeParse({ amount: '1', currency: 'IDR' }).success).toBe(false)
    const negative = priceSchema.safeParse({ amount: -1, currency: 'IDR' })
    expect(negative.success).toBe(false)
    expect(negative.error?.issues[0]?.path).toEqual(['amount'])
  })

  it('accepts only ids of the named kind', () => {
    expect(idSchema('prod').safeParse(newId('prod')).success).toBe(true)
    expect(idSchema('prod').safeParse(newId('ord')).success).toBe(false)
  })
})
