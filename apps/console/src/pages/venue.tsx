/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { randomBytes } from 'node:crypto'
import type { Schemas } from '@mitra/sdk'
import { date, money, pick } from '../format.js'
import { type FieldErrors, lineErrors, problemText, quantitiesIn, quantityField } from '../forms.js'
import { at, Csrf, FieldError, Figures, invalid, page } from '../layout.js'
import { CounterReceipt } from '../prints/index.js'
import type { PartyContext } from '../routes.js'
import { variantNames } from '../words/names.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf, partyNames } from './shared.js'

const venue = ['venue'] as const

/** What is on this venue's shelf now, with names, makers and prices (the public catalogue). */
async function shelf(ctx: PartyContext) {
  const venueId = ctx.v.acting?.id as string
  const [available, products, brands] = await Promise.all([
    ctx.store.venues.available(venueId, { limit: 100 }).toArray(),
    ctx.store.products.list({ venue: venueId, limit: 100 }).toArray(),
    ctx.store.brands.list({ limit: 100 }).toArray(),
  ])
  const productOf = new Map(products.map((product) => [product.id, product]))
  const makerOf = new Map(brands.map((brand) => [brand.producer_id, brand]))
  return available.map((line) => ({
    ...line,
    product: productOf.get(line.product_id),
    maker: makerOf.get(line.producer_id),
  }))
}

async function home(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t, locale } = v
  const [stock, incoming] = await Promise.all([
    admin.stock.venue(),
    admin.deliveries.list({ limit: 50 }),
  ])
  const toCount = incoming.data.filter((delivery) => delivery.status === 'sent')
  const names = await partyNames(
    ctx,
    toCount.map((d) => d.producer_id),
  )
  return page(
    v,
    t.nav.home,
    <>
      {toCount.length > 0 ? (
        <section aria-labelledby="count">
          <h2 id="count">{t.toReceive}</h2>
          <ul class="parties">
            {toCount.map((delivery) => (
              <li>
                <a href={at(v, `/deliveries/${delivery.id}`)}>
                  <strong>{delivery.note_number}</strong> · {names.get(delivery.producer_id)} ·{' '}
                  {date(delivery.sent_at, locale)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="owe">
        <h2 id="owe">{t.owe}</h2>
        <Figures head={[t.producer, t.onShelf, t.sold, t.owedToProducer]}>
          {stock.producers.map((row) => (
            <tr>
              <td>{row.producer_name}</td>
              <td class="n">{row.on_hand}</td>
              <td class="n">{row.sold}</td>
              <td class="n">
                {row.owed.length === 0
                  ? money({ amount: 0, currency: 'IDR' }, locale)
                  : row.owed.map((owed) => money(owed.amount, locale)).join(' + ')}
              </td>
            </tr>
          ))}
        </Figures>
        <p>
          <a class="button" href={at(v, '/counter')}>
            {t.counterTitle}
          </a>{' '}
          <a class="button quiet" href={at(v, '/remittances')}>
            {t.remittances}
          </a>
        </p>
      </section>
    </>,
    { notice: noticeOf(ctx) },
  )
}

/** The counter: find what the buyer brought, by name or by its label's QR code, and sell it. */
async function counter(ctx: PartyContext, errors: FieldErrors = {}, problem?: string) {
  const { v, c } = ctx
  const { t, locale } = v
  const query = (c.req.query('q') ?? '').trim().toLowerCase()
  const lines = (await shelf(ctx)).filter((line) => line.available > 0)
  const found = query
    ? lines.filter((line) =>
        [
          line.product_id,
          line.sku,
          line.product?.title.id,
          line.product?.title.en,
          line.maker?.name,
        ]
          .filter(Boolean)
          .some((text) => (text as string).toLowerCase().includes(query)),
      )
    : lines
  const posted = c.req.method === 'POST' ? await ctx.form() : {}
  const receipt = posted.receipt_number ?? `N-${randomBytes(3).toString('hex').toUpperCase()}`
  return page(
    v,
    t.counterTitle,
    <>
      <search>
        <form method="get" class="row">
          <label for="q" class="sr">
            {t.search}
          </label>
          <input
            id="q"
            name="q"
            type="search"
            value={c.req.query('q') ?? ''}
            placeholder={t.search}
          />
          <button type="submit" class="quiet">
            {t.searchButton}
          </button>
          <button type="button" class="quiet" data-scan hidden>
            {t.scan}
          </button>
        </form>
      </search>
      <form method="post" action={at(v, '/counter')} class="stack" novalidate>
        <Csrf v={v} />
        {problem ? (
          <p class="problem" role="alert">
            {problem}
          </p>
        ) : null}
        <ul class="shelf">
          {found.map((line, index) => {
            const id = quantityField(line.variant_id)
            const error = errors[id] ?? errors[`lines.${index}.quantity`]
            return (
              <li>
                <div>
                  <label for={id}>{pick(line.product?.title, locale) || line.sku}</label>
                  <span class="maker">
                    {line.maker?.name} · {line.sku} · {t.available} {line.available}
                  </span>
                  <FieldError id={id} error={error} />
                </div>
                <div>
                  <strong>{line.price ? money(line.price, locale) : ''}</strong>
                  <input
                    id={id}
                    name={id}
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max={String(line.available)}
                    value={posted[id] ?? ''}
                    aria-label={`${t.quantity}: ${pick(line.product?.title, locale) || line.sku}`}
                    {...invalid(id, error)}
                  />
                </div>
              </li>
            )
          })}
        </ul>
        <fieldset>
          <legend>{t.paidWith}</legend>
          {(['cash', 'qris'] as const).map((channel) => (
            <label class="choice">
              <input
                type="radio"
                name="channel"
                value={channel}
                checked={(posted.channel ?? 'cash') === channel}
              />
              {t[channel]}
            </label>
          ))}
        </fieldset>
        <div>
          <label for="receipt_number">{t.receiptNumber}</label>
          <input
            id="receipt_number"
            name="receipt_number"
            value={receipt}
            {...invalid('receipt_number', errors.receipt_number)}
          />
          <FieldError id="receipt_number" error={errors.receipt_number} />
        </div>
        <button type="submit">{t.sell}</button>
      </form>
    </>,
  )
}

async function sell(ctx: PartyContext) {
  const form = await ctx.form()
  const { t } = ctx.v
  const lines = quantitiesIn(form)
  if (lines.length === 0) return ctx.c.html(await counter(ctx, {}, t.nothingChosen), 422)
  try {
    const sale = await ctx.admin.sales.create({
      venue_id: ctx.v.acting?.id as string,
      receipt_number: form.receipt_number ?? '',
      channel: form.channel === 'qris' ? 'qris' : 'cash',
      lines,
    })
    return ctx.back(`/sales/${sale.id}`)
  } catch (error) {
    const errors = lineErrors(error, t, lines)
    return ctx.c.html(await counter(ctx, errors, problemText(error)), 422)
  }
}

/** The receipt of a counter sale, naming the maker of each line. */
async function receipt(ctx: PartyContext, params: Record<string, string>) {
  const { v, admin } = ctx
  const { t, locale } = v
  const sale = await admin.sales.get(params.id as string)
  const [products, brands, place] = await Promise.all([
    ctx.store.products.list({ limit: 100 }).toArray(),
    ctx.store.brands.list({ limit: 100 }).toArray(),
    ctx.store.venues.get(sale.venue_id),
  ])
  const names = variantNames(products)
  const makerOf = new Map(brands.map((brand) => [brand.producer_id, brand]))
  return page(
    v,
    t.receiptTitle,
    <>
      <p class="noprint row">
        <button type="button" data-print hidden>
          {t.print}
        </button>
        <a class="button quiet" href={at(v, '/counter')}>
          {t.newSale}
        </a>
      </p>
      <CounterReceipt
        locale={locale}
        venue={{ name: place.name, address: place.location.address ?? undefined }}
        sale={{ receiptNumber: sale.receipt_number }}
        lines={sale.lines.map((line) => ({
          title: names[line.variant_id]?.title ?? { id: line.variant_id },
          maker: {
            name: makerOf.get(line.producer_id)?.name ?? '',
            village: makerOf.get(line.producer_id)?.origin.village,
          },
          quantity: line.quantity,
          unitPrice: line.unit_price,
        }))}
        paidWith={sale.channel === 'qris' ? 'qris' : 'cash'}
        receivedAt={sale.sold_at}
      />
    </>,
  )
}

/** Receiving a delivery: count each line; what is missing or damaged is noted. */
async function receiveForm(
  ctx: PartyContext,
  params: Record<string, string>,
  errors: FieldErrors = {},
) {
  const { v, admin } = ctx
  const { t, locale } = v
  const delivery = await admin.deliveries.get(params.id as string)
  const products = await ctx.store.products.list({ limit: 100 }).toArray()
  const names = variantNames(products)
  const producer = await partyNames(ctx, [delivery.producer_id])
  const posted = ctx.c.req.method === 'POST' ? await ctx.form() : {}
  return page(
    v,
    `${delivery.note_number} · ${producer.get(delivery.producer_id) ?? ''}`,
    <>
      <p>
        {t.deliveryStatus[delivery.status]} · {date(delivery.sent_at, locale)}
      </p>
      {delivery.status === 'sent' ? (
        <form method="post" action={at(v, `/deliveries/${delivery.id}`)} class="stack" novalidate>
          <Csrf v={v} />
          {delivery.lines.map((line, index) => {
            const id = quantityField(line.variant_id)
            const error = errors[id] ?? errors[`lines.${index}.quantity`]
            return (
              <div>
                <label for={id}>
                  {pick(names[line.variant_id]?.title, locale) || line.variant_id}{' '}
                  <span class="hint">
                    {t.sent}: {line.quantity_sent}
                  </span>
                </label>
                <input
                  id={id}
                  name={id}
                  type="number"
                  inputmode="numeric"
                  min="0"
                  value={posted[id] ?? String(line.quantity_sent)}
                  {...invalid(id, error)}
                />
                <FieldError id={id} error={error} />
              </div>
            )
          })}
          <div>
            <label for="note">{t.receiveNote}</label>
            <textarea id="note" name="note" rows={2}>
              {posted.note ?? ''}
            </textarea>
          </div>
          <button type="submit">{t.receive}</button>
        </form>
      ) : (
        <ul>
          {delivery.lines.map((line) => (
            <li>
              {pick(names[line.variant_id]?.title, locale)}: {t.sent} {line.quantity_sent},{' '}
              {t.counted} {line.quantity_received ?? '–'}
            </li>
          ))}
        </ul>
      )}
    </>,
  )
}

async function receive(ctx: PartyContext, params: Record<string, string>) {
  const form = await ctx.form()
  const delivery = await ctx.admin.deliveries.get(params.id as string)
  const lines = delivery.lines.map((line) => ({
    variant_id: line.variant_id,
    quantity: Number(form[quantityField(line.variant_id)] ?? line.quantity_sent),
  }))
  try {
    await ctx.admin.deliveries.receive(delivery.id, {
      lines,
      ...(form.note?.trim() ? { note: form.note.trim() } : {}),
    })
    return ctx.back('', 'received')
  } catch (error) {
    const errors = lineErrors(error, ctx.v.t, lines)
    return ctx.c.html(await receiveForm(ctx, params, errors), 422)
  }
}

async function deliveries(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t, locale } = v
  const list = await admin.deliveries.list({ limit: 50 })
  const names = await partyNames(ctx, [...new Set(list.data.map((d) => d.producer_id))])
  return page(
    v,
    t.deliveries,
    <ul class="parties">
      {list.data.map((delivery: Schemas['Delivery']) => (
        <li>
          <a href={at(v, `/deliveries/${delivery.id}`)}>
            <strong>{delivery.note_number}</strong> · {names.get(delivery.producer_id)}
            <br />
            {t.deliveryStatus[delivery.status]} · {date(delivery.sent_at, locale)}
          </a>
        </li>
      ))}
    </ul>,
  )
}

export const venueScreens: Screen[] = [
  show('/', venue, home),
  show('/counter', venue, (ctx) => counter(ctx)),
  act('/counter', venue, sell),
  show('/sales/:id', venue, receipt),
  show('/deliveries', venue, deliveries),
  show('/deliveries/:id', venue, receiveForm),
  act('/deliveries/:id', venue, receive),
]
