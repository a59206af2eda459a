/*
 * For tenancy.test.ts: the operations of the OpenAPI document, a sampler that fills a request
 * schema with one tenant's ids, and a tenant's world made through the API.
 */
import { platformRemittanceTerms, sampleTerms } from '@mitra/consignment/testing'
import type { TestParty, useTestApi } from '@mitra/server/testing'
import sharp from 'sharp'

type Api = ReturnType<typeof useTestApi>
// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI documents are read loosely
type Json = any

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string
  /** As the document spells it, e.g. `/v1/admin/products/{id}`. */
  path: string
  /** `METHOD /path`: how the suite names an operation. */
  name: string
  store: boolean
  parameters: { name: string; in: string; required?: boolean; schema: Json }[]
  /** The JSON body's schema, refs unresolved; undefined when the body is not JSON or absent. */
  jsonBody: Json | undefined
}

export function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const content = op.requestBody?.content ?? {}
      operations.push({
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        store: path.startsWith('/v1/store/'),
        parameters: op.parameters ?? [],
        jsonBody: content['application/json']?.schema,
      })
    }
  }
  return operations
}

/** The id prefix a string schema's pattern demands (`^var_…` → `var`), if any. */
export function idPrefixOf(schema: Json): string | undefined {
  return /^\^([a-z]+)_\[0-9a-hjkmnp-tv-z\]\{26\}\$$/.exec(schema?.pattern ?? '')?.[1]
}

/** Follows `$ref`s into `components`. */
function resolve(document: Json, schema: Json): Json {
  let current = schema
  while (current?.$ref !== undefined) {
    const name = (current.$ref as string).replace('#/components/schemas/', '')
    current = document.components.schemas[name]
  }
  return current
}

/**
 * A minimal value a JSON Schema accepts: its required properties, the first enum member, the
 * smallest number; and for every id field, required or not, the id `idFor` gives (by field
 * name and prefix).
 * Enough to pass request validation, so that what answers is the route's own check.
 */
export function sample(
  document: Json,
  schema: Json,
  idFor: (field: string, prefix: string | undefined) => string | undefined,
  field = '',
): Json {
  const s = resolve(document, schema)
  if (s === undefined || s === null) return null
  // An id field takes one of A's ids over any default (`cooperative_id: null`).
  const prefix = idPrefixOf(s)
  const id = prefix === undefined ? undefined : idFor(field, prefix)
  if (id !== undefined) return id
  // An empty default list of ids is sampled instead: the ids are what is being tried.
  const idList =
    s.type === 'array' &&
    (idFieldsOf(document, s.items).length > 0 ||
      idPrefixOf(resolve(document, s.items)) !== undefined)
  if (s.default !== undefined && !idList) return s.default
  if (s.enum !== undefined) return s.enum[0]
  if (s.const !== undefined) return s.const
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) {
      const options = (s[key] as Json[]).filter((o) => resolve(document, o)?.type !== 'null')
      return sample(document, options[0] ?? s[key][0], idFor, field)
    }
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((part: Json) => sample(document, part, idFor, field)))
  }
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type
  switch (type) {
    case 'object': {
      // Required fields, and every id field there is one of A's ids for.
      const out: Record<string, Json> = {}
      for (const [name, property] of Object.entries<Json>(s.properties ?? {})) {
        const required = (s.required ?? []).includes(name)
        if (!required && !idFieldsOf(document, { properties: { [name]: property } }).length)
          continue
        const value = sample(document, property, idFor, name)
        if (required || containsId(value)) out[name] = value
      }
      return out
    }
    case 'array': {
      const count = Math.max(1, s.minItems ?? 1)
      return Array.from({ length: count }, () => sample(document, s.items, idFor, field))
    }
    case 'integer':
    case 'number': {
      const minimum = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : s.minimum
      return Math.min(Math.max(1, minimum ?? 1), s.maximum ?? Number.MAX_SAFE_INTEGER)
    }
    case 'boolean':
      return false
    case 'string': {
      const id = idFor(field, idPrefixOf(s))
      if (id !== undefined) return id
      if (s.format === 'date-time') return new Date().toISOString()
      if (s.format === 'date') return new Date().toISOString().slice(0, 10)
      if (s.format === 'email') return 'uji@example.com'
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/'
      if (/\[0-9a-f\]\{64\}/.test(s.pattern ?? '')) return '0'.repeat(64)
      const fits = (text: string) =>
        text.length >= (s.minLength ?? 0) &&
        text.length <= (s.maxLength ?? text.length) &&
        (s.pattern === undefined || patternOf(s.pattern).test(text))
      const text = [
        'Uji tenancy',
        'uji-tenancy',
        'UJI',
        '12345678',
        '+62 812 3456 7890',
        '#336699',
      ].find(fits)
      return text ?? 'Uji tenancy'.slice(0, s.maxLength).padEnd(s.minLength ?? 0, 'x')
    }
    default:
      return null
  }
}

/** A pattern as the document writes it, some with a JavaScript flag (`…$/u`). */
function patternOf(pattern: string): RegExp {
  const flagged = /^(.*)\/([a-z]+)$/.exec(pattern)
  return flagged ? new RegExp(flagged[1] as string, flagged[2]) : new RegExp(pattern)
}

/** Whether a sampled value carries an id. */
export function containsId(value: Json): boolean {
  if (typeof value === 'string') return /^[a-z]+_[0-9a-z]{26}$/.test(value)
  if (Array.isArray(value)) return value.some(containsId)
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsId)
  return false
}

/** Every id field of a JSON Schema (top level or within arrays and objects), by name. */
export function idFieldsOf(document: Json, schema: Json, seen = new Set<Json>()): string[] {
  const s = resolve(document, schema)
  if (s === undefined || s === null || seen.has(s)) return []
  seen.add(s)
  const fields: string[] = []
  for (const [name, property] of Object.entries<Json>(s.properties ?? {})) {
    const p = resolve(document, property)
    // A field named `…_id` with some other pattern names something else (`acct_…` at Stripe).
    const named =
      /_ids?$/.test(name) &&
      !/^(provider|stripe|external)_/.test(name) &&
      (p?.pattern === undefined || p.type === 'array')
    if (idPrefixOf(p) !== undefined || named) fields.push(name)
    fields.push(...idFieldsOf(document, p, seen))
  }
  if (s.items !== undefined) fields.push(...idFieldsOf(document, s.items, seen))
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const option of s[key] ?? []) fields.push(...idFieldsOf(document, option, seen))
  }
  return fields
}

/** Deep merge of plain objects (arrays and values of `over` replace). */
export function merge(base: Json, over: Json): Json {
  if (over === undefined) return base
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over
  const out = { ...base }
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value)
  return out
}

/** A small PNG, as a phone photo would be uploaded. */
export async function photo(): Promise<Blob> {
  const bytes = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 180, g: 90, b: 40 } },
  })
    .png()
    .toBuffer()
  return new Blob([new Uint8Array(bytes)], { type: 'image/png' })
}

/** The kinds of a tenant's resources this suite names by id. */
export type IdKind =
  | 'product'
  | 'draftProduct'
  | 'variant'
  | 'draftVariant'
  | 'media'
  | 'agreement'
  | 'delivery'
  | 'sale'
  | 'saleLine'
  | 'reservation'
  | 'stockReturn'
  | 'transfer'
  | 'order'
  | 'refundedOrder'
  | 'refund'
  | 'cart'
  | 'dispute'
  | 'settlement'
  | 'remittance'
  | 'payout'
  | 'contract'
  | 'contractDelivery'
  | 'intiPlasma'
  | 'apiKey'

export interface Tenant {
  producer: TestParty
  venue: TestParty
  /** A second venue of the producer's, for transfers. */
  venue2: TestParty
  cluster: TestParty
  core: TestParty
  buyer: TestParty
  platform: { id: string; secret: string }
  /** What the checkout gave the buyer of `ids.order` to read it through the store. */
  orderToken: string | undefined
  /** Every id of the tenant's resources, by kind. */
  ids: Record<IdKind, string>
}

/**
 * A tenant's world, made through the API: a producer group in a cluster, two venues with
 * agreements in force, goods delivered, sold at the counter and online, a refund, a return,
 * a transfer, a reservation, a statement dispute, a settlement with its remittance and
 * payout, a subcontract, an inti-plasma partnership, a photo and an extra API key.
 */
export async function buildTenant(api: Api, label: string): Promise<Tenant> {
  const ok = async (
    label: string,
    answer: Promise<{ status: number; json: Json; text: string }>,
  ): Promise<Json> => {
    const result = await answer
    if (result.status >= 300)
      throw new Error(`setup: ${label} answered ${result.status} ${result.text}`)
    return result.json
  }
  const as = (party: { secret: string }, method: string, path: string, body?: unknown) =>
    ok(`${method} ${path}`, api.call(method, path, { token: party.secret, body }))

  await api.platform()
  const platform = await api.platformOwner()
  const { producer, venue, agreementId, variantId } = await api.partnership(
    { title: 'Batik tulis Gemawang', category: 'batik', sku: `TEN-${label}-1`, price: 100_000 },
    platformRemittanceTerms,
  )
  const [cluster, core, buyer, venue2] = await Promise.all([
    api.party('cluster'),
    api.party('core_partner'),
    api.party('buyer'),
    api.party('venue'),
  ])
  const productId = (await as(producer, 'GET', '/v1/admin/products')).data[0].id as string
  await as(cluster, 'POST', '/v1/admin/cluster/members', { producer_id: producer.id })
  await as(producer, 'POST', `/v1/admin/clusters/${cluster.id}/join`)

  // A second venue in force with the producer (transfers go between a producer's venues).
  const drafted = await as(venue2, 'POST', '/v1/admin/agreements', {
    counterparty_id: producer.id,
    terms: sampleTerms,
  })
  const sent = await as(venue2, 'POST', `/v1/admin/agreements/${drafted.id}/send`)
  for (const side of [producer, venue2]) {
    await as(side, 'POST', `/v1/admin/agreements/${drafted.id}/accept`, {
      version: 1,
      terms_hash: sent.versions[0].terms_hash,
    })
  }

  // A draft product (not in the store) with a second variant, and a photo of it.
  const draft = await as(producer, 'POST', '/v1/admin/products', {
    title: { id: 'Mainan kayu (draf)' },
    category: 'wooden_toys',
    variants: [
      {
        sku: `TEN-${label}-D1`,
        options: { size: 'S' },
        weight_grams: 200,
        price: { amount: 50_000, currency: 'IDR' },
      },
      {
        sku: `TEN-${label}-D2`,
        options: { size: 'M' },
        weight_grams: 200,
        price: { amount: 60_000, currency: 'IDR' },
      },
    ],
  })
  const form = new FormData()
  form.set('file', await photo(), 'batik.png')
  const media = await as(producer, 'POST', '/v1/admin/media', form)

  await api.deliver(producer, venue, variantId, 20)
  const pending = await as(producer, 'POST', '/v1/admin/deliveries', {
    venue_id: venue.id,
    note_number: `SJ-TEN-${label}-2`,
    lines: [{ variant_id: variantId, quantity: 1 }],
  })
  const sale = await as(venue, 'POST', '/v1/admin/sales', {
    venue_id: venue.id,
    receipt_number: `TEN-${label}-1`,
    channel: 'cash',
    lines: [{ variant_id: variantId, quantity: 1 }],
  })
  const reservation = await as(venue, 'POST', '/v1/admin/reservations', {
    venue_id: venue.id,
    reference: `TEN-${label}-hold`,
    ttl_seconds: 86_400,
    lines: [{ variant_id: variantId, quantity: 1 }],
  })
  const stockReturn = await as(venue, 'POST', '/v1/admin/returns', {
    venue_id: venue.id,
    producer_id: producer.id,
    reason: 'Warna pudar',
    lines: [{ variant_id: variantId, quantity: 1 }],
  })
  const transfer = await as(venue, 'POST', '/v1/admin/transfers', {
    from_venue_id: venue.id,
    to_venue_id: venue2.id,
    reason: 'Pindah rak',
    lines: [{ variant_id: variantId, quantity: 1 }],
  })

  // Online: two paid orders (one refunded) and a cart still open.
  const pk = venue.publishable
  const order = async (buyerName: string) => {
    const cart = await as({ secret: pk }, 'POST', '/v1/store/carts')
    await as({ secret: pk }, 'POST', `/v1/store/carts/${cart.id}/lines`, {
      variant_id: variantId,
      venue_id: venue.id,
      quantity: 1,
    })
    const placed = await as({ secret: pk }, 'POST', `/v1/store/carts/${cart.id}/checkout`, {
      fulfilment: 'pickup',
      customer: { name: buyerName },
      provider: 'demo',
    })
    const paid = await api.call('POST', `${new URL(placed.redirect_url).pathname}/pay`)
    if (paid.status !== 303) throw new Error(`setup: demo pay answered ${paid.status} ${paid.text}`)
    return { id: placed.id as string, token: placed.access_token as string | undefined }
  }
  const placed = await order('Pembeli A')
  const orderId = placed.id
  const refundedOrderId = (await order('Pembeli B')).id
  const refund = await as(venue, 'POST', `/v1/admin/orders/${refundedOrderId}/refunds`, {
    reason: 'Warna tidak sesuai',
    goods: 'restock',
  })
  const cart = await as({ secret: pk }, 'POST', '/v1/store/carts')
  await as({ secret: pk }, 'POST', `/v1/store/carts/${cart.id}/lines`, {
    variant_id: variantId,
    venue_id: venue.id,
    quantity: 1,
  })

  const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7)
  const saleLineId = sale.postings[0].sale_line_id as string
  const dispute = await as(
    venue,
    'POST',
    `/v1/admin/agreements/${agreementId}/statement/disputes`,
    {
      period: month,
      line_ref: saleLineId,
      comment: 'Nota dibayar QRIS',
    },
  )

  // The café hands over the cash it holds; the platform confirms it and pays the producer.
  const settlement = await as(platform, 'POST', '/v1/admin/settlements', { minimum: 1 })
  const remittanceId = settlement.remittance_ids[0] as string
  await as(venue, 'POST', `/v1/admin/remittances/${remittanceId}/record`, {
    method: 'transfer',
    reference: `BCA TEN-${label}`,
  })
  await as(platform, 'POST', `/v1/admin/remittances/${remittanceId}/confirm`)
  const paying = await as(platform, 'POST', '/v1/admin/settlements', { minimum: 1 })
  const payoutId = [...settlement.payouts, ...paying.payouts][0]?.payout_id as string | undefined
  if (payoutId === undefined) throw new Error('setup: the settlements paid out nothing')

  const contract = await as(buyer, 'POST', '/v1/admin/subcontracts', {
    producer_id: producer.id,
    items: [{ description: 'Kain batik cap 2 m' }],
    target_quantity: 10,
    unit_price: { amount: 50_000, currency: 'IDR' },
    deadline: '2030-01-31T17:00:00Z',
    penalty: { kind: 'per_unit', amount: 1_000 },
  })
  const contractDelivery = await as(
    producer,
    'POST',
    `/v1/admin/subcontracts/${contract.id}/deliveries`,
    { quantity: 2 },
  )
  const intiPlasma = await as(core, 'POST', '/v1/admin/inti_plasma_partnerships', {
    producer_id: producer.id,
    currency: 'IDR',
    max_deduction_bps: 3000,
    prices: [{ variant_id: variantId, unit_price: { amount: 40_000, currency: 'IDR' } }],
  })
  const apiKey = await as(producer, 'POST', '/v1/admin/api_keys', {
    kind: 'secret',
    role: 'staff',
    name: 'kasir',
  })

  const ids: Record<IdKind, string> = {
    product: productId,
    draftProduct: draft.id,
    variant: variantId,
    draftVariant: draft.variants[1].id,
    media: media.id,
    agreement: agreementId,
    delivery: pending.id,
    sale: sale.id,
    saleLine: saleLineId,
    reservation: reservation.id,
    stockReturn: stockReturn.id,
    transfer: transfer.id,
    order: orderId,
    refundedOrder: refundedOrderId,
    refund: refund.refund.id,
    cart: cart.id,
    dispute: dispute.id,
    settlement: settlement.id,
    remittance: remittanceId,
    payout: payoutId,
    contract: contract.id,
    contractDelivery: contractDelivery.id,
    intiPlasma: intiPlasma.id,
    apiKey: apiKey.api_key.id,
  }
  const missing = Object.entries(ids).filter(([, id]) => typeof id !== 'string' || id === '')
  if (missing.length > 0) throw new Error(`setup: no id for ${missing.map(([k]) => k).join(', ')}`)
  return {
    producer,
    venue,
    venue2,
    cluster,
    core,
    buyer,
    platform,
    orderToken: placed.token,
    ids,
  }
}
