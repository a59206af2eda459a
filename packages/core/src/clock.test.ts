import { describe, expect, it } from 'vitest'
import { ManualClock, systemClock } from './clock.js'

describe('clocks', () => {
  it('a manual clock moves only when told', () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z')
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z')
    clock.advance(86_400_000)
    expect(clock.now().toISOString()).toBe('2026-03-02T00:00:00.000Z')
    clock.set('2027-01-01T00:00:00Z')
    expect(clock.now().getUTCFullYear()).toBe(2027)
  })

  it('the system clock tells the time', () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000)
  })
})
