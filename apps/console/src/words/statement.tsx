/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { journalKindWords } from '@mitra/revenue-share'
import type { Schemas } from '@mitra/sdk'
import type { Child } from 'hono/jsx'
import { date, dateTime, type Locale, money, pick } from '../format.js'
import type { Names } from './names.js'
import { cap, withoutIds } from './text.js'

/*
 * An agreement's statement for one settlement period as the producer group and the venue
 * read it: what sold, when, for how much, and who got what of each sale — with product names
 * and dates where the API has ids — and where each line stands in the review.
 */

export type AgreementStatement = Schemas['AgreementStatement']
export type StatementEntry = AgreementStatement['statement']['entries'][number]
export type StatementDispute = Schemas['StatementDispute']
type Amount = { amount: number; currency: string }

/** Where a line stands: an open dispute on it wins, then the two sides' acknowledgments. */
export type LineReview = 'disputed' | 'acknowledged' | 'partly_acknowledged' | 'open'

export interface StatementLine {
  /** What a dispute of this line names (`line_ref`): a sale's sale line id, else its transaction. */
  ref: string
  /** `sale`, `refund`, `return` … (the ledger's kind). */
  kind: string
  /** When it happened (ISO 8601). */
  occurred_at: string
  /** The product sold, when the line is a sale line and `names` knows its variant. */
  product: { title: string; sku: string } | null
  /** Units sold and the unit price, from `names.saleLines` (sales only). */
  quantity: number | null
  unit_price: Amount | null
  /**
   * A sale line's total, the sum of its shares (what the buyer paid; negative for a refund or
   * return); for any other entry, how it changed what the producer is owed.
   */
  total: number
  /** Each role's share of the line (sales, refunds, returns), summed over its parties. */
  shares: Readonly<Record<string, number>>
  /** Free text of the entry, ids replaced by names. */
  memo: string | null
  /** Disputes naming this line, open or withdrawn. */
  disputes: StatementDispute[]
  review: LineReview
  /** The entry as the API sent it. */
  entry: StatementEntry
}

export interface StatementFigures {
  currency: string
  /** The share columns, in reading order: producer, venue, cooperative, platform, fees, tax. */
  roles: string[]
  /** Sale lines, refunds and returns: entries with shares. */
  lines: StatementLine[]
  /** Everything else that changed what the producer is owed: damage, payouts, remittances … */
  others: StatementLine[]
  /** Column totals of `lines`: Σ totals and Σ each role's shares. */
  totals: { total: number; shares: Record<string, number> }
  /** What the producer is owed: opening + the period's movements = closing. */
  balance: {
    opening: number
    sales: number
    refunds: number
    returns: number
    adjustments: number
    payouts: number
    closing: number
  }
}

const roleOrder = ['producer', 'venue', 'cooperative', 'core_partner', 'platform', 'payment_fee']

/**
 * The variant a sale line sold: from the sales API's record of it when given. A statement's
 * entries carry no variant field, so without that record it is read from the ledger's
 * sale line id, `${sale id}:${variant id}` (`saleLineIdOf` in @mitra/revenue-share).
 */
function variantOf(saleLineId: string, names: Names): string | undefined {
  const facts = names.saleLines?.[saleLineId]
  if (facts) return facts.variant_id
  return /^[a-z]+_[0-9a-z]+:(var_[0-9a-z]+)$/i.exec(saleLineId)?.[1]
}

function lineReview(disputes: readonly StatementDispute[], review: Schemas['StatementReview']) {
  if (disputes.some((d) => d.status === 'open')) return 'disputed' as const
  const sides = new Set(review.acknowledgments.filter((a) => !a.stale).map((a) => a.side))
  if (sides.has('producer') && sides.has('venue')) return 'acknowledged' as const
  return sides.size > 0 ? ('partly_acknowledged' as const) : ('open' as const)
}

/**
 * The statement's figures (pure): each sale line with its product, quantity, price and every
 * role's share; the other entries; the column totals; and the producer's balance.
 */
export function statementFigures(
  s: AgreementStatement,
  locale: Locale,
  names: Names = {},
  someone = words[locale].someone,
): StatementFigures {
  const parties = names.parties ?? {}
  const { statement, review } = s
  const lines: StatementLine[] = []
  const others: StatementLine[] = []
  const seen = new Set<string>(['producer', 'venue'])
  for (const entry of statement.entries) {
    // A sale is disputed by its sale line (which covers its refunds and returns too, as the
    // server reads a `line_ref`); anything else by its own transaction.
    const ref =
      entry.kind === 'sale' && entry.sale_line_id !== null
        ? entry.sale_line_id
        : entry.transaction_id
    const disputes = review.disputes.filter(
      (d) => d.line_ref === entry.transaction_id || d.line_ref === entry.sale_line_id,
    )
    const base = {
      ref,
      kind: entry.kind,
      occurred_at: entry.occurred_at,
      memo: entry.memo === null ? null : withoutIds(entry.memo, parties, someone),
      disputes,
      review: lineReview(disputes, review),
      entry,
    }
    if (entry.shares.length === 0) {
      others.push({
        ...base,
        product: null,
        quantity: null,
        unit_price: null,
        total: entry.amount.amount,
        shares: {},
      })
      continue
    }
    const shares: Record<string, number> = {}
    for (const share of entry.shares) {
      shares[share.role] = (shares[share.role] ?? 0) + share.amount.amount
      seen.add(share.role)
    }
    const saleLine = entry.sale_line_id
    const variantId = saleLine === null ? undefined : variantOf(saleLine, names)
    const variant = variantId === undefined ? undefined : names.variants?.[variantId]
    const facts =
      saleLine === null || entry.kind !== 'sale' ? undefined : names.saleLines?.[saleLine]
    lines.push({
      ...base,
      product: variant ? { title: pick(variant.title, locale), sku: variant.sku } : null,
      quantity: facts?.quantity ?? null,
      unit_price: facts?.unit_price ?? null,
      // Every share of a line is posted, so they add up to what the buyer paid for it.
      total: entry.shares.reduce((sum, share) => sum + share.amount.amount, 0),
      shares,
    })
  }
  const roles = [
    ...roleOrder.filter((role) => seen.has(role)),
    ...[...seen].filter((role) => !roleOrder.includes(role) && role !== 'tax'),
    ...(seen.has('tax') ? ['tax'] : []),
  ]
  const totals = {
    total: lines.reduce((sum, line) => sum + line.total, 0),
    shares: Object.fromEntries(
      roles.map((role) => [role, lines.reduce((sum, line) => sum + (line.shares[role] ?? 0), 0)]),
    ),
  }
  return {
    currency: statement.currency,
    roles,
    lines,
    others,
    totals,
    balance: {
      opening: statement.opening_balance.amount,
      sales: statement.totals.sales.amount,
      refunds: statement.totals.refunds.amount,
      returns: statement.totals.returns.amount,
      adjustments: statement.totals.adjustments.amount,
      payouts: statement.totals.payouts.amount,
      closing: statement.closing_balance.amount,
    },
  }
}

const words = {
  id: {
    title: 'Laporan penjualan titipan',
    producer: 'Pembuat',
    venue: 'Tempat penjualan',
    period: 'Periode',
    cycle: 'Siklus',
    cycles: { weekly: 'Mingguan', twice_monthly: 'Dua kali sebulan', monthly: 'Bulanan' },
    sales: 'Penjualan',
    date: 'Tanggal',
    product: 'Produk',
    sku: 'SKU',
    unknownProduct: 'Produk tidak dikenal',
    quantity: 'Jumlah',
    unitPrice: 'Harga satuan',
    lineTotal: 'Total',
    status: 'Status',
    actions: 'Tindakan',
    total: 'Jumlah semua',
    noSales: 'Tidak ada penjualan dalam periode ini.',
    others: 'Catatan lain',
    kind: 'Jenis',
    note: 'Keterangan',
    change: 'Perubahan',
    balance: (producer: string) => `Yang menjadi hak ${producer}`,
    opening: 'Saldo awal',
    salesTotal: 'Penjualan',
    refunds: 'Pengembalian dana',
    returns: 'Retur barang',
    adjustments: 'Penyesuaian (kerusakan, kehilangan, denda, uang muka)',
    payouts: 'Sudah dibayarkan atau disetor',
    closing: 'Saldo akhir',
    review: 'Tinjauan',
    reviewStatus: {
      open: 'Belum ditinjau',
      acknowledged: 'Disetujui kedua pihak',
      disputed: 'Ada sanggahan',
      partly_acknowledged: 'Disetujui satu pihak',
    } as Record<string, string>,
    lineStatus: {
      open: 'Belum ditinjau',
      acknowledged: 'Disetujui kedua pihak',
      partly_acknowledged: (party: string) => `Disetujui ${party}`,
    },
    disputedBy: (party: string) => `Disanggah ${party}`,
    withdrawn: (party: string) => `Sanggahan ${party} ditarik`,
    acknowledgedBy: (party: string, at: string) => `${party} menyetujui pada ${at}`,
    stale: 'angka berubah sejak itu, persetujuan ini tidak berlaku lagi',
    noAcknowledgments: 'Belum ada yang menyetujui.',
    disputes: 'Sanggahan',
    disputeOn: (party: string, line: string, at: string) => `${party} menyanggah ${line}, ${at}`,
    goneLine: 'baris yang sudah tidak ada di laporan ini',
    someone: 'pihak lain',
    roles: {
      producer: 'Pembuat',
      venue: 'Tempat penjualan',
      cooperative: 'Koperasi',
      core_partner: 'Mitra inti',
      platform: 'Platform',
      payment_fee: 'Biaya pembayaran',
      tax: 'Pajak (PPN)',
    } as Record<string, string>,
    kinds: journalKindWords.id as Record<string, string>,
  },
  en: {
    title: 'Consignment sales statement',
    producer: 'Maker',
    venue: 'Venue',
    period: 'Period',
    cycle: 'Cycle',
    cycles: { weekly: 'Weekly', twice_monthly: 'Twice a month', monthly: 'Monthly' },
    sales: 'Sales',
    date: 'Date',
    product: 'Product',
    sku: 'SKU',
    unknownProduct: 'Unknown product',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    lineTotal: 'Total',
    status: 'Status',
    actions: 'Actions',
    total: 'Total',
    noSales: 'No sales in this period.',
    others: 'Other entries',
    kind: 'Kind',
    note: 'Note',
    change: 'Change',
    balance: (producer: string) => `What ${producer} is owed`,
    opening: 'Opening balance',
    salesTotal: 'Sales',
    refunds: 'Refunds',
    returns: 'Returns',
    adjustments: 'Adjustments (damage, loss, penalties, advances)',
    payouts: 'Paid out or handed over',
    closing: 'Closing balance',
    review: 'Review',
    reviewStatus: {
      open: 'Not yet reviewed',
      acknowledged: 'Acknowledged by both sides',
      disputed: 'Disputed',
      partly_acknowledged: 'Acknowledged by one side',
    } as Record<string, string>,
    lineStatus: {
      open: 'Not yet reviewed',
      acknowledged: 'Acknowledged by both sides',
      partly_acknowledged: (party: string) => `Acknowledged by ${party}`,
    },
    disputedBy: (party: string) => `Disputed by ${party}`,
    withdrawn: (party: string) => `${party} withdrew a dispute`,
    acknowledgedBy: (party: string, at: string) => `${party} acknowledged on ${at}`,
    stale: 'the numbers changed since, so it no longer counts',
    noAcknowledgments: 'No one has acknowledged it yet.',
    disputes: 'Disputes',
    disputeOn: (party: string, line: string, at: string) => `${party} disputed ${line}, ${at}`,
    goneLine: 'a line no longer in this statement',
    someone: 'another party',
    roles: {
      producer: 'Maker',
      venue: 'Venue',
      cooperative: 'Cooperative',
      core_partner: 'Core partner',
      platform: 'Platform',
      payment_fee: 'Payment fee',
      tax: 'Tax (VAT)',
    } as Record<string, string>,
    kinds: journalKindWords.en as Record<string, string>,
  },
} satisfies Record<Locale, unknown>

/** A word for a value the tables do not know (a new role or kind): itself, in words. */
const humane = (value: string) => cap(value.replaceAll('_', ' '))

export interface StatementViewProps {
  locale: Locale
  statement: AgreementStatement
  /**
   * `parties`: the producer, the venue, the cooperative and (when known) the platform;
   * `variants` and `saleLines` for the products sold (see `Names`).
   */
  names: Names
  /** Buttons for one line (acknowledge, dispute …), put in the line's last cell. */
  renderLineActions?: (line: StatementLine) => Child
}

/**
 * The statement as a person reads it: the two sides and the period, each sale line with its
 * product, SKU, date, quantity, price and every share, totals that add up, the other entries,
 * what the producer is owed, and the review — who acknowledged, what is disputed.
 */
export function StatementView({
  locale,
  statement: s,
  names,
  renderLineActions,
}: StatementViewProps) {
  const w = words[locale]
  const parties = names.parties ?? {}
  const nameOf = (id: string, role: string) => parties[id] ?? role
  const producer = nameOf(s.producer_id, w.producer.toLowerCase())
  const venue = nameOf(s.venue_id, w.venue.toLowerCase())
  const figures = statementFigures(s, locale, names, w.someone)
  const amount = (value: number) => money({ amount: value, currency: figures.currency }, locale)
  const lastDay = new Date(Date.parse(s.period.to) - 1).toISOString()
  const period =
    date(s.period.from, locale) === date(lastDay, locale)
      ? date(s.period.from, locale)
      : `${date(s.period.from, locale)} – ${date(lastDay, locale)}`

  // A share column is headed by its role, and by its party's name when one party holds it.
  const partiesOf = (role: string) => [
    ...new Set(
      s.statement.entries.flatMap((e) =>
        e.shares.filter((x) => x.role === role).map((x) => x.party_id),
      ),
    ),
  ]
  const columnHead = (role: string) => {
    const ids = partiesOf(role)
    const named = role !== 'payment_fee' && ids.length === 1 ? parties[ids[0] as string] : undefined
    return { label: w.roles[role] ?? humane(role), party: named }
  }
  const sideOf = (partyId: string) =>
    parties[partyId] ??
    (partyId === s.producer_id
      ? w.producer.toLowerCase()
      : partyId === s.venue_id
        ? w.venue.toLowerCase()
        : w.someone)
  const ackedBy = s.review.acknowledgments.filter((a) => !a.stale).map((a) => sideOf(a.party_id))
  const kindOf = (kind: string) => w.kinds[kind] ?? humane(kind)

  const LineStatus = ({ line }: { line: StatementLine }) => (
    <>
      {line.review === 'disputed'
        ? null
        : line.review === 'partly_acknowledged'
          ? w.lineStatus.partly_acknowledged(ackedBy.join(', '))
          : w.lineStatus[line.review]}
      {line.disputes.map((d) =>
        d.status === 'open' ? (
          <p class="dispute">
            <strong>{w.disputedBy(sideOf(d.party_id))}</strong>
            <q>{d.comment}</q>
          </p>
        ) : (
          <p class="dispute withdrawn">
            {w.withdrawn(sideOf(d.party_id))}
            {d.resolution_note ? <q>{d.resolution_note}</q> : null}
          </p>
        ),
      )}
    </>
  )
  const lineName = (line: StatementLine) =>
    line.entry.shares.length > 0 ? (line.product?.title ?? w.unknownProduct) : kindOf(line.kind)
  // What a dispute's `line_ref` names: a transaction, or a sale line (the sale itself first).
  const lineByRef = new Map<string, StatementLine>()
  for (const line of [...figures.lines, ...figures.others]) {
    lineByRef.set(line.entry.transaction_id, line)
    if (line.entry.sale_line_id !== null && !lineByRef.has(line.entry.sale_line_id)) {
      lineByRef.set(line.entry.sale_line_id, line)
    }
  }
  const heads = figures.roles.map(columnHead)

  return (
    <article class="statement">
      <header>
        <h1>{w.title}</h1>
        <dl class="meta">
          <dt>{w.producer}</dt>
          <dd>{cap(producer)}</dd>
          <dt>{w.venue}</dt>
          <dd>{cap(venue)}</dd>
          <dt>{w.period}</dt>
          <dd>{period}</dd>
          <dt>{w.cycle}</dt>
          <dd>{w.cycles[s.cycle] ?? humane(s.cycle)}</dd>
          <dt>{w.review}</dt>
          <dd>
            <span class={`status status-${s.review.status}`}>
              {w.reviewStatus[s.review.status] ?? humane(s.review.status)}
            </span>
          </dd>
        </dl>
      </header>

      <section class="sales">
        <h2>{w.sales}</h2>
        {figures.lines.length === 0 ? (
          <p>{w.noSales}</p>
        ) : (
          <table class="lines">
            <thead>
              <tr>
                <th scope="col">{w.date}</th>
                <th scope="col">{w.product}</th>
                <th scope="col" class="num">
                  {w.quantity}
                </th>
                <th scope="col" class="num">
                  {w.unitPrice}
                </th>
                <th scope="col" class="num">
                  {w.lineTotal}
                </th>
                {heads.map((head) => (
                  <th scope="col" class="num">
                    {head.label}
                    {head.party ? <span class="party">{head.party}</span> : null}
                  </th>
                ))}
                <th scope="col">{w.status}</th>
                {renderLineActions ? <th scope="col">{w.actions}</th> : null}
              </tr>
            </thead>
            <tbody>
              {figures.lines.map((line) => (
                <tr class={line.review === 'disputed' ? 'disputed' : undefined}>
                  <td data-label={w.date}>
                    {date(line.occurred_at, locale)}
                    {line.kind === 'sale' ? null : <span class="kind">{kindOf(line.kind)}</span>}
                  </td>
                  <th scope="row" data-label={w.product}>
                    {line.product?.title ?? w.unknownProduct}
                    {line.product ? (
                      <span class="sku">
                        {w.sku} {line.product.sku}
                      </span>
                    ) : null}
                  </th>
                  <td class="num" data-label={w.quantity}>
                    {line.quantity ?? ''}
                  </td>
                  <td class="num" data-label={w.unitPrice}>
                    {line.unit_price ? money(line.unit_price, locale) : ''}
                  </td>
                  <td class="num" data-label={w.lineTotal}>
                    {amount(line.total)}
                  </td>
                  {figures.roles.map((role, index) => (
                    <td class="num" data-label={heads[index]?.label}>
                      {line.shares[role] === undefined ? '' : amount(line.shares[role])}
                    </td>
                  ))}
                  <td data-label={w.status}>
                    <LineStatus line={line} />
                  </td>
                  {renderLineActions ? (
                    <td data-label={w.actions}>{renderLineActions(line)}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan={4}>
                  {w.total}
                </th>
                <td class="num" data-label={w.lineTotal}>
                  {amount(figures.totals.total)}
                </td>
                {figures.roles.map((role, index) => (
                  <td class="num" data-label={heads[index]?.label}>
                    {amount(figures.totals.shares[role] ?? 0)}
                  </td>
                ))}
                <td />
                {renderLineActions ? <td /> : null}
              </tr>
            </tfoot>
          </table>
        )}
      </section>

      {figures.others.length === 0 ? null : (
        <section class="others">
          <h2>{w.others}</h2>
          <table class="lines">
            <thead>
              <tr>
                <th scope="col">{w.date}</th>
                <th scope="col">{w.kind}</th>
                <th scope="col">{w.note}</th>
                <th scope="col" class="num">
                  {w.change}
                </th>
                <th scope="col">{w.status}</th>
                {renderLineActions ? <th scope="col">{w.actions}</th> : null}
              </tr>
            </thead>
            <tbody>
              {figures.others.map((line) => (
                <tr class={line.review === 'disputed' ? 'disputed' : undefined}>
                  <td data-label={w.date}>{date(line.occurred_at, locale)}</td>
                  <th scope="row" data-label={w.kind}>
                    {kindOf(line.kind)}
                  </th>
                  <td data-label={w.note}>{line.memo ?? ''}</td>
                  <td class="num" data-label={w.change}>
                    {amount(line.total)}
                  </td>
                  <td data-label={w.status}>
                    <LineStatus line={line} />
                  </td>
                  {renderLineActions ? (
                    <td data-label={w.actions}>{renderLineActions(line)}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section class="balance">
        <h2>{w.balance(producer)}</h2>
        <table class="summary">
          <tbody>
            {(
              [
                [w.opening, figures.balance.opening],
                [w.salesTotal, figures.balance.sales],
                [w.refunds, figures.balance.refunds],
                [w.returns, figures.balance.returns],
                [w.adjustments, figures.balance.adjustments],
                [w.payouts, figures.balance.payouts],
              ] as const
            ).map(([label, value]) => (
              <tr>
                <th scope="row">{label}</th>
                <td class="num">{amount(value)}</td>
              </tr>
            ))}
            <tr class="closing">
              <th scope="row">{w.closing}</th>
              <td class="num">{amount(figures.balance.closing)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section class="review">
        <h2>{w.review}</h2>
        {s.review.acknowledgments.length === 0 ? (
          <p>{w.noAcknowledgments}</p>
        ) : (
          <ul>
            {s.review.acknowledgments.map((a) => (
              <li>
                {w.acknowledgedBy(cap(sideOf(a.party_id)), dateTime(a.acknowledged_at, locale))}
                {a.stale ? <span class="stale"> ({w.stale})</span> : null}
              </li>
            ))}
          </ul>
        )}
        {s.review.disputes.length === 0 ? null : (
          <>
            <h3>{w.disputes}</h3>
            <ul>
              {s.review.disputes.map((d) => {
                const line = lineByRef.get(d.line_ref)
                const what = line
                  ? `${lineName(line)} (${date(line.occurred_at, locale)})`
                  : w.goneLine
                return (
                  <li class={d.status === 'open' ? 'open' : 'withdrawn'}>
                    {w.disputeOn(cap(sideOf(d.party_id)), what, dateTime(d.opened_at, locale))}
                    <blockquote>{d.comment}</blockquote>
                    {d.status === 'open' ? null : (
                      <p>
                        {w.withdrawn(cap(sideOf(d.party_id)))}
                        {d.resolved_at ? `, ${dateTime(d.resolved_at, locale)}` : ''}
                        {d.resolution_note ? <q>{d.resolution_note}</q> : null}
                      </p>
                    )}
                  </li>
                )
              })}
            </ul>
          </>
        )}
      </section>
    </article>
  )
}
