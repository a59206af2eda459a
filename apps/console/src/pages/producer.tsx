/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { randomBytes } from 'node:crypto'
import { date, groupBy, jakartaDay, money, pick } from '../format.js'
import { type FieldErrors, lineErrors, problemText, quantitiesIn, quantityField } from '../forms.js'
import { at, Csrf, FieldError, Figures, invalid, page } from '../layout.js'
import { DeliveryNotePrint, deliveryNoteFromApi, PriceTagSheet } from '../prints/index.js'
import type { PartyContext } from '../routes.js'
import { variantNames } from '../words/names.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf, venueNames } from './shared.js'

const producer = ['producer'] as const

/** Products with names, by variant: what every producer screen shows instead of ids. */
async function ownProducts(ctx: PartyContext) {
  const products = await ctx.admin.products.list({ limit: 100 }).toArray()
  return { products, names: variantNames(products) }
}

/** The first screen: where my goods are, where my money is. */
async function home(ctx: PartyContext) {
  const { v, admin } = ctx
  const { t, locale } = v
  const [stock, balance, { names }] = await Promise.all([
    admin.stock.producer(),
    admin.balance.get(),
    ownProducts(ctx),
  ])
  const venues = new Map(stock.rows.map((row) => [row.venue_id, row.venue_name]))
  const names2 = await venueNames(ctx, [...balance.awaiting.map((held) => held.party_id)])
  const byVenue = groupBy(stock.rows, (row) => row.venue_id)
  const soldUnits = stock.rows.reduce((total, row) => total + row.sold, 0)
  return page(
    v,
    t.nav.home,
    <>
      <section aria-labelledby="money">
        <h2 id="money">{t.whereMoney}</h2>
        <ul class="figures">
          <li>
            <strong>{money(balance.owed, locale)}</strong>
            <span>{t.owedToMe}</span>
          </li>
          <li>
            <strong>{money(balance.payable, locale)}</strong>
            <span>{t.payableNow}</span>
          </li>
          {balance.awaiting.map((held) => (
            <li>
              <strong>{money(held.amount, locale)}</strong>
              <span>
                {t.inTill(venues.get(held.party_id) ?? names2.get(held.party_id) ?? t.venue)}
              </span>
            </li>
          ))}
          <li>
            <strong>{money(balance.in_transit, locale)}</strong>
            <span>{t.inTransit}</span>
          </li>
        </ul>
        <p class="muted">
          {t.nextSettlement}: {t.nextSettlementText}
        </p>
      </section>
      <section aria-labelledby="goods">
        <h2 id="goods">{t.whereGoods}</h2>
        <p class="muted">
          {t.sold}: {soldUnits} · {date(stock.since, locale)} –
        </p>
        {stock.rows.length === 0 ? <p>{t.noStock}</p> : null}
        {[...byVenue].map(([venueId, rows]) => (
          <div class="card">
            <h3>{venues.get(venueId)}</h3>
            <Figures head={[t.product, t.onShelf, t.sold, t.discrepancy]}>
              {rows.map((row) => (
                <tr>
                  <td>
                    {pick(names[row.variant_id]?.title, locale) || row.sku}{' '}
                    <span class="muted">{row.sku}</span>
                  </td>
                  <td class="n">{row.on_hand}</td>
                  <td class="n">{row.sold}</td>
                  <td class="n">{row.discrepancy === 0 ? '–' : row.discrepancy}</td>
                </tr>
              ))}
            </Figures>
          </div>
        ))}
      </section>
    </>,
    { notice: noticeOf(ctx) },
  )
}

/** Deliveries sent, what each venue counted, and a form for a new delivery note. */
async function deliveries(ctx: PartyContext, errors: FieldErrors = {}, problem?: string) {
  const { v, admin } = ctx
  const { t, locale } = v
  const [list, agreements, { products, names }] = await Promise.all([
    admin.deliveries.list({ limit: 50 }),
    admin.agreements.list({ status: 'active', limit: 100 }).toArray(),
    ownProducts(ctx),
  ])
  const venueIds = [
    ...new Set([...agreements.map((a) => a.venue_id), ...list.data.map((d) => d.venue_id)]),
  ]
  const venues = await venueNames(ctx, venueIds)
  const posted = ctx.c.req.method === 'POST' ? await ctx.form() : {}
  const noteNumber =
    posted.note_number ??
    `SJ/${jakartaDay().replaceAll('-', '')}/${randomBytes(2).toString('hex').toUpperCase()}`
  const active = products.filter((product) => product.status === 'active')
  return page(
    v,
    t.nav.deliveries,
    <>
      <section aria-labelledby="new">
        <h2 id="new">{t.newDelivery}</h2>
        {agreements.length === 0 ? (
          <p>{t.noAgreements}</p>
        ) : (
          <form method="post" action={at(v, '/deliveries')} class="stack" novalidate>
            <Csrf v={v} />
            {problem ? (
              <p class="problem" role="alert">
                {problem}
              </p>
            ) : null}
            <div>
              <label for="venue_id">{t.venue}</label>
              <select id="venue_id" name="venue_id" {...invalid('venue_id', errors.venue_id)}>
                {agreements.map((agreement) => (
                  <option
                    value={agreement.venue_id}
                    selected={posted.venue_id === agreement.venue_id}
                  >
                    {venues.get(agreement.venue_id)}
                  </option>
                ))}
              </select>
              <FieldError id="venue_id" error={errors.venue_id} />
            </div>
            <div>
              <label for="note_number">{t.noteNumber}</label>
              <input
                id="note_number"
                name="note_number"
                value={noteNumber}
                {...invalid('note_number', errors.note_number)}
              />
              <FieldError id="note_number" error={errors.note_number} />
            </div>
            <fieldset>
              <legend>{t.quantity}</legend>
              {active.flatMap((product) =>
                product.variants.map((variant, index) => {
                  const id = quantityField(variant.id)
                  const error = errors[`lines.${index}.quantity`] ?? errors[id]
                  return (
                    <div>
                      <label for={id}>
                        {pick(product.title, locale)} <span class="hint">{variant.sku}</span>
                      </label>
                      <input
                        id={id}
                        name={id}
                        type="number"
                        inputmode="numeric"
                        min="0"
                        value={posted[id] ?? ''}
                        {...invalid(id, error)}
                      />
                      <FieldError id={id} error={error} />
                    </div>
                  )
                }),
              )}
            </fieldset>
            <button type="submit">{t.send}</button>
          </form>
        )}
      </section>
      <section aria-labelledby="sent">
        <h2 id="sent">{t.deliveries}</h2>
        {list.data.length === 0 ? <p>{t.none}</p> : null}
        {list.data.map((delivery) => (
          <div class="card">
            <h3>
              {delivery.note_number} → {venues.get(delivery.venue_id)}
            </h3>
            <p>
              <span class={`status ${delivery.status === 'received' ? 'ok' : 'warn'}`}>
                {t.deliveryStatus[delivery.status]}
              </span>{' '}
              {date(delivery.sent_at, locale)}
            </p>
            <Figures head={[t.product, t.sent, t.counted]}>
              {delivery.lines.map((line) => (
                <tr>
                  <td>{pick(names[line.variant_id]?.title, locale) || line.variant_id}</td>
                  <td class="n">{line.quantity_sent}</td>
                  <td class="n">{line.quantity_received ?? '–'}</td>
                </tr>
              ))}
            </Figures>
            <p>
              <a href={at(v, `/deliveries/${delivery.id}/print`)}>{t.print}</a>
            </p>
          </div>
        ))}
      </section>
    </>,
    { notice: noticeOf(ctx) },
  )
}

async function sendDelivery(ctx: PartyContext) {
  const form = await ctx.form()
  const lines = quantitiesIn(form)
  const { t } = ctx.v
  if (lines.length === 0) {
    return ctx.c.html(await deliveries(ctx, {}, t.nothingChosen), 422)
  }
  try {
    await ctx.admin.deliveries.create({
      venue_id: form.venue_id ?? '',
      note_number: form.note_number ?? '',
      lines,
    })
    return ctx.back('/deliveries', 'saved')
  } catch (error) {
    const errors = lineErrors(error, t, lines)
    return ctx.c.html(await deliveries(ctx, errors, problemText(error)), 422)
  }
}

/** The delivery note (surat jalan) to print and sign. */
async function printDelivery(ctx: PartyContext, params: Record<string, string>) {
  const { v, admin } = ctx
  const delivery = await admin.deliveries.get(params.id as string)
  const { names } = await ownProducts(ctx)
  const [party, venue] = await Promise.all([
    admin.party.get(),
    ctx.store.venues.get(delivery.venue_id),
  ])
  const { note, lines } = deliveryNoteFromApi(
    delivery,
    new Map(Object.entries(names).map(([id, name]) => [id, name])),
  )
  return page(
    v,
    `${v.t.print}: ${delivery.note_number}`,
    <>
      <p class="noprint">
        <button type="button" data-print hidden>
          {v.t.print}
        </button>{' '}
        <a href={at(v, '/deliveries')}>{v.t.back}</a>
      </p>
      <DeliveryNotePrint
        locale={v.locale}
        note={note}
        producer={{ name: party.name }}
        venue={{ name: venue.name, address: venue.location.address ?? undefined }}
        lines={lines}
      />
    </>,
  )
}

/** Price tags: each with the maker's brand and a QR code to the product's page. */
async function labels(ctx: PartyContext) {
  const { v, admin, c } = ctx
  const { t, locale } = v
  const [{ products }, kit] = await Promise.all([
    ownProducts(ctx),
    admin.brandKit.get().catch(() => null),
  ])
  const copies = Math.min(Math.max(Number(c.req.query('copies') ?? 3) || 3, 1), 24)
  const active = products.filter((product) => product.status === 'active')
  const items = active.flatMap((product) =>
    product.variants.flatMap((variant) =>
      variant.price
        ? [
            {
              title: product.title,
              sku: variant.sku,
              options: variant.options,
              price: variant.price,
              url: `${ctx.shopUrl}/products/${product.id}`,
              copies,
            },
          ]
        : [],
    ),
  )
  return page(
    v,
    t.labelsTitle,
    <>
      <form method="get" class="row noprint">
        <label for="copies">{t.copies}</label>
        <input id="copies" name="copies" type="number" min="1" max="24" value={String(copies)} />
        <button type="submit" class="quiet">
          {t.makeLabels}
        </button>
        <button type="button" data-print hidden>
          {t.print}
        </button>
      </form>
      <p class="noprint muted">{t.labelsLead}</p>
      <PriceTagSheet
        locale={locale}
        brand={{
          name: kit?.name ?? v.acting?.name ?? '',
          color: kit?.palette.primary ?? null,
          village: kit?.origin.village ?? null,
        }}
        items={items}
      />
    </>,
  )
}

export const producerScreens: Screen[] = [
  { method: 'GET', path: '/', kinds: producer, run: (ctx) => ctx.c.html(home(ctx)) },
  show('/deliveries', producer, (ctx) => deliveries(ctx)),
  act('/deliveries', producer, sendDelivery),
  show('/deliveries/:id/print', producer, printDelivery),
  show('/labels', producer, labels),
]
