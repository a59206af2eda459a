/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import { money, pick } from '../i18n.js'
import { href, page, type View } from '../layout.js'

export type Cart = Schemas['Cart']
type CartLine = Cart['lines'][number]

export interface CartData {
  cart: Cart | null
  /** What the last action did, said once after its redirect. */
  notice?: string | null
}

/** Why a line cannot be bought as it is, in the buyer's words. */
export function lineProblem(v: View, line: CartLine): string | null {
  if (line.problem === null) return null
  if (line.available <= 0) return v.t.soldOut
  if (line.available < line.quantity) return `${v.t.stockChanged} ${v.t.left(line.available)}.`
  return line.problem.detail
}

/** Units in a cart, for the header. */
export const cartCount = (cart: Cart | null) =>
  cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0

function Line({ v, line }: { v: View; line: CartLine }) {
  const name = line.title
    ? `${pick(line.title, v.locale)} (${line.sku})`
    : (line.name ?? line.variant_id)
  const id = `qty-${line.venue_id}-${line.variant_id}`
  const most = Math.max(Math.min(line.available, 10), line.quantity)
  const problem = lineProblem(v, line)
  return (
    <li class="line">
      <strong>{name}</strong>
      <span>
        {line.unit_price ? `${money(line.unit_price, v.locale)} × ${line.quantity}` : line.quantity}
        {line.line_total ? ` = ${money(line.line_total, v.locale)}` : ''}
      </span>
      {problem ? <p class="error">{problem}</p> : null}
      <form method="post" action={href(v, '/cart/lines')}>
        <input type="hidden" name="variant_id" value={line.variant_id} />
        <input type="hidden" name="venue_id" value={line.venue_id} />
        <input type="hidden" name="mode" value="set" />
        <input type="hidden" name="back" value="/cart" />
        <div>
          <label for={id}>{v.t.quantity}</label>
          <select id={id} name="quantity" class="qty" data-autosubmit>
            {Array.from({ length: most }, (_, i) => (
              <option value={String(i + 1)} selected={i + 1 === line.quantity}>
                {String(i + 1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" data-update>
          {v.t.update}
          <span class="sr"> {v.t.quantityOf(name)}</span>
        </button>
      </form>
      <form method="post" action={href(v, '/cart/lines/remove')}>
        <input type="hidden" name="variant_id" value={line.variant_id} />
        <input type="hidden" name="venue_id" value={line.venue_id} />
        <button type="submit" class="plain" aria-label={v.t.removeLine(name)}>
          {v.t.remove}
        </button>
      </form>
    </li>
  )
}

export function cartPage(v: View, data: CartData): string {
  const { t } = v
  const { cart } = data
  const lines = cart?.lines ?? []
  const body = (
    <>
      <h1>{t.cart}</h1>
      {data.notice ? (
        <p class="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      {cart === null || lines.length === 0 ? (
        <>
          <p>{t.cartEmpty}</p>
          <p>
            <a href={href(v, '/')}>{t.continueShopping}</a>
          </p>
        </>
      ) : (
        <>
          {cart.venues.length > 1 ? <p class="muted">{t.severalVenues}</p> : null}
          {cart.venues.map((venue) => (
            <section aria-labelledby={`from-${venue.venue_id}`}>
              <h2 id={`from-${venue.venue_id}`}>{t.cartFrom(venue.name)}</h2>
              <ul class="lines">
                {lines
                  .filter((line) => line.venue_id === venue.venue_id)
                  .map((line) => (
                    <Line v={v} line={line} />
                  ))}
              </ul>
              <dl class="totals">
                <dt>{t.subtotal}</dt>
                <dd>{money(venue.subtotal, v.locale)}</dd>
              </dl>
              <p>
                <a class="button" href={`${href(v, '/checkout')}?venue=${venue.venue_id}`}>
                  {t.checkoutVenue(venue.name)}
                </a>
              </p>
            </section>
          ))}
          <p>
            <a href={href(v, '/')}>{t.continueShopping}</a>
          </p>
        </>
      )}
    </>
  )
  return page(v, { title: t.cart, description: t.cart, noindex: true }, body)
}
