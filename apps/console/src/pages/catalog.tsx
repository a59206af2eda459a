/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { isMitraApiError, type Schemas } from '@mitra/sdk'
import { money, pick } from '../format.js'
import { type FieldErrors, fieldErrors, problemText } from '../forms.js'
import { at, Csrf, FieldError, invalid, page, type View } from '../layout.js'
import type { PartyContext } from '../routes.js'
import {
  type CatalogStrings,
  type Category,
  catalogStrings,
  type ProductStatus,
} from './catalog-strings.js'
import { act, type Screen, show } from './screen.js'
import { noticeOf } from './shared.js'

/*
 * A producer's products and brand kit, from a phone: list, add, change, take a picture with
 * the camera, and the brand's colours and logo. Forms work without JavaScript and post back
 * to themselves (POST-redirect-GET); a refusal is shown on the failing field, and a change is
 * either saved whole or not at all (when it cannot be undone, the page says what was saved).
 */

type Product = Schemas['Product']
type Picture = Schemas['PictureSources']
type BrandKit = Schemas['BrandKit']

const producer = ['producer'] as const

/** What the image pipeline takes (`defaultMaxBytes` in @mitra/branding): 15 MiB. */
const maxImageBytes = 15 * 1024 * 1024

/** The largest price the form takes: a trillion rupiah is a typo, not a batik. */
const maxRupiah = 1_000_000_000_000

const words = (v: View): CatalogStrings => catalogStrings[v.locale]

/** A notice after a redirect: this screen's keys, else the console's shared ones. */
function notice(ctx: PartyContext): string | undefined {
  const key = ctx.c.req.query('done')
  const own = words(ctx.v).notices
  if (key !== undefined && Object.hasOwn(own, key)) return own[key]
  return noticeOf(ctx)
}

// ---------------------------------------------------------------------------------------
// Numbers as people type them

/**
 * A whole number as typed in Indonesia or elsewhere: `350000`, `350.000`, `350,000`,
 * `Rp 350.000`, `Rp350.000,-` or `350.000,00`. Undefined when it is not one (`abc`, `3,5`).
 */
export function wholeNumber(text: string): number | undefined {
  let s = text.replace(/\s+/g, '')
  s = s.replace(/^(?:rp\.?|idr)/i, '')
  s = s.replace(/(?:,-|,00|\.-)$/, '')
  if (/^\d{1,3}(?:\.\d{3})+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s)) s = s.replace(/[.,]/g, '')
  if (!/^\d+$/.test(s)) return undefined
  const value = Number(s)
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY
}

/** A price in rupiah, or the words saying why not. */
function rupiah(text: string, w: CatalogStrings): { amount: number } | { error: string } {
  const value = wholeNumber(text)
  if (value === undefined) return { error: w.priceFormat }
  if (value > maxRupiah) return { error: w.priceTooBig }
  if (value < 1) return { error: w.priceZero }
  return { amount: value }
}

/** An amount as the price field shows it: `350.000` in Indonesian, `350,000` in English. */
const typed = (amount: number, v: View) => amount.toLocaleString(v.locale === 'id' ? 'id-ID' : 'en')

const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

// ---------------------------------------------------------------------------------------
// Refusals onto fields

/**
 * The API's refusal as the form's field errors: each failing path named by `field` (API path
 * → form field, or undefined when the form has no such field); what lands on no field is said
 * at the top of the form. Anything that is not a refusal is thrown on.
 */
function refusal(
  error: unknown,
  v: View,
  field: (path: string, code: string | undefined) => string | undefined,
  message: (path: string, code: string | undefined) => string | undefined = () => undefined,
): { errors: FieldErrors; problem: string } {
  const w = words(v)
  const named = fieldErrors(error, v.t)
  if (named === undefined) return { errors: {}, problem: problemText(error) }
  const codes = new Map(
    ((error as { errors: readonly { path: string; code?: string }[] }).errors ?? []).map((e) => [
      e.path,
      e.code,
    ]),
  )
  const errors: FieldErrors = {}
  const elsewhere: string[] = []
  for (const [path, text] of Object.entries(named)) {
    const code = codes.get(path)
    const name = field(path, code)
    if (name === undefined) elsewhere.push(`${path}: ${text}`)
    else errors[name] ??= message(path, code) ?? text
  }
  return {
    errors,
    problem: elsewhere.length > 0 ? `${w.notSaved} ${elsewhere.join('; ')}` : w.notSaved,
  }
}

/**
 * `refusal`, for a save that has already changed something: a failure that is not a refusal
 * (the API down, a 500) is logged rather than thrown, so the page can still say what was
 * saved. Its problem is then empty.
 */
function refusalOrFailure(
  error: unknown,
  v: View,
  field: (path: string, code: string | undefined) => string | undefined,
  message?: (path: string, code: string | undefined) => string | undefined,
): { errors: FieldErrors; problem: string } {
  try {
    return refusal(error, v, field, message)
  } catch (failure) {
    console.error('console:', failure)
    return { errors: {}, problem: '' }
  }
}

/** What a failed upload means to the person, on the file field. */
function uploadError(error: unknown, w: CatalogStrings): string {
  if (!isMitraApiError(error)) throw error
  switch (error.code as string) {
    case 'image_too_large':
    case 'payload_too_large':
      return w.fileTooLarge('> 15')
    case 'unsupported_media_type':
      return w.notAnImage
    case 'image_too_many_pixels':
      return w.tooManyPixels
    case 'image_unreadable':
      return w.unreadable
    default:
      if (error.status >= 500) throw error
      return w.uploadFailed
  }
}

/** A file posted in a form field, checked before it is sent on: the error, or the file. */
function postedImage(
  value: unknown,
  w: CatalogStrings,
  optional: boolean,
): { file?: File; error?: string } {
  if (!(value instanceof File) || value.size === 0) return optional ? {} : { error: w.chooseFile }
  if (value.size > maxImageBytes) {
    return { error: w.fileTooLarge((value.size / 1024 / 1024).toFixed(1)) }
  }
  if (value.type !== '' && !value.type.startsWith('image/')) return { error: w.notAnImage }
  return { file: value }
}

/** The posted fields of a multipart or urlencoded form, files left out. */
async function postedText(ctx: PartyContext) {
  const body = await ctx.c.req.parseBody()
  const text: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') text[key] = value
  }
  return { body, text }
}

// ---------------------------------------------------------------------------------------
// Pieces of the screens

/** A picture from the image pipeline: AVIF/WebP sources, a JPEG `<img>` with its size. */
function Thumb({ picture, alt, size }: { picture: Picture; alt: string; size: number }) {
  const height = Math.round((size * picture.img.height) / Math.max(picture.img.width, 1))
  const sizes = `${size}px`
  return (
    <picture>
      {picture.sources.map((source) => (
        <source type={source.type} srcset={source.srcset} sizes={sizes} />
      ))}
      <img
        src={picture.img.src}
        srcset={picture.img.srcset}
        sizes={sizes}
        width={size}
        height={height}
        alt={alt}
        loading="lazy"
        decoding="async"
        style={`display:block;width:${size}px;max-width:100%;height:auto;border-radius:.375rem;background:${picture.dominant_color}`}
      />
    </picture>
  )
}

/** The pictures of media assets by id (those that cannot be read are left out). */
async function pictures(ctx: PartyContext, ids: readonly string[]) {
  const found = await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const asset = await ctx.admin.media.get(id).catch(() => null)
      return asset === null ? null : ([id, asset.sources] as const)
    }),
  )
  return new Map(found.filter((entry) => entry !== null))
}

function StatusBadge({ status, w }: { status: ProductStatus; w: CatalogStrings }) {
  return (
    <span class={`status ${status === 'active' ? 'ok' : status === 'draft' ? 'warn' : ''}`}>
      {w.statuses[status]}
    </span>
  )
}

/** The product's price in words: `Rp350.000`, `mulai Rp85.000`, or that it has none. */
function priceText(product: Product, v: View): string {
  const w = words(v)
  const prices = product.variants.flatMap((variant) => (variant.price ? [variant.price] : []))
  const lowest = prices.reduce<(typeof prices)[number] | undefined>(
    (low, price) => (low === undefined || price.amount < low.amount ? price : low),
    undefined,
  )
  if (lowest === undefined) return w.noPrice
  const text = money(lowest, v.locale)
  return prices.some((price) => price.amount !== lowest.amount) ? w.fromPrice(text) : text
}

/** One labelled input with its error. */
function Field(props: {
  name: string
  label: string
  hint?: string | undefined
  value?: string | undefined
  error?: string | undefined
  type?: string
  inputmode?: 'decimal' | 'numeric'
  autocomplete?: string
  required?: boolean
  multiline?: boolean
}) {
  const { name, label, hint, value = '', error } = props
  const described = [error ? `${name}-error` : null, hint ? `${name}-hint` : null]
    .filter(Boolean)
    .join(' ')
  const common = {
    id: name,
    name,
    ...invalid(name, error),
    ...(described ? { 'aria-describedby': described } : {}),
    ...(props.required ? { required: true } : {}),
  }
  return (
    <div>
      <label for={name}>{label}</label>
      {hint ? (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={4}>
          {value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={value}
          autocomplete={props.autocomplete ?? 'off'}
          {...(props.inputmode ? { inputmode: props.inputmode } : {})}
        />
      )}
      <FieldError id={name} error={error} />
    </div>
  )
}

const Problem = ({ text }: { text?: string | undefined }) =>
  text ? (
    <p class="problem" role="alert">
      {text}
    </p>
  ) : null

const canEdit = (v: View) => v.acting?.role !== 'viewer'

// ---------------------------------------------------------------------------------------
// The products

async function productsPage(ctx: PartyContext) {
  const { v, admin } = ctx
  const { locale } = v
  const w = words(v)
  const products = await admin.products.list({ limit: 100 }).toArray()
  const covers = await pictures(
    ctx,
    products.flatMap((product) => (product.media[0] ? [product.media[0].media_id] : [])),
  )
  return page(
    v,
    w.products,
    <>
      <p class="muted">{w.productsLead}</p>
      {canEdit(v) ? (
        <p>
          <a class="button" href={at(v, '/products/new')}>
            {w.newProduct}
          </a>
        </p>
      ) : null}
      <p>
        <a href={at(v, '/brand')}>{w.brandLink}</a>
        <span class="hint">{w.brandLinkLead}</span>
      </p>
      {products.length === 0 ? <p>{w.noProducts}</p> : null}
      <ul class="parties">
        {products.map((product) => {
          const cover = product.media[0] ? covers.get(product.media[0].media_id) : undefined
          return (
            <li>
              <a
                href={at(v, `/products/${product.id}`)}
                style="display:flex;gap:.75rem;align-items:center"
              >
                {cover ? <Thumb picture={cover} alt="" size={64} /> : null}
                <span>
                  <strong>{pick(product.title, locale)}</strong>
                  <br />
                  {priceText(product, v)} <StatusBadge status={product.status} w={w} />
                </span>
              </a>
            </li>
          )
        })}
      </ul>
    </>,
    { notice: notice(ctx) },
  )
}

const categories = Object.keys(catalogStrings.id.categories) as Category[]

function newProductPage(
  ctx: PartyContext,
  options: { errors?: FieldErrors; values?: Record<string, string>; problem?: string } = {},
) {
  const { v } = ctx
  const w = words(v)
  const { errors = {}, values = {} } = options
  const category = categories.includes(values.category as Category) ? values.category : 'other'
  return page(
    v,
    w.newProduct,
    <>
      <p class="muted">{w.newProductLead}</p>
      <form method="post" action={at(v, '/products')} class="stack" novalidate>
        <Csrf v={v} />
        <Problem text={options.problem} />
        <Field
          name="title_id"
          label={w.titleId}
          value={values.title_id}
          error={errors.title_id}
          required
        />
        <Field
          name="title_en"
          label={w.titleEn}
          hint={w.optional}
          value={values.title_en}
          error={errors.title_en}
        />
        <div>
          <label for="category">{w.category}</label>
          <select id="category" name="category" {...invalid('category', errors.category)}>
            {categories.map((c) => (
              <option value={c} selected={c === category}>
                {w.categories[c]}
              </option>
            ))}
          </select>
          <FieldError id="category" error={errors.category} />
        </div>
        <Field
          name="description_id"
          label={w.descriptionId}
          hint={w.optional}
          value={values.description_id}
          error={errors.description_id}
          multiline
        />
        <Field
          name="description_en"
          label={w.descriptionEn}
          hint={w.optional}
          value={values.description_en}
          error={errors.description_en}
          multiline
        />
        <fieldset class="stack">
          <legend>{w.variant}</legend>
          <Field
            name="sku"
            label={w.sku}
            hint={w.skuHint}
            value={values.sku}
            error={errors.sku}
            required
          />
          <Field
            name="price"
            label={w.price}
            hint={w.priceHint}
            value={values.price}
            error={errors.price}
            inputmode="decimal"
            required
          />
          <Field
            name="weight"
            label={w.weight}
            hint={w.weightHint}
            value={values.weight}
            error={errors.weight}
            inputmode="numeric"
            required
          />
        </fieldset>
        <button type="submit">{w.create}</button>
      </form>
      <p>
        <a href={at(v, '/products')}>{v.t.back}</a>
      </p>
    </>,
  )
}

/** API paths of a new product → the form's fields. */
function newProductField(path: string): string | undefined {
  if (path === 'title' || path.startsWith('title.id')) return 'title_id'
  if (path.startsWith('title.en')) return 'title_en'
  if (path.startsWith('description.en')) return 'description_en'
  if (path.startsWith('description')) return 'description_id'
  if (path.startsWith('category')) return 'category'
  if (/^variants\.0\.sku/.test(path)) return 'sku'
  if (/^variants\.0\.price/.test(path)) return 'price'
  if (/^variants\.0\.weight/.test(path)) return 'weight'
  if (path === 'sku') return 'sku'
  return undefined
}

async function createProduct(ctx: PartyContext) {
  const { v, admin } = ctx
  const w = words(v)
  const form = await ctx.form()
  const value = (name: string) => (form[name] ?? '').trim()
  const errors: FieldErrors = {}
  if (value('title_id') === '') errors.title_id = v.t.required
  const category = value('category') as Category
  if (!categories.includes(category)) errors.category = w.chooseCategory
  const sku = value('sku')
  if (sku === '') errors.sku = v.t.required
  else if (!skuPattern.test(sku)) errors.sku = w.skuFormat
  const price = value('price') === '' ? { error: v.t.required } : rupiah(value('price'), w)
  if ('error' in price) errors.price = price.error
  const weight = wholeNumber(value('weight'))
  if (value('weight') === '') errors.weight = v.t.required
  else if (weight === undefined || weight < 1 || weight > 1_000_000) errors.weight = w.weightFormat
  if (Object.keys(errors).length > 0 || 'error' in price || weight === undefined) {
    return ctx.c.html(newProductPage(ctx, { errors, values: form, problem: w.notSaved }), 422)
  }
  let product: Product
  try {
    product = await admin.products.create({
      title: { id: value('title_id'), en: value('title_en') || null },
      description: { id: value('description_id') || null, en: value('description_en') || null },
      category,
      variants: [{ sku, weight_grams: weight, price: { amount: price.amount, currency: 'IDR' } }],
    })
  } catch (error) {
    const found = refusal(error, v, newProductField, (path, code) =>
      (code === 'already_exists' || code === 'conflict') && path.endsWith('sku')
        ? w.skuTaken
        : undefined,
    )
    return ctx.c.html(newProductPage(ctx, { ...found, values: form }), 422)
  }
  // Created as a draft with a priced variant, so the API lets it go on sale.
  try {
    await admin.products.setStatus(product.id, { status: 'active' })
  } catch (error) {
    if (!isMitraApiError(error) || error.status >= 500) console.error('console:', error)
    return ctx.back(`/products/${product.id}`, 'draft')
  }
  return ctx.back(`/products/${product.id}`, 'created')
}

interface ProductPageOptions {
  errors?: FieldErrors
  values?: Record<string, string>
  problem?: string
  photoErrors?: FieldErrors
  photoValues?: Record<string, string>
}

async function productPage(ctx: PartyContext, id: string, options: ProductPageOptions = {}) {
  const { v, admin } = ctx
  const { locale } = v
  const w = words(v)
  const product = await admin.products.get(id)
  const shown = await pictures(
    ctx,
    product.media.map((item) => item.media_id),
  )
  const { errors = {}, photoErrors = {}, photoValues = {} } = options
  const values: Record<string, string> = options.values ?? {
    title_id: product.title.id,
    title_en: product.title.en ?? '',
    description_id: product.description.id ?? '',
    description_en: product.description.en ?? '',
    status: product.status,
    ...Object.fromEntries(
      product.variants.map((variant) => [
        `price_${variant.id}`,
        variant.price ? typed(variant.price.amount, v) : '',
      ]),
    ),
  }
  // Archived products come back through draft; the form offers on sale or archived, and
  // draft only while the product is one.
  const statuses: ProductStatus[] =
    product.status === 'draft' ? ['draft', 'active', 'archived'] : ['active', 'archived']
  const title = pick(product.title, locale)
  const editable = canEdit(v)
  return page(
    v,
    title,
    <>
      <p>
        {product.variants.length === 1 ? priceText(product, v) : null}{' '}
        <StatusBadge status={product.status} w={w} />
      </p>
      <section aria-labelledby="photos">
        <h2 id="photos">{w.photos}</h2>
        {product.media.length === 0 ? <p class="muted">{w.noPhotos}</p> : null}
        <ul class="row" style="list-style:none;padding:0">
          {product.media.map((item) => {
            const picture = shown.get(item.media_id)
            return picture ? (
              <li>
                <Thumb picture={picture} alt={pick(item.alt, locale) || title} size={120} />
              </li>
            ) : null
          })}
        </ul>
        {editable ? (
          <form
            method="post"
            action={at(v, `/products/${product.id}/photo`)}
            enctype="multipart/form-data"
            class="stack"
            novalidate
          >
            <Csrf v={v} />
            <div>
              <label for="photo">{w.photo}</label>
              <span class="hint" id="photo-hint">
                {w.photoHint}
              </span>
              <input
                id="photo"
                name="photo"
                type="file"
                accept="image/*"
                capture="environment"
                {...invalid('photo', photoErrors.photo)}
                aria-describedby={photoErrors.photo ? 'photo-error photo-hint' : 'photo-hint'}
              />
              <FieldError id="photo" error={photoErrors.photo} />
            </div>
            <Field
              name="alt_id"
              label={w.altId}
              hint={w.altHint}
              value={photoValues.alt_id}
              error={photoErrors.alt_id}
            />
            <Field
              name="alt_en"
              label={w.altEn}
              hint={w.optional}
              value={photoValues.alt_en}
              error={photoErrors.alt_en}
            />
            <button type="submit">{w.upload}</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="edit">
        <h2 id="edit">{w.editProduct}</h2>
        {editable ? (
          <form method="post" action={at(v, `/products/${product.id}`)} class="stack" novalidate>
            <Csrf v={v} />
            <Problem text={options.problem} />
            <Field
              name="title_id"
              label={w.titleId}
              value={values.title_id}
              error={errors.title_id}
              required
            />
            <Field
              name="title_en"
              label={w.titleEn}
              hint={w.optional}
              value={values.title_en}
              error={errors.title_en}
            />
            <Field
              name="description_id"
              label={w.descriptionId}
              hint={w.optional}
              value={values.description_id}
              error={errors.description_id}
              multiline
            />
            <Field
              name="description_en"
              label={w.descriptionEn}
              hint={w.optional}
              value={values.description_en}
              error={errors.description_en}
              multiline
            />
            {product.variants.map((variant) => (
              <Field
                name={`price_${variant.id}`}
                label={w.priceOf(variant.sku)}
                hint={w.priceHint}
                value={values[`price_${variant.id}`]}
                error={errors[`price_${variant.id}`]}
                inputmode="decimal"
              />
            ))}
            <div>
              <label for="status">{w.status}</label>
              <select id="status" name="status" {...invalid('status', errors.status)}>
                {statuses.map((status) => (
                  <option value={status} selected={status === values.status}>
                    {w.statuses[status]}
                  </option>
                ))}
              </select>
              <FieldError id="status" error={errors.status} />
            </div>
            <button type="submit">{w.save}</button>
          </form>
        ) : (
          <p class="muted">{w.cannotEdit}</p>
        )}
      </section>
      <p>
        <a href={at(v, '/products')}>{v.t.back}</a>
      </p>
    </>,
    { notice: notice(ctx) },
  )
}

/** One change of a product: how to make it, how to undo it, what it is called. */
interface Step {
  part: string
  run(): Promise<unknown>
  undo(): Promise<unknown>
  field(path: string): string | undefined
}

async function updateProduct(ctx: PartyContext, params: Record<string, string>) {
  const { v, admin } = ctx
  const w = words(v)
  const id = params.id as string
  const product = await admin.products.get(id)
  const form = await ctx.form()
  const value = (name: string) => (form[name] ?? '').trim()
  const errors: FieldErrors = {}
  if (value('title_id') === '') errors.title_id = v.t.required
  const prices = new Map<string, number>()
  for (const variant of product.variants) {
    const name = `price_${variant.id}`
    if (value(name) === '') {
      if (variant.price !== null) errors[name] = v.t.required
      continue
    }
    const price = rupiah(value(name), w)
    if ('error' in price) errors[name] = price.error
    else if (price.amount !== variant.price?.amount) prices.set(variant.id, price.amount)
  }
  const target = value('status') as ProductStatus
  if (!(['active', 'archived', 'draft'] as const).includes(target)) errors.status = v.t.required
  if (Object.keys(errors).length > 0) {
    return ctx.c.html(
      await productPage(ctx, id, { errors, values: form, problem: w.notSaved }),
      422,
    )
  }

  const steps: Step[] = []
  const title = { id: value('title_id'), en: value('title_en') || null }
  const description = { id: value('description_id') || null, en: value('description_en') || null }
  const textsChanged =
    title.id !== product.title.id ||
    title.en !== (product.title.en ?? null) ||
    description.id !== (product.description.id ?? null) ||
    description.en !== (product.description.en ?? null)
  if (textsChanged) {
    steps.push({
      part: w.partTexts,
      run: () => admin.products.update(id, { title, description }),
      undo: () =>
        admin.products.update(id, { title: product.title, description: product.description }),
      field: newProductField,
    })
  }
  for (const variant of product.variants) {
    const amount = prices.get(variant.id)
    if (amount === undefined) continue
    steps.push({
      part: w.partPrices,
      run: () => admin.variants.update(variant.id, { price: { amount, currency: 'IDR' } }),
      undo: () =>
        admin.variants.update(variant.id, {
          price: variant.price
            ? { amount: variant.price.amount, currency: variant.price.currency as 'IDR' }
            : null,
        }),
      field: (path) => (path.startsWith('price') ? `price_${variant.id}` : undefined),
    })
  }
  if (target !== product.status) {
    // The API moves archived → active only through draft.
    const path: ProductStatus[] =
      product.status === 'archived' && target === 'active' ? ['draft', 'active'] : [target]
    steps.push({
      part: w.partStatus,
      run: async () => {
        for (const status of path) await admin.products.setStatus(id, { status })
      },
      undo: async () => {
        const back: ProductStatus[] =
          product.status === 'archived' ? ['draft', 'archived'] : [product.status]
        for (const status of back) {
          await admin.products.setStatus(id, { status }).catch(() => undefined)
        }
        const now = await admin.products.get(id)
        if (now.status !== product.status) throw new Error('status not restored')
      },
      field: (p) => (p === 'status' ? 'status' : undefined),
    })
  }

  const done: Step[] = []
  for (const step of steps) {
    try {
      await step.run()
      done.push(step)
    } catch (error) {
      const found = refusalOrFailure(error, v, step.field)
      // Nothing half-saved: take back what this save already changed.
      const kept: string[] = []
      for (const made of done.reverse()) {
        try {
          await made.undo()
        } catch {
          kept.push(made.part)
        }
      }
      const problem =
        kept.length > 0
          ? w.partlySaved([...new Set(kept)].join(', '))
          : Object.keys(found.errors).length > 0
            ? found.problem
            : `${w.nothingSaved} ${found.problem}`.trim()
      return ctx.c.html(await productPage(ctx, id, { ...found, problem, values: form }), 422)
    }
  }
  return ctx.back(`/products/${id}`, 'updated')
}

async function addPhoto(ctx: PartyContext, params: Record<string, string>) {
  const { v, admin } = ctx
  const w = words(v)
  const id = params.id as string
  const product = await admin.products.get(id)
  const { body, text } = await postedText(ctx)
  const photoValues = { alt_id: (text.alt_id ?? '').trim(), alt_en: (text.alt_en ?? '').trim() }
  const again = async (photoErrors: FieldErrors) =>
    ctx.c.html(await productPage(ctx, id, { photoErrors, photoValues }), 422)
  const posted = postedImage(body.photo, w, false)
  if (posted.file === undefined) return again({ photo: posted.error ?? w.chooseFile })
  for (const name of ['alt_id', 'alt_en'] as const) {
    if (photoValues[name].length > 300) return again({ [name]: w.tooLong(300) })
  }

  let media: Schemas['MediaAsset']
  try {
    media = await admin.media.upload(posted.file, posted.file.name || 'photo')
  } catch (error) {
    return again({ photo: uploadError(error, w) })
  }

  // The product keeps its pictures, in order, with the new one last (or, if these very
  // bytes are already on it, that one with the new text).
  const alt = {
    id: photoValues.alt_id || product.title.id,
    ...((photoValues.alt_en || product.title.en) && {
      en: photoValues.alt_en || (product.title.en as string),
    }),
  }
  const altOf = (given: { id: string | null; en: string | null }) => ({
    ...(given.id !== null && { id: given.id }),
    ...(given.en !== null && { en: given.en }),
  })
  const items = product.media.map((item) =>
    item.media_id === media.id
      ? { media_id: item.media_id, alt }
      : { media_id: item.media_id, alt: altOf(item.alt) },
  )
  if (!items.some((item) => item.media_id === media.id)) items.push({ media_id: media.id, alt })
  if (items.length > 20) return again({ photo: w.tooManyPhotos })
  try {
    await admin.products.setMedia(id, { media: items })
  } catch (error) {
    if (!isMitraApiError(error) || error.status >= 500) console.error('console:', error)
    return again({ photo: w.attachFailed })
  }
  return ctx.back(`/products/${id}`, 'photo')
}

// ---------------------------------------------------------------------------------------
// The brand

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (at: number) => {
    const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/**
 * Text for a colour the person chose: the kit's own when it still reads (4.5:1), else white
 * or near-black, whichever reads better. People pick one colour; the console keeps the
 * palette readable, which the API insists on.
 */
function readableOn(background: string, current: string | undefined): string {
  if (current !== undefined && contrast(current, background) >= 4.5) return current
  const light = '#ffffff'
  const dark = '#1c1917'
  return contrast(light, background) >= contrast(dark, background) ? light : dark
}

const hexPattern = /^#[0-9a-f]{6}$/i

/** The brand kit, or null when the group has none yet. */
async function ownKit(ctx: PartyContext): Promise<BrandKit | null> {
  try {
    return await ctx.admin.brandKit.get()
  } catch (error) {
    if (isMitraApiError(error) && error.status === 404) return null
    throw error
  }
}

interface BrandPageOptions {
  errors?: FieldErrors
  values?: Record<string, string>
  problem?: string
  /** A logo uploaded by a save that then failed: used by the next save. */
  pendingLogo?: string
}

function Swatch({ colour, label }: { colour: string; label: string }) {
  return (
    <li class="row">
      <span
        aria-hidden="true"
        style={`display:inline-block;width:2.5rem;height:2.5rem;border-radius:.375rem;border:1px solid #78716c;background:${colour}`}
      />
      <span>
        {label} <code>{colour}</code>
      </span>
    </li>
  )
}

async function brandPage(ctx: PartyContext, options: BrandPageOptions = {}) {
  const { v } = ctx
  const w = words(v)
  const kit = await ownKit(ctx)
  const logo = kit?.logo_media_id
    ? await ctx.admin.media.get(kit.logo_media_id).catch(() => null)
    : null
  const { errors = {}, pendingLogo } = options
  const values: Record<string, string> = options.values ?? {
    name: kit?.name ?? v.acting?.name ?? '',
    tagline_id: kit?.tagline.id ?? '',
    tagline_en: kit?.tagline.en ?? '',
    story_id: kit?.story.id ?? '',
    story_en: kit?.story.en ?? '',
    village: kit?.origin.village ?? '',
    district: kit?.origin.district ?? '',
    regency: kit?.origin.regency ?? '',
    province: kit?.origin.province ?? '',
    primary: kit?.palette.primary ?? '#0b5d4b',
    accent: kit?.palette.accent ?? '#e0a526',
  }
  const owner = v.acting?.role === 'owner'
  const colour = (name: 'primary' | 'accent', label: string, hint: string) => (
    <div>
      <label for={name}>{label}</label>
      <span class="hint" id={`${name}-hint`}>
        {hint}
      </span>
      <input
        id={name}
        name={name}
        type="color"
        value={hexPattern.test(values[name] ?? '') ? values[name]?.toLowerCase() : '#000000'}
        {...invalid(name, errors[name])}
        aria-describedby={errors[name] ? `${name}-error ${name}-hint` : `${name}-hint`}
        style="max-width:6rem;padding:.2rem"
      />
      <FieldError id={name} error={errors[name]} />
    </div>
  )
  return page(
    v,
    w.brand,
    <>
      <p class="muted">{w.brandLead}</p>
      {kit === null ? (
        <p>{w.noBrand}</p>
      ) : (
        <section aria-labelledby="now" class="card">
          <h2 id="now">{kit.name}</h2>
          <p>{pick(kit.tagline, v.locale)}</p>
          <h3>{w.currentLogo}</h3>
          {logo ? (
            <Thumb picture={logo.sources} alt={w.currentLogo} size={96} />
          ) : (
            <p>{w.noLogo}</p>
          )}
          <h3>{w.currentColours}</h3>
          <ul style="list-style:none;padding:0;display:grid;gap:.5rem">
            <Swatch colour={kit.palette.primary} label={w.primary} />
            <Swatch colour={kit.palette.accent} label={w.accent} />
          </ul>
          <p>
            <a href={`${ctx.shopUrl}/brands/${kit.slug}`}>{w.seeInShop}</a>
          </p>
        </section>
      )}
      {owner ? (
        <form
          method="post"
          action={at(v, '/brand')}
          enctype="multipart/form-data"
          class="stack"
          novalidate
        >
          <Csrf v={v} />
          <Problem text={options.problem} />
          {pendingLogo ? (
            <>
              <input type="hidden" name="pending_logo" value={pendingLogo} />
              <p class="notice">{w.logoPending}</p>
            </>
          ) : null}
          <Field name="name" label={w.brandName} value={values.name} error={errors.name} required />
          <Field
            name="tagline_id"
            label={w.taglineId}
            value={values.tagline_id}
            error={errors.tagline_id}
            required
          />
          <Field
            name="tagline_en"
            label={w.taglineEn}
            hint={w.optional}
            value={values.tagline_en}
            error={errors.tagline_en}
          />
          <Field
            name="story_id"
            label={w.storyId}
            value={values.story_id}
            error={errors.story_id}
            multiline
            required
          />
          <Field
            name="story_en"
            label={w.storyEn}
            hint={w.optional}
            value={values.story_en}
            error={errors.story_en}
            multiline
          />
          <fieldset class="stack">
            <legend>{w.origin}</legend>
            {(['village', 'district', 'regency', 'province'] as const).map((name) => (
              <Field
                name={name}
                label={w[name]}
                value={values[name]}
                error={errors[name]}
                required
              />
            ))}
          </fieldset>
          <fieldset class="stack">
            <legend>{w.colours}</legend>
            {colour('primary', w.primary, w.primaryHint)}
            {colour('accent', w.accent, w.accentHint)}
          </fieldset>
          <div>
            <label for="logo">{w.newLogo}</label>
            <span class="hint" id="logo-hint">
              {w.logoHint}
            </span>
            <input
              id="logo"
              name="logo"
              type="file"
              accept="image/*"
              {...invalid('logo', errors.logo)}
              aria-describedby={errors.logo ? 'logo-error logo-hint' : 'logo-hint'}
            />
            <FieldError id="logo" error={errors.logo} />
          </div>
          <button type="submit">{w.saveBrand}</button>
        </form>
      ) : (
        <p class="muted">{w.ownerOnly}</p>
      )}
      <p>
        <a href={at(v, '/products')}>{v.t.back}</a>
      </p>
    </>,
    { notice: notice(ctx) },
  )
}

/** API paths of a brand kit → the form's fields. */
function brandField(path: string): string | undefined {
  const fields: Record<string, string> = {
    name: 'name',
    'tagline.id': 'tagline_id',
    'tagline.en': 'tagline_en',
    'story.id': 'story_id',
    'story.en': 'story_en',
    'origin.village': 'village',
    'origin.district': 'district',
    'origin.regency': 'regency',
    'origin.province': 'province',
    'palette.primary': 'primary',
    'palette.on_primary': 'primary',
    'palette.accent': 'accent',
    'palette.on_accent': 'accent',
    logo_media_id: 'logo',
  }
  return fields[path]
}

async function saveBrand(ctx: PartyContext) {
  const { v, admin } = ctx
  const w = words(v)
  const { body, text } = await postedText(ctx)
  const value = (name: string) => (text[name] ?? '').trim()
  if (v.acting?.role !== 'owner') {
    return ctx.c.html(await brandPage(ctx, { values: text, problem: w.ownerOnly }), 403)
  }
  const errors: FieldErrors = {}
  for (const name of [
    'name',
    'tagline_id',
    'story_id',
    'village',
    'district',
    'regency',
    'province',
  ]) {
    if (value(name) === '') errors[name] = v.t.required
  }
  for (const name of ['primary', 'accent']) {
    if (!hexPattern.test(value(name))) errors[name] = w.colourFormat
  }
  const posted = postedImage(body.logo, w, true)
  if (posted.error) errors.logo = posted.error
  const pending = /^med_[0-9a-z]{26}$/.test(value('pending_logo'))
    ? value('pending_logo')
    : undefined
  const again = async (
    found: { errors: FieldErrors; problem: string },
    pendingLogo = pending,
    status: 403 | 422 = 422,
  ) =>
    ctx.c.html(
      await brandPage(ctx, {
        ...found,
        values: text,
        ...(pendingLogo ? { pendingLogo } : {}),
      }),
      status,
    )
  if (Object.keys(errors).length > 0) return again({ errors, problem: w.notSaved })

  const [kit, party] = await Promise.all([ownKit(ctx), admin.party.get()])
  let logo = pending ?? kit?.logo_media_id ?? null
  if (posted.file) {
    try {
      logo = (await admin.media.upload(posted.file, posted.file.name || 'logo')).id
    } catch (error) {
      return again({ errors: { logo: uploadError(error, w) }, problem: w.notSaved })
    }
  }
  const primary = value('primary').toLowerCase()
  const accent = value('accent').toLowerCase()
  const palette = {
    background: kit?.palette.background ?? '#ffffff',
    text: kit?.palette.text ?? '#1c1917',
    ...(kit?.palette.muted ? { muted: kit.palette.muted } : {}),
    primary,
    on_primary: readableOn(primary, kit?.palette.on_primary),
    accent,
    on_accent: readableOn(accent, kit?.palette.on_accent),
  }
  try {
    await admin.brandKit.set({
      name: value('name'),
      slug: kit?.slug ?? party.slug,
      tagline: { id: value('tagline_id'), en: value('tagline_en') },
      story: { id: value('story_id'), en: value('story_en') },
      origin: {
        village: value('village'),
        district: value('district'),
        regency: value('regency'),
        province: value('province'),
      },
      logo_media_id: logo,
      palette,
      typography: kit?.typography ?? { heading: 'humanist', body: 'system-sans' },
      social: kit?.social ?? {},
      certifications: kit?.certifications ?? [],
    })
  } catch (error) {
    const found = refusalOrFailure(error, v, brandField, (_path, code) =>
      code === 'contrast_too_low' ? w.contrastTooLow : undefined,
    )
    // The kit is unchanged; a logo uploaded just now waits for the next save.
    const uploaded = posted.file && logo !== kit?.logo_media_id ? (logo ?? undefined) : pending
    return again({ ...found, problem: found.problem || w.nothingSaved }, uploaded)
  }
  return ctx.back('/brand', 'brand')
}

export const catalogScreens: Screen[] = [
  show('/products', producer, productsPage),
  {
    method: 'GET',
    path: '/products/new',
    kinds: producer,
    run: (ctx) => ctx.c.html(newProductPage(ctx)),
  },
  act('/products', producer, createProduct),
  {
    method: 'GET',
    path: '/products/:id',
    kinds: producer,
    run: async (ctx, params) => ctx.c.html(await productPage(ctx, params.id as string)),
  },
  act('/products/:id', producer, updateProduct),
  act('/products/:id/photo', producer, addPhoto),
  show('/brand', producer, (ctx) => brandPage(ctx)),
  act('/brand', producer, saveBrand),
]
