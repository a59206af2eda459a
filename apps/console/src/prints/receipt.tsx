/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { dateTime, type Locale, money, pick } from '../format.js'
import { type Money, optionsText, type Texts } from './common.js'

const strings = {
  id: {
    receipt: 'Struk',
    village: (name: string) => `Desa ${name}`,
    total: 'Total',
    paidWith: 'Dibayar dengan',
    methods: { cash: 'Tunai', qris: 'QRIS' },
    thanks: 'Terima kasih telah mendukung produk desa!',
  },
  en: {
    receipt: 'Receipt',
    village: (name: string) => `${name} village`,
    total: 'Total',
    paidWith: 'Paid with',
    methods: { cash: 'Cash', qris: 'QRIS' },
    thanks: 'Thank you for supporting village makers!',
  },
} satisfies Record<Locale, unknown>

/** The venue that sold: `Party.name`, and `PartnerProfile.location` in one line (`addressText`). */
export interface ReceiptVenue {
  name: string
  address?: string | null
}

/** The sale: `Sale.receipt_number` (the venue's own numbering). */
export interface ReceiptSale {
  receiptNumber: string
}

/** Who made a line's product: the producer's brand (`BrandKit.name` or `Party.name`) and village. */
export interface ReceiptMaker {
  name: string
  /** `Product.origin.village` (or `BrandKit.origin.village`): printed `Desa …`. */
  village?: string | null
}

/** One line of `Sale.lines`, with its product and maker named. */
export interface ReceiptLine {
  /** `Product.title` of the line's variant. */
  title: Texts
  /** `Variant.options`, printed after the title when it has any. */
  options?: Readonly<Record<string, string>>
  /** The producer of `Sale.lines[].producer_id`. */
  maker: ReceiptMaker
  /** `Sale.lines[].quantity`. */
  quantity: number
  /** `Sale.lines[].unit_price`, in minor units. */
  unitPrice: Money
}

export interface CounterReceiptProps {
  locale: Locale
  venue: ReceiptVenue
  sale: ReceiptSale
  lines: readonly ReceiptLine[]
  /** `Sale.channel` of a counter sale (an online order has its own confirmation). */
  paidWith: 'cash' | 'qris'
  /** When it was paid (ISO, `Sale.sold_at`): printed in Jakarta time. */
  receivedAt: string
  /** The roll: 80 mm (default, 72 mm printed) or 58 mm (48 mm printed). */
  paper?: 58 | 80
}

/** `Batik Gemawangi, Desa Gemawang`: the maker as a buyer would look them up. */
function makerText(maker: ReceiptMaker, locale: Locale): string {
  const t = strings[locale]
  return maker.village ? `${maker.name}, ${t.village(maker.village)}` : maker.name
}

/**
 * The total by currency, summed in minor units (exact integers). A counter sale is in one
 * currency; should lines ever differ, each currency gets its own total rather than a wrong sum.
 */
function totals(lines: readonly ReceiptLine[]): Money[] {
  const byCurrency = new Map<string, number>()
  for (const line of lines) {
    const { amount, currency } = line.unitPrice
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + amount * line.quantity)
  }
  return [...byCurrency].map(([currency, amount]) => ({ amount, currency }))
}

/**
 * A counter sale's receipt for a thermal printer: the venue, receipt number and time in
 * Jakarta, then every line with the maker who made it (consignment: the goods are the
 * producer's, and a buyer should know whose work they bought), quantities, prices, the total,
 * how it was paid and a thank-you. Style: `printCss`.
 */
export function CounterReceipt({
  locale,
  venue,
  sale,
  lines,
  paidWith,
  receivedAt,
  paper = 80,
}: CounterReceiptProps) {
  const t = strings[locale]
  return (
    <article class={`p-print p-receipt p-receipt-${paper}`} lang={locale}>
      <header class="p-rc-head">
        <h1 class="p-rc-venue">{venue.name}</h1>
        {venue.address ? <p>{venue.address}</p> : null}
        <p>
          {t.receipt} {sale.receiptNumber}
        </p>
        <p>
          <time datetime={receivedAt}>{dateTime(receivedAt, locale)}</time>
        </p>
      </header>
      <ul class="p-rc-lines">
        {lines.map((line) => {
          const options = optionsText(line.options)
          const title = pick(line.title, locale) + (options ? ` (${options})` : '')
          return (
            <li class="p-rc-line">
              <p class="p-rc-item">
                {title} <span class="p-rc-maker">— {makerText(line.maker, locale)}</span>
              </p>
              <p class="p-rc-amounts">
                <span>
                  {line.quantity} × {money(line.unitPrice, locale)}
                </span>
                <span>
                  {money(
                    {
                      amount: line.unitPrice.amount * line.quantity,
                      currency: line.unitPrice.currency,
                    },
                    locale,
                  )}
                </span>
              </p>
            </li>
          )
        })}
      </ul>
      <dl class="p-rc-total">
        {totals(lines).map((total) => (
          <>
            <dt>{t.total}</dt>
            <dd>{money(total, locale)}</dd>
          </>
        ))}
      </dl>
      <p class="p-rc-paid">
        {t.paidWith}: {t.methods[paidWith]}
      </p>
      <p class="p-rc-thanks">{t.thanks}</p>
    </article>
  )
}
