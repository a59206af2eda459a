/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import { type StoreVenue, venueAddress } from '../components.js'
import { dateTime, money } from '../i18n.js'
import { href, page, type View } from '../layout.js'

export type Order = Schemas['Order']

export interface OrderData {
  order: Order
  /** The venue selling it (where to pick it up). */
  venue: StoreVenue | null
  notice?: string | null
}

const paidStatuses = new Set(['paid', 'ready_for_pickup', 'shipped', 'completed'])

/**
 * An order a buyer can come back to. Its address is its id (hard to guess), so it shows what
 * was bought and where it stands, but none of the buyer's contact details or street address.
 */
export function orderPage(v: View, data: OrderData): string {
  const { t } = v
  const { order, venue } = data
  const paid = paidStatuses.has(order.status)
  const venueName = venue?.name ?? ''
  const body = (
    <>
      <h1>{t.orderTitle}</h1>
      <p class="muted">{t.order(order.id)}</p>
      {data.notice ? (
        <p class="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      <p class={paid ? 'status paid' : 'status'} role="status">
        {t.status[order.status] ?? order.status}
      </p>
      {order.status === 'paid' ? <p>{t.paidThanks}</p> : null}
      {order.status === 'pending_payment' ? (
        <>
          {order.redirect_url ? (
            <p>
              <a class="button" href={order.redirect_url}>
                {t.payNow}
              </a>
            </p>
          ) : null}
          <p>{t.payBy(dateTime(order.expires_at, v.locale))}</p>
          <form method="post" action={href(v, `/orders/${order.id}/cancel`)}>
            <button type="submit" class="plain">
              {t.cancelOrder}
            </button>
          </form>
        </>
      ) : null}
      <h2>{t.products}</h2>
      <ul class="lines">
        {order.lines.map((line) => (
          <li class="line">
            <span>
              {line.name} × {line.quantity} = {money(line.line_total, v.locale)}
            </span>
          </li>
        ))}
      </ul>
      <dl class="totals">
        <dt>{t.subtotal}</dt>
        <dd>{money(order.subtotal, v.locale)}</dd>
        {order.delivery_fee.amount > 0 ? (
          <>
            <dt>{t.deliveryFee}</dt>
            <dd>{money(order.delivery_fee, v.locale)}</dd>
          </>
        ) : null}
        <dt>{t.total}</dt>
        <dd>{money(order.total, v.locale)}</dd>
      </dl>
      <p>
        {order.fulfilment === 'pickup'
          ? t.pickupFrom(venueName)
          : t.deliverTo(order.delivery_address?.city ?? '')}
        {order.fulfilment === 'pickup' && venue && venueAddress(venue) ? (
          <>
            {': '}
            <a href={href(v, `/venues/${venue.slug}`)}>{venueAddress(venue)}</a>
          </>
        ) : null}
      </p>
      <p>
        {t.provider}: {t.providers[order.provider] ?? order.provider}
      </p>
      <p class="muted">{t.bookmark}</p>
      <p>
        <a href={href(v, '/')}>{t.continueShopping}</a>
      </p>
    </>
  )
  return page(v, { title: t.order(order.id), description: t.orderTitle, noindex: true }, body)
}
