/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MitraError } from '@mitra/core'
import { isMitraApiError, type Schemas } from '@mitra/sdk'
import { date, dateTime, groupBy, money, pick } from '../format.js'
import { type FieldErrors, fieldErrors, lineIndexOf, problemText, quantityField } from '../forms.js'
import { at, Csrf, FieldError, invalid, page } from '../layout.js'
import type { PartyContext } from '../routes.js'
import { variantNames } from '../words/names.js'
import { statementFigures } from '../words/statement.js'
import { days } from '../words/text.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf, partyNames } from './shared.js'
import { type StockStrings, stockStrings } from './stock-strings.js'

const venue = ['venue'] as const
const producer = ['producer'] as const
const traders = ['producer', 'venue'] as const

type StockReturn = Schemas['StockReturn']
type Lot = Schemas['LotsReport']['expired'][number]

const words = (ctx: PartyContext): StockStrings => stockStrings[ctx.v.locale]

/** A notice after a redirect: a key of this file's words (never text from the URL), else shared. */
function notice(ctx: PartyContext): string | undefined {
  const key = ctx.c.req.query('done')
  const own = words(ctx).notices
  if (key !== undefined && Object.hasOwn(own, key)) return own[key]
  return noticeOf(ctx)
}

const notFound = () => new MitraError('not_found', 'No such page')

/**
 * Names of what the screens mention: products by variant id (the title, with the variant's
 * options when the product has several: "Syal batik sutra (biru)"), from the public
 * catalogue, and parties by id. Nothing is ever called by its id.
 */
async function namesOf(ctx: PartyContext, partyIds: readonly string[]) {
  const { locale } = ctx.v
  const s = words(ctx)
  const [products, parties] = await Promise.all([
    ctx.store.products.list({ limit: 100 }).toArray(),
    partyNames(ctx, [...new Set(partyIds)]),
  ])
  const titles = new Map<string, string>()
  for (const product of products) {
    const title = pick(product.title, locale)
    for (const variant of product.variants) {
      const options = Object.values(variant.options).join(', ')
      titles.set(
        variant.id,
        product.variants.length > 1 && options ? `${title} (${options})` : title,
      )
    }
  }
  return {
    product: (variantId: string) => titles.get(variantId) ?? s.someProduct,
    party: (partyId: string) => parties.get(partyId) ?? s.someMaker,
  }
}

interface ShelfLine {
  variant_id: string
  producer_id: string
  product: string
  maker: string
  on_hand: number
  reserved: number
  /** On hand and not held for a checkout: what may leave the shelf. */
  available: number
}

/**
 * What is on this venue's shelf, per product, as the stock ledger says: every movement at
 * the venue summed (the admin API gives a venue its totals per maker, not per product).
 * Sorted by maker, then product.
 */
async function shelfOf(ctx: PartyContext, moreParties: readonly string[] = []) {
  const venueId = ctx.v.acting?.id as string
  const movements = await ctx.admin.stock.movements({ venue_id: venueId, limit: 100 }).toArray()
  const levels = new Map<string, { producer_id: string; on_hand: number; reserved: number }>()
  for (const movement of movements) {
    if (movement.venue_id !== venueId) continue
    const level = levels.get(movement.variant_id) ?? {
      producer_id: movement.producer_id,
      on_hand: 0,
      reserved: 0,
    }
    level.on_hand += movement.on_hand_delta
    level.reserved += movement.reserved_delta
    levels.set(movement.variant_id, level)
  }
  const names = await namesOf(ctx, [
    ...[...levels.values()].map((level) => level.producer_id),
    ...moreParties,
  ])
  const lines: ShelfLine[] = [...levels]
    .filter(([, level]) => level.on_hand > 0)
    .map(([variantId, level]) => ({
      variant_id: variantId,
      producer_id: level.producer_id,
      product: names.product(variantId),
      maker: names.party(level.producer_id),
      on_hand: level.on_hand,
      reserved: level.reserved,
      available: Math.max(0, level.on_hand - level.reserved),
    }))
    .sort(
      (a, b) =>
        a.maker.localeCompare(b.maker) ||
        a.producer_id.localeCompare(b.producer_id) ||
        a.product.localeCompare(b.product),
    )
  return { lines, names }
}

/**
 * A refusal of the API on the form's own fields: `lines.N.…` onto the field of line N, the
 * rest by its own name; each in the person's language (these screens' words for the codes
 * the shared words do not know). `problem` is what to say at the top of the form.
 */
function refusal(ctx: PartyContext, error: unknown, lineFields: readonly string[]) {
  const { t } = ctx.v
  const s = words(ctx)
  const given = fieldErrors(error, t) ?? {}
  const seen = new Set<string>()
  for (const e of (error as { errors: readonly { path: string; code?: string }[] }).errors) {
    if (seen.has(e.path)) continue
    seen.add(e.path)
    if (e.code !== undefined && Object.hasOwn(s.codes, e.code)) {
      given[e.path] = s.codes[e.code] as string
    }
  }
  const errors: FieldErrors = {}
  const loose: string[] = []
  for (const [path, message] of Object.entries(given)) {
    const index = lineIndexOf(path)
    const field = index === undefined ? undefined : lineFields[index]
    if (field !== undefined) errors[field] = message
    else if (path === 'reason' || path === 'comment') errors[path] = message
    else loose.push(message)
  }
  const code = (error as { code?: string }).code
  const problem =
    loose.length > 0
      ? loose.join(' · ')
      : Object.keys(errors).length > 0
        ? t.fixFields
        : code !== undefined && Object.hasOwn(s.codes, code)
          ? (s.codes[code] as string)
          : problemText(error)
  return { errors, problem }
}

/** A lot's age in words: past what the agreement allows, in grace, or soon to be. */
function lotWords(lot: Lot, s: StockStrings, locale: 'id' | 'en') {
  if (lot.state === 'expired') {
    return s.lotExpired(lot.remaining, days(lot.age_days, locale), date(lot.expires_at, locale))
  }
  if (lot.state === 'grace') {
    return s.lotGrace(lot.remaining, days(lot.age_days, locale), date(lot.expires_at, locale))
  }
  return s.lotExpiring(
    lot.remaining,
    days(lot.days_until_expiry, locale),
    date(lot.expires_at, locale),
  )
}

// ---------------------------------------------------------------------------------------
// The shelf

async function shelfPage(ctx: PartyContext) {
  const { v } = ctx
  const { t, locale } = v
  const s = words(ctx)
  const venueId = v.acting?.id as string
  const [{ lines }, aging] = await Promise.all([
    shelfOf(ctx),
    ctx.admin.stock.aging({ venue_id: venueId }),
  ])
  const lots = [...aging.expired, ...aging.expiring].filter((lot) => lot.venue_id === venueId)
  const lotsOf = groupBy(lots, (lot) => lot.variant_id)
  const tooOld = aging.expired
    .filter((lot) => lot.venue_id === venueId)
    .reduce((sum, lot) => sum + lot.remaining, 0)
  return page(
    v,
    s.shelfTitle,
    <>
      <p>{s.shelfLead}</p>
      {tooOld > 0 ? (
        <p class="problem" role="alert">
          {s.tooOld(tooOld)}
        </p>
      ) : null}
      <p>
        <a class="button" href={at(v, '/stock/count')}>
          {s.countAction}
        </a>{' '}
        <a class="button quiet" href={at(v, '/stock/returns')}>
          {s.returnAction}
        </a>
      </p>
      {lines.length === 0 ? <p>{s.emptyShelf}</p> : null}
      {[...groupBy(lines, (line) => line.producer_id)].map(([producerId, rows], index) => (
        <section aria-labelledby={`maker-${index}`}>
          <h2 id={`maker-${index}`}>{rows[0]?.maker}</h2>
          <div class="table" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.product}</th>
                  <th scope="col" class="n">
                    {t.onShelf}
                  </th>
                  <th scope="col">{s.age}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const aged = lotsOf.get(row.variant_id) ?? []
                  return (
                    <tr>
                      <td>
                        {row.product}
                        {row.reserved > 0 ? (
                          <span class="hint">
                            {' '}
                            · {s.held} {row.reserved}
                          </span>
                        ) : null}
                      </td>
                      <td class="n">{row.on_hand}</td>
                      <td>
                        {aged.length === 0
                          ? s.fresh
                          : aged.map((lot) => (
                              <p>
                                <span class={lot.state === 'expired' ? 'status warn' : 'status'}>
                                  {lotWords(lot, s, locale)}
                                </span>
                              </p>
                            ))}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <p>
            <a href={at(v, `/stock/returns?producer=${producerId}`)}>
              {s.returnAction}: {rows[0]?.maker}
            </a>
          </p>
        </section>
      ))}
    </>,
    { notice: notice(ctx) },
  )
}

// ---------------------------------------------------------------------------------------
// Stok opname

const countField = (variantId: string) => `counted-${variantId}`

async function countForm(ctx: PartyContext, errors: FieldErrors = {}, problem?: string) {
  const { v, c } = ctx
  const s = words(ctx)
  const { lines } = await shelfOf(ctx)
  const posted = c.req.method === 'POST' ? await ctx.form() : {}
  return page(
    v,
    s.countTitle,
    <>
      <p>{s.countLead}</p>
      {v.acting?.role !== 'owner' ? (
        <p class="problem">{s.ownerOnly}</p>
      ) : lines.length === 0 ? (
        <p>{s.nothingOnShelf}</p>
      ) : (
        <form method="post" action={at(v, '/stock/count')} class="stack" novalidate>
          <Csrf v={v} />
          {problem ? (
            <p class="problem" role="alert">
              {problem}
            </p>
          ) : null}
          {[...groupBy(lines, (line) => line.producer_id)].map(([, rows]) => (
            <fieldset>
              <legend>{rows[0]?.maker}</legend>
              {rows.map((row) => {
                const id = countField(row.variant_id)
                return (
                  <div>
                    <label for={id}>
                      {row.product}{' '}
                      <span class="hint">
                        {s.expected}: {row.on_hand}
                      </span>
                    </label>
                    <input
                      id={id}
                      name={id}
                      type="number"
                      inputmode="numeric"
                      min="0"
                      value={posted[id] ?? ''}
                      {...invalid(id, errors[id])}
                    />
                    <FieldError id={id} error={errors[id]} />
                  </div>
                )
              })}
            </fieldset>
          ))}
          <div>
            <label for="reason">{s.countReason}</label>
            <input
              id="reason"
              name="reason"
              value={posted.reason ?? s.countReasonDefault}
              {...invalid('reason', errors.reason)}
            />
            <FieldError id="reason" error={errors.reason} />
          </div>
          <button type="submit">{s.countSubmit}</button>
        </form>
      )}
    </>,
  )
}

async function recordCount(ctx: PartyContext) {
  const form = await ctx.form()
  const { t } = ctx.v
  const s = words(ctx)
  const lines = Object.entries(form)
    .filter(([name, value]) => name.startsWith('counted-') && value.trim() !== '')
    .map(([name, value]) => ({ variant_id: name.slice('counted-'.length), counted: +value.trim() }))
  const reason = (form.reason ?? '').trim()
  if (lines.length === 0) return ctx.c.html(await countForm(ctx, {}, s.nothingCounted), 422)
  if (reason === '') {
    return ctx.c.html(await countForm(ctx, { reason: t.required }, t.fixFields), 422)
  }
  try {
    const count = await ctx.admin.counts.create({
      venue_id: ctx.v.acting?.id as string,
      reason,
      lines,
    })
    return ctx.back(`/stock/count/${count.id}`, 'counted')
  } catch (error) {
    // Only an owner may count (a count changes what the books say is there).
    if (isMitraApiError(error) && error.status === 403) {
      return ctx.c.html(await countForm(ctx, {}, s.ownerOnly), 403)
    }
    const { errors, problem } = refusal(
      ctx,
      error,
      lines.map((line) => countField(line.variant_id)),
    )
    return ctx.c.html(await countForm(ctx, errors, problem), 422)
  }
}

/**
 * A count's differences in words, read back from the stock ledger: each difference became
 * a `count_adjustment` movement of the count (a count without differences moved nothing).
 */
async function countResult(ctx: PartyContext, params: Record<string, string>) {
  const { v } = ctx
  const { locale } = v
  const s = words(ctx)
  const id = params.id as string
  if (!/^cnt_[0-9a-z]+$/i.test(id)) throw notFound()
  const adjustments = (
    await ctx.admin.stock
      .movements({ venue_id: v.acting?.id as string, kind: 'count_adjustment', limit: 100 })
      .toArray({ max: 5_000 })
  ).filter((movement) => movement.document_id === id)
  const byVariant = new Map<string, number>()
  for (const movement of adjustments) {
    byVariant.set(
      movement.variant_id,
      (byVariant.get(movement.variant_id) ?? 0) + movement.on_hand_delta,
    )
  }
  const names = await namesOf(ctx, [])
  const differences = [...byVariant]
    .filter(([, difference]) => difference !== 0)
    .map(([variantId, difference]) => {
      const product = names.product(variantId)
      return difference < 0 ? s.short(product, -difference) : s.over(product, difference)
    })
    .sort((a, b) => a.localeCompare(b))
  const first = adjustments[0]
  return page(
    v,
    s.countResultTitle,
    <>
      {first ? (
        <p>
          {s.countedOn(dateTime(first.created_at, locale))}
          {first.reason ? ` ${first.reason}` : ''}
        </p>
      ) : null}
      {differences.length === 0 ? (
        <p>{s.noDifference}</p>
      ) : (
        <>
          <p>{s.differencesLead}</p>
          <ul>
            {differences.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a class="button quiet" href={at(v, '/stock')}>
          {s.backToShelf}
        </a>
      </p>
    </>,
    { notice: notice(ctx) },
  )
}

// ---------------------------------------------------------------------------------------
// Returns to the maker

/** A return's lines in words: asked for, and once confirmed what came back. */
function returnLines(ret: StockReturn, product: (variantId: string) => string, s: StockStrings) {
  return (
    <ul>
      {ret.lines.map((line) => (
        <li>
          {line.quantity_confirmed === null
            ? s.asked(product(line.variant_id), line.quantity_requested)
            : s.askedAndBack(
                product(line.variant_id),
                line.quantity_requested,
                line.quantity_confirmed,
              )}
        </li>
      ))}
    </ul>
  )
}

/** Units asked back and not yet confirmed, by variant: they cannot be asked back twice. */
async function pendingReturns(ctx: PartyContext) {
  const open = await ctx.admin.returns.list({ status: 'requested', limit: 100 }).toArray()
  const pending = new Map<string, number>()
  for (const ret of open) {
    for (const line of ret.lines) {
      pending.set(line.variant_id, (pending.get(line.variant_id) ?? 0) + line.quantity_requested)
    }
  }
  return pending
}

async function returnsPage(ctx: PartyContext, errors: FieldErrors = {}, problem?: string) {
  const { v, c } = ctx
  const { t, locale } = v
  const s = words(ctx)
  const [list, pending] = await Promise.all([
    ctx.admin.returns.list({ limit: 50 }),
    pendingReturns(ctx),
  ])
  const { lines, names } = await shelfOf(
    ctx,
    list.data.map((ret) => ret.producer_id),
  )
  const posted = c.req.method === 'POST' ? await ctx.form() : {}
  const makers = [...groupBy(lines, (line) => line.producer_id)].map(([id, rows]) => ({
    id,
    name: rows[0]?.maker ?? '',
  }))
  const chosen =
    posted.producer_id ??
    c.req.query('producer') ??
    (makers.length === 1 ? makers[0]?.id : undefined)
  const maker = makers.find((m) => m.id === chosen)
  const goods = lines.filter((line) => line.producer_id === maker?.id)
  return page(
    v,
    s.returnsTitle,
    <>
      <section aria-labelledby="new-return">
        <h2 id="new-return">{s.newReturn}</h2>
        {makers.length === 0 ? <p>{s.emptyShelf}</p> : null}
        {makers.length > 1 ? (
          <form method="get" action={at(v, '/stock/returns')} class="row">
            <label for="producer">{s.maker}</label>
            <select id="producer" name="producer">
              {makers.map((m) => (
                <option value={m.id} selected={m.id === maker?.id}>
                  {m.name}
                </option>
              ))}
            </select>
            <button type="submit" class="quiet">
              {s.choose}
            </button>
          </form>
        ) : null}
        {maker ? (
          <form method="post" action={at(v, '/stock/returns')} class="stack" novalidate>
            <Csrf v={v} />
            <input type="hidden" name="producer_id" value={maker.id} />
            <p>{s.returnLead(maker.name)}</p>
            {problem ? (
              <p class="problem" role="alert">
                {problem}
              </p>
            ) : null}
            {goods.map((good) => {
              const id = quantityField(good.variant_id)
              const asked = pending.get(good.variant_id) ?? 0
              return (
                <div>
                  <label for={id}>
                    {good.product}{' '}
                    <span class="hint">
                      {t.onShelf}: {good.on_hand}
                      {asked > 0 ? ` · ${s.pending}: ${asked}` : ''}
                    </span>
                  </label>
                  <input
                    id={id}
                    name={id}
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max={String(Math.max(0, good.available - asked))}
                    value={posted[id] ?? ''}
                    {...invalid(id, errors[id])}
                  />
                  <FieldError id={id} error={errors[id]} />
                </div>
              )
            })}
            <div>
              <label for="reason">{s.returnReason}</label>
              <textarea id="reason" name="reason" rows={2} {...invalid('reason', errors.reason)}>
                {posted.reason ?? ''}
              </textarea>
              <FieldError id="reason" error={errors.reason} />
            </div>
            <button type="submit">{s.returnSubmit}</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="made">
        <h2 id="made">{s.returnsTitle}</h2>
        {list.data.length === 0 ? <p>{s.noReturns}</p> : null}
        {list.data.map((ret) => (
          <div class="card">
            <h3>{names.party(ret.producer_id)}</h3>
            <p>
              <span class={`status ${ret.status === 'confirmed' ? 'ok' : 'warn'}`}>
                {s.returnStatus[ret.status] ?? ret.status}
              </span>{' '}
              {s.returnSource[ret.source] ?? ''} · {s.requestedOn(date(ret.requested_at, locale))}
            </p>
            {ret.reason ? <p class="muted">{ret.reason}</p> : null}
            {returnLines(ret, names.product, s)}
          </div>
        ))}
      </section>
    </>,
    { notice: notice(ctx) },
  )
}

async function requestReturn(ctx: PartyContext) {
  const form = await ctx.form()
  const { t } = ctx.v
  const s = words(ctx)
  const [{ lines: shelf }, pending] = await Promise.all([shelfOf(ctx), pendingReturns(ctx)])
  const producerId = form.producer_id ?? ''
  const goods = shelf.filter((line) => line.producer_id === producerId)
  const errors: FieldErrors = {}
  const lines: { variant_id: string; quantity: number }[] = []
  for (const good of goods) {
    const field = quantityField(good.variant_id)
    const raw = (form[field] ?? '').trim()
    if (raw === '' || raw === '0') continue
    const quantity = +raw
    // The API takes a request for more than is there (the maker may be asked); the shelf
    // cannot give it, so the console does not ask.
    const returnable = Math.max(0, good.available - (pending.get(good.variant_id) ?? 0))
    if (Number.isInteger(quantity) && quantity > returnable) {
      errors[field] = s.moreThanShelf(returnable)
    }
    lines.push({ variant_id: good.variant_id, quantity })
  }
  if (Object.keys(errors).length > 0) {
    return ctx.c.html(await returnsPage(ctx, errors, t.fixFields), 422)
  }
  if (lines.length === 0) return ctx.c.html(await returnsPage(ctx, {}, s.nothingToReturn), 422)
  const reason = (form.reason ?? '').trim()
  try {
    await ctx.admin.returns.create({
      venue_id: ctx.v.acting?.id as string,
      producer_id: producerId,
      lines,
      ...(reason ? { reason } : {}),
    })
    return ctx.back('/stock/returns', 'returnRequested')
  } catch (error) {
    const { errors, problem } = refusal(
      ctx,
      error,
      lines.map((line) => quantityField(line.variant_id)),
    )
    return ctx.c.html(await returnsPage(ctx, errors, problem), 422)
  }
}

/** The maker's side: what venues sent back, to confirm with the quantities that arrived. */
async function makerReturns(
  ctx: PartyContext,
  failed: { id: string; errors: FieldErrors; problem: string } | undefined = undefined,
) {
  const { v, c } = ctx
  const { locale } = v
  const s = words(ctx)
  const list = await ctx.admin.returns.list({ limit: 50 })
  const names = await namesOf(
    ctx,
    list.data.map((ret) => ret.venue_id),
  )
  const posted = c.req.method === 'POST' ? await ctx.form() : {}
  return page(
    v,
    s.returnsToMe,
    <>
      {failed && !list.data.some((ret) => ret.id === failed.id && ret.status === 'requested') ? (
        <p class="problem" role="alert">
          {failed.problem}
        </p>
      ) : null}
      {list.data.length === 0 ? <p>{s.noReturns}</p> : null}
      {list.data.map((ret) => {
        const own = failed?.id === ret.id && ret.status === 'requested' ? failed : undefined
        const errors = own?.errors ?? {}
        return (
          <div class="card">
            <h2>{s.from(names.party(ret.venue_id))}</h2>
            <p>
              <span class={`status ${ret.status === 'confirmed' ? 'ok' : 'warn'}`}>
                {s.returnStatusMaker[ret.status] ?? ret.status}
              </span>{' '}
              {s.returnSource[ret.source] ?? ''} · {s.requestedOn(date(ret.requested_at, locale))}
            </p>
            {ret.reason ? <p class="muted">{ret.reason}</p> : null}
            {ret.status === 'requested' ? (
              <form
                method="post"
                action={at(v, `/returns/${ret.id}/confirm`)}
                class="stack"
                novalidate
              >
                <Csrf v={v} />
                {own ? (
                  <p class="problem" role="alert">
                    {own.problem}
                  </p>
                ) : null}
                {ret.lines.map((line) => {
                  const name = quantityField(line.variant_id)
                  const id = `${ret.id}-${name}`
                  const product = names.product(line.variant_id)
                  return (
                    <div>
                      <label for={id}>
                        {product}{' '}
                        <span class="hint">
                          {s.askedFor}: {line.quantity_requested}
                        </span>
                      </label>
                      <input
                        id={id}
                        name={name}
                        type="number"
                        inputmode="numeric"
                        min="0"
                        max={String(line.quantity_requested)}
                        value={(own ? posted[name] : undefined) ?? String(line.quantity_requested)}
                        {...invalid(id, errors[name])}
                      />
                      <FieldError id={id} error={errors[name]} />
                    </div>
                  )
                })}
                <button type="submit">{s.confirmReturn}</button>
              </form>
            ) : (
              returnLines(ret, names.product, s)
            )}
          </div>
        )
      })}
    </>,
    { notice: notice(ctx) },
  )
}

async function confirmReturn(ctx: PartyContext, params: Record<string, string>) {
  const form = await ctx.form()
  const { t } = ctx.v
  const s = words(ctx)
  const ret = await ctx.admin.returns.get(params.id as string)
  const fail = async (errors: FieldErrors, problem: string, status: 409 | 422) =>
    ctx.c.html(await makerReturns(ctx, { id: ret.id, errors, problem }), status)
  if (ret.status !== 'requested') return fail({}, s.returnClosed, 409)
  const errors: FieldErrors = {}
  const lines = ret.lines.map((line) => {
    const name = quantityField(line.variant_id)
    const raw = form[name]?.trim()
    if (raw === '') errors[name] = t.required
    return {
      variant_id: line.variant_id,
      quantity: raw === undefined ? line.quantity_requested : +raw,
    }
  })
  if (Object.keys(errors).length > 0) return fail(errors, t.fixFields, 422)
  try {
    await ctx.admin.returns.confirm(ret.id, { lines })
    return ctx.back('/returns', 'returnConfirmed')
  } catch (error) {
    const refused = refusal(
      ctx,
      error,
      lines.map((line) => quantityField(line.variant_id)),
    )
    return fail(refused.errors, refused.problem, 422)
  }
}

// ---------------------------------------------------------------------------------------
// Statement line disputes

/** This month in Jakarta, `2026-12`: the default statement period. */
const thisMonth = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7)

const periodOf = (value: string | undefined) =>
  value !== undefined && /^\d{4}-\d{2}(-\d{2})?$/.test(value) ? value : thisMonth()

/** The dispute form for one line: where a refused dispute is said, on its field. */
async function disputePage(
  ctx: PartyContext,
  params: Record<string, string>,
  errors: FieldErrors = {},
  problem?: string,
) {
  const { v, c, admin } = ctx
  const { t, locale } = v
  const s = words(ctx)
  const id = params.id as string
  const posted = c.req.method === 'POST' ? await ctx.form() : {}
  const period = periodOf(posted.period ?? c.req.query('period'))
  const lineRef = (posted.line_ref ?? c.req.query('line') ?? '').trim()
  const [found, products] = await Promise.all([
    admin.statements.get(id, { period, locale }),
    ctx.store.products.list({ limit: 100 }).toArray(),
  ])
  const figures = statementFigures(found, locale, { variants: variantNames(products) })
  const line = [...figures.lines, ...figures.others].find(
    (l) => l.ref === lineRef || l.entry.transaction_id === lineRef,
  )
  const when = line ? dateTime(line.occurred_at, locale) : ''
  const described = line
    ? `${line.product ? s.lineSale(line.product.title, when) : s.lineOther(when)} · ${money(
        { amount: line.total, currency: figures.currency },
        locale,
      )}`
    : undefined
  return page(
    v,
    s.disputeTitle,
    <form
      method="post"
      action={at(v, `/statements/${id}/disputes?period=${period}`)}
      class="stack"
      novalidate
    >
      <Csrf v={v} />
      {problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
      <input type="hidden" name="period" value={period} />
      <input type="hidden" name="line_ref" value={lineRef} />
      {described ? (
        <p>
          {s.disputeLine}: <strong>{described}</strong>
        </p>
      ) : null}
      <div>
        <label for="comment">{t.disputeComment}</label>
        <textarea id="comment" name="comment" rows={3} {...invalid('comment', errors.comment)}>
          {posted.comment ?? ''}
        </textarea>
        <FieldError id="comment" error={errors.comment} />
      </div>
      <p class="row">
        <button type="submit">{s.disputeSubmit}</button>
        <a class="button quiet" href={at(v, `/statements/${id}?period=${period}`)}>
          {t.back}
        </a>
      </p>
    </form>,
  )
}

async function disputeLine(ctx: PartyContext, params: Record<string, string>) {
  const form = await ctx.form()
  const { t } = ctx.v
  const s = words(ctx)
  const id = params.id as string
  const period = periodOf(form.period ?? ctx.c.req.query('period'))
  const lineRef = (form.line_ref ?? '').trim()
  const comment = (form.comment ?? '').trim()
  if (lineRef === '') {
    return ctx.c.html(await disputePage(ctx, params, {}, s.codes.unknown_line), 422)
  }
  if (comment === '') {
    return ctx.c.html(await disputePage(ctx, params, { comment: t.required }, t.fixFields), 422)
  }
  try {
    await ctx.admin.statements.dispute(id, { period, line_ref: lineRef, comment })
    return ctx.back(`/statements/${id}?period=${period}`, 'saved')
  } catch (error) {
    const { errors, problem } = refusal(ctx, error, [])
    return ctx.c.html(await disputePage(ctx, params, errors, problem), 422)
  }
}

/** A venue's stock work: returns to the maker and stock counts (stok opname). */
export const stockScreens: Screen[] = [
  show('/stock', venue, shelfPage),
  show('/stock/count', venue, (ctx) => countForm(ctx)),
  act('/stock/count', venue, recordCount),
  show('/stock/count/:id', venue, countResult),
  show('/stock/returns', venue, (ctx) => returnsPage(ctx)),
  act('/stock/returns', venue, requestReturn),
  show('/returns', producer, (ctx) => makerReturns(ctx)),
  act('/returns/:id/confirm', producer, confirmReturn),
  show('/statements/:id/disputes', traders, disputePage),
  act('/statements/:id/disputes', traders, disputeLine),
]
