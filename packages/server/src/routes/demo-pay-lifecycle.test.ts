import { testDatabaseKinds } from '@mitra/db/testing'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { useTestApi } from '../test-support.js'

// The app's own demo provider (no `payments` given): its bank is in the app's database.
describe.each(testDatabaseKinds())('the demo checkout’s lifecycle over HTTP on %s', (kind) => {
  const baseUrl = 'http://shop.test'
  const api = useTestApi(kind, { baseUrl })

  async function pendingOrder() {
    await api.platform()
    const { producer, venue, variantId } = await api.partnership()
    await api.deliver(producer, venue, variantId, 3)
    const order = await api.storeOrder(venue, variantId)
    expect(order.status).toBe(201)
    const payPage = new URL(order.json.redirect_url as string).pathname
    return { venue, order: order.json, payPage }
  }

  const pay = (app: ReturnType<typeof createApp>, page: string) =>
    app.request(`${page}/pay`, { method: 'POST', body: new URLSearchParams({ method: 'qris' }) })

  it('no longer offers Pay once the buyer cancels, and paying there changes nothing', async () => {
    const { venue, order, payPage } = await pendingOrder()
    const before = await api.app().request(payPage)
    expect(await before.text()).toContain(`action="${baseUrl}${payPage}/pay"`)
    const canceled = await api.call('POST', `/v1/store/orders/${order.id}/cancel`, {
      token: venue.publishable,
      headers: { 'Mitra-Order-Token': order.access_token },
    })
    expect(canceled.json.status).toBe('canceled')
    const after = await (await api.app().request(payPage)).text()
    expect(after).not.toContain('/pay"')
    expect(after).toContain('This demo payment is canceled.')
    const paying = await pay(api.app(), payPage)
    expect(paying.status).toBe(409)
    const seen = await api.call('GET', `/v1/admin/orders/${order.id}`, { token: venue.secret })
    expect(seen.json).toMatchObject({ status: 'canceled', paid_amount: null })
  })

  it('pays after a restart a checkout opened before it: a new app over the same database', async () => {
    const { venue, order, payPage } = await pendingOrder()
    const restarted = createApp({ database: api.database(), baseUrl })
    const paid = await pay(restarted, payPage)
    expect(paid.status).toBe(303)
    const seen = await api.call('GET', `/v1/admin/orders/${order.id}`, { token: venue.secret })
    expect(seen.json.status).toBe('paid')
  })
})
