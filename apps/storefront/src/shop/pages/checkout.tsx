/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import type { StoreVenue } from '../components.js'
import { venueAddress } from '../components.js'
import { money } from '../i18n.js'
import { href, page, type View } from '../layout.js'
import type { Cart } from './cart.js'

export type CheckoutInput = Schemas['CheckoutInput']

/** The form's fields, as posted (every value a string). */
export interface CheckoutForm {
  fulfilment?: string
  customer_name?: string
  customer_phone?: string
  customer_email?: string
  address_line1?: string
  address_line2?: string
  address_city?: string
  address_province?: string
  address_postal_code?: string
  address_notes?: string
  provider?: string
}

export const checkoutFields = [
  'fulfilment',
  'customer_name',
  'customer_phone',
  'customer_email',
  'address_line1',
  'address_line2',
  'address_city',
  'address_province',
  'address_postal_code',
  'address_notes',
  'provider',
] as const satisfies readonly (keyof CheckoutForm)[]

export interface CheckoutData {
  cart: Cart
  /** The venue being paid for: its cart group and its public profile. */
  venue: Cart['venues'][number]
  profile: StoreVenue | null
  /** The payment providers this server has on (demo first). */
  providers: string[]
  values: CheckoutForm
  /** Field name → what is wrong with it (from the API's 422). */
  errors: Record<string, string>
  /** A message for the whole form (stock changed, provider down). */
  error?: string | null
  /** A fresh token per rendering: the Idempotency-Key of the checkout it submits. */
  attempt: string
}

const blank = (value: string | undefined) => value === undefined || value.trim() === ''

/** The API's checkout body from the form: the delivery address only for a delivery. */
export function checkoutBody(
  form: CheckoutForm,
  venueId: string,
  returnUrl: string,
): CheckoutInput {
  const text = (value: string | undefined) => (blank(value) ? undefined : (value as string).trim())
  const delivery = form.fulfilment === 'delivery'
  const name = text(form.customer_name) ?? ''
  const phone = text(form.customer_phone)
  const email = text(form.customer_email)
  const optional = <K extends string>(key: K, value: string | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>)
  return {
    venue_id: venueId,
    fulfilment: delivery ? 'delivery' : 'pickup',
    customer: { name, ...optional('phone', phone), ...optional('email', email) },
    ...(delivery
      ? {
          delivery_address: {
            recipient: name,
            phone: phone ?? '',
            line1: text(form.address_line1) ?? '',
            city: text(form.address_city) ?? '',
            postal_code: text(form.address_postal_code) ?? '',
            ...optional('line2', text(form.address_line2)),
            ...optional('province', text(form.address_province)),
            ...optional('notes', text(form.address_notes)),
          },
        }
      : {}),
    provider: (form.provider ?? 'demo') as CheckoutInput['provider'],
    success_url: returnUrl,
    cancel_url: returnUrl,
  }
}

/** An API field path (`delivery_address.line1`, `customer.name`) as the form's field. */
export function formField(path: string): string {
  if (path === 'delivery_address.recipient') return 'customer_name'
  if (path === 'delivery_address.phone') return 'customer_phone'
  if (path === 'delivery_address') return 'address_line1'
  return path.replace(/^delivery_address\./, 'address_').replace(/\./g, '_')
}

function Field({
  name,
  label,
  values,
  errors,
  type = 'text',
  autocomplete,
  required = false,
  inAddress = false,
}: {
  name: keyof CheckoutForm
  label: string
  values: CheckoutForm
  errors: Record<string, string>
  type?: string
  autocomplete?: string
  required?: boolean
  /** Required only for a delivery: the enhancing script sets `required` when it applies. */
  inAddress?: boolean
}) {
  const error = errors[name]
  const id = `f-${name}`
  return (
    <div>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={values[name] ?? ''}
        autocomplete={autocomplete}
        required={required}
        data-required={inAddress ? true : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

export function checkoutPage(v: View, data: CheckoutData): string {
  const { t } = v
  const { venue, values, errors } = data
  const pickup = venue.pickup
  const deliveryRate = venue.delivery_rate
  const fulfilment = values.fulfilment ?? (pickup ? 'pickup' : 'delivery')
  const provider = values.provider ?? data.providers[0] ?? 'demo'
  const lines = data.cart.lines.filter((line) => line.venue_id === venue.venue_id)
  const address = data.profile ? venueAddress(data.profile) : ''
  const hasErrors = Object.keys(errors).length > 0
  const body = (
    <>
      <h1>{t.checkoutFrom(venue.name)}</h1>
      {data.error ? (
        <p class="error" role="alert">
          {data.error}
        </p>
      ) : null}
      {hasErrors ? (
        <p class="error" role="alert">
          {t.fixFields}
        </p>
      ) : null}
      <ul class="lines">
        {lines.map((line) => (
          <li class="line">
            <span>
              {line.name} × {line.quantity}
              {line.line_total ? ` = ${money(line.line_total, v.locale)}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <dl class="totals">
        <dt>{t.subtotal}</dt>
        <dd>{money(venue.subtotal, v.locale)}</dd>
        {deliveryRate ? (
          <>
            <dt>{t.deliveryIfAny}</dt>
            <dd>{money(deliveryRate, v.locale)}</dd>
          </>
        ) : null}
      </dl>
      <form method="post" action={href(v, '/checkout')} data-fulfilment>
        <input type="hidden" name="venue_id" value={venue.venue_id} />
        <input type="hidden" name="attempt" value={data.attempt} />
        <fieldset>
          <legend>{t.fulfilment}</legend>
          {pickup ? (
            <label class="choice">
              <input
                type="radio"
                name="fulfilment"
                value="pickup"
                checked={fulfilment === 'pickup'}
              />
              <span>
                {t.pickupAt(venue.name)}
                {address ? <span class="muted"> ({address})</span> : null}
              </span>
            </label>
          ) : null}
          {deliveryRate ? (
            <label class="choice">
              <input
                type="radio"
                name="fulfilment"
                value="delivery"
                checked={fulfilment === 'delivery'}
              />
              <span>{t.deliveryFor(money(deliveryRate, v.locale))}</span>
            </label>
          ) : null}
          {errors.fulfilment ? <p class="field-error">{errors.fulfilment}</p> : null}
        </fieldset>
        <fieldset>
          <legend>{t.you}</legend>
          <Field
            name="customer_name"
            label={t.name}
            values={values}
            errors={errors}
            autocomplete="name"
            required
          />
          <Field
            name="customer_phone"
            label={t.phoneField}
            values={values}
            errors={errors}
            type="tel"
            autocomplete="tel"
          />
          <Field
            name="customer_email"
            label={t.email}
            values={values}
            errors={errors}
            type="email"
            autocomplete="email"
          />
        </fieldset>
        {deliveryRate ? (
          <fieldset data-address>
            <legend>{t.address}</legend>
            <p class="muted">{t.addressNote}</p>
            <Field
              name="address_line1"
              label={t.line1}
              values={values}
              errors={errors}
              autocomplete="address-line1"
              inAddress
            />
            <Field
              name="address_line2"
              label={t.line2}
              values={values}
              errors={errors}
              autocomplete="address-line2"
            />
            <Field
              name="address_city"
              label={t.city}
              values={values}
              errors={errors}
              autocomplete="address-level2"
              inAddress
            />
            <Field
              name="address_province"
              label={t.province}
              values={values}
              errors={errors}
              autocomplete="address-level1"
            />
            <Field
              name="address_postal_code"
              label={t.postalCode}
              values={values}
              errors={errors}
              autocomplete="postal-code"
              inAddress
            />
            <Field name="address_notes" label={t.notes} values={values} errors={errors} />
          </fieldset>
        ) : null}
        <fieldset>
          <legend>{t.provider}</legend>
          {data.providers.map((name) => (
            <label class="choice">
              <input type="radio" name="provider" value={name} checked={provider === name} />
              <span>{t.providers[name] ?? name}</span>
            </label>
          ))}
          {errors.provider ? <p class="field-error">{errors.provider}</p> : null}
        </fieldset>
        <button type="submit">{t.payNext}</button>
      </form>
    </>
  )
  return page(v, { title: t.checkout, description: t.checkout, noindex: true }, body)
}
