import { expect, it } from 'vitest'
import { bundle } from './bundle.js'

it('the store entry builds for browsers, without the admin API, within 6 KB gzipped', async () => {
  const store = await bundle('store')
  expect(store.code).not.toContain('/v1/admin/')
  expect(store.code).toContain('/v1/store/carts')
  expect(store.gzipped).toBeLessThanOrEqual(6 * 1024)
})

it('the whole SDK builds for browsers too (no Node-only imports)', async () => {
  const whole = await bundle('index')
  expect(whole.code).toContain('/v1/admin/settlements')
})
