import { formatMoney, type Money, money } from '@mitra/core'
import type { JournalKind } from '@mitra/db'
import type { ShareRole } from './policy.js'
import {
  type StatementReview,
  type StatementReviewStatus,
  statementHash,
} from './statement-reviews.js'
import type { Statement, StatementEntry } from './statements.js'

/*
 * The printable statement: one self-contained HTML document (inline CSS, A4 print rules,
 * no scripts, no external resources) in Indonesian or English, with every share of every
 * line, the totals and the review status — the same numbers both parties acknowledge.
 */

export type StatementLocale = 'id' | 'en'

export interface StatementHtmlParty {
  name: string
  /** Village, district or address, printed under the name. */
  place?: string
}

export interface StatementHtmlOptions {
  locale: StatementLocale
  /** Display names by party id (the statement's party, every share's party, reviewers). */
  parties: Readonly<Record<string, StatementHtmlParty>>
  /** The review of this statement (acknowledgments, disputes with comments). */
  review?: StatementReview
  /** Display names of the users and API keys that acknowledged or disputed, by id. */
  actors?: Readonly<Record<string, string>>
  /** When the document was produced (default: now). */
  generatedAt?: Date
}

const timeZone = 'Asia/Jakarta'

interface Texts {
  lang: string
  intl: string
  title: string
  party: string
  agreement: string
  allAgreements: string
  period: string
  generated: string
  date: string
  kind: string
  reference: string
  change: string
  balance: string
  opening: string
  closing: string
  total: string
  summary: string
  sales: string
  refunds: string
  returns: string
  adjustments: string
  payouts: string
  noEntries: string
  review: string
  status: Record<StatementReviewStatus, string>
  acknowledgments: string
  acknowledgedBy: (party: string, actor: string, at: string) => string
  stale: string
  noAcknowledgments: string
  disputes: string
  disputeLine: string
  disputeOpen: string
  disputeWithdrawn: (at: string) => string
  noDisputes: string
  disputedMark: string
  fingerprint: string
  shareNote: string
  kinds: Record<JournalKind, string>
  roles: Record<ShareRole, string>
}

/** Each kind of ledger entry in words, for statements printed or shown on a screen. */
export const journalKindWords: Record<StatementLocale, Record<JournalKind, string>> = {
  id: {
    sale: 'Penjualan',
    refund: 'Pengembalian dana',
    refund_failure: 'Pengembalian dana gagal',
    return: 'Retur barang',
    damage: 'Kerusakan',
    loss: 'Kehilangan',
    advance: 'Uang muka',
    advance_deduction: 'Potongan uang muka',
    penalty: 'Denda',
    payout: 'Pembayaran',
    payout_reversal: 'Pembatalan pembayaran',
    collection_hold: 'Dipegang tempat penjualan',
    netting: 'Diperhitungkan dengan komisi',
    remittance: 'Setoran',
    remittance_reversal: 'Setoran gagal',
    payout_paid: 'Pembayaran diterima',
    payout_paid_reversal: 'Pembayaran dikembalikan',
  },
  en: {
    sale: 'Sale',
    refund: 'Refund',
    refund_failure: 'Refund failed',
    return: 'Return',
    damage: 'Damage',
    loss: 'Loss',
    advance: 'Advance',
    advance_deduction: 'Advance deduction',
    penalty: 'Penalty',
    payout: 'Payout',
    payout_reversal: 'Payout reversal',
    collection_hold: 'Held by the venue',
    netting: 'Set against commission',
    remittance: 'Remittance',
    remittance_reversal: 'Remittance bounced',
    payout_paid: 'Payout arrived',
    payout_paid_reversal: 'Payout sent back',
  },
}

const texts: Record<StatementLocale, Texts> = {
  id: {
    lang: 'id',
    intl: 'id-ID',
    title: 'Laporan bagi hasil',
    party: 'Pihak',
    agreement: 'Perjanjian',
    allAgreements: 'Semua perjanjian',
    period: 'Periode',
    generated: 'Dibuat',
    date: 'Tanggal',
    kind: 'Jenis',
    reference: 'Referensi',
    change: 'Perubahan',
    balance: 'Saldo',
    opening: 'Saldo awal',
    closing: 'Saldo akhir',
    total: 'Jumlah',
    summary: 'Ringkasan',
    sales: 'Penjualan',
    refunds: 'Pengembalian dana',
    returns: 'Retur barang',
    adjustments: 'Penyesuaian (kerusakan, denda, uang muka)',
    payouts: 'Pembayaran',
    noEntries: 'Tidak ada transaksi dalam periode ini.',
    review: 'Tinjauan',
    status: {
      open: 'Belum ditinjau',
      acknowledged: 'Disetujui kedua pihak',
      disputed: 'Disanggah',
      partly_acknowledged: 'Disetujui satu pihak',
    },
    acknowledgments: 'Persetujuan',
    acknowledgedBy: (party, actor, at) => `${party} — disetujui oleh ${actor}, ${at}`,
    stale: 'kedaluwarsa: angka telah berubah sejak disetujui',
    noAcknowledgments: 'Belum ada persetujuan.',
    disputes: 'Sanggahan',
    disputeLine: 'Baris',
    disputeOpen: 'terbuka',
    disputeWithdrawn: (at) => `ditarik ${at}`,
    noDisputes: 'Tidak ada sanggahan.',
    disputedMark: 'disanggah',
    fingerprint: 'Sidik laporan (SHA-256)',
    shareNote:
      'Kolom bagian menunjukkan bagian setiap pihak dari tiap baris penjualan, pengembalian dana dan retur.',
    kinds: journalKindWords.id,
    roles: {
      producer: 'Produsen',
      venue: 'Tempat penjualan',
      cooperative: 'Koperasi',
      core_partner: 'Mitra inti',
      platform: 'Platform',
      payment_fee: 'Biaya pembayaran',
      tax: 'Pajak',
    },
  },
  en: {
    lang: 'en',
    intl: 'en',
    title: 'Revenue share statement',
    party: 'Party',
    agreement: 'Agreement',
    allAgreements: 'All agreements',
    period: 'Period',
    generated: 'Generated',
    date: 'Date',
    kind: 'Kind',
    reference: 'Reference',
    change: 'Change',
    balance: 'Balance',
    opening: 'Opening balance',
    closing: 'Closing balance',
    total: 'Total',
    summary: 'Summary',
    sales: 'Sales',
    refunds: 'Refunds',
    returns: 'Returns',
    adjustments: 'Adjustments (damage, penalties, advances)',
    payouts: 'Payouts',
    noEntries: 'No transactions in this period.',
    review: 'Review',
    status: {
      open: 'Not yet reviewed',
      acknowledged: 'Acknowledged by both parties',
      disputed: 'Disputed',
      partly_acknowledged: 'Acknowledged by one party',
    },
    acknowledgments: 'Acknowledgments',
    acknowledgedBy: (party, actor, at) => `${party} — acknowledged by ${actor}, ${at}`,
    stale: 'stale: the numbers changed after this acknowledgment',
    noAcknowledgments: 'No acknowledgments yet.',
    disputes: 'Disputes',
    disputeLine: 'Line',
    disputeOpen: 'open',
    disputeWithdrawn: (at) => `withdrawn ${at}`,
    noDisputes: 'No disputes.',
    disputedMark: 'disputed',
    fingerprint: 'Statement fingerprint (SHA-256)',
    shareNote: 'Share columns show every party’s share of each sale line, refund and return.',
    kinds: journalKindWords.en,
    roles: {
      producer: 'Producer',
      venue: 'Venue',
      cooperative: 'Cooperative',
      core_partner: 'Core partner',
      platform: 'Platform',
      payment_fee: 'Payment fee',
      tax: 'Tax',
    },
  },
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => escapes[ch] as string)
}

const css = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 10pt;
  color: #1a1a1a; margin: 0 auto; max-width: 210mm; padding: 12mm; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.place { color: #555; }
table { width: 100%; border-collapse: collapse; margin-top: 2mm; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.6mm; vertical-align: top; }
th { background: #eee; text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td, tr.balance td { font-weight: 600; background: #f6f6f6; }
tr.disputed td { background: #fff1f0; }
.mark { color: #a8071a; font-weight: 600; font-size: 8.5pt; }
.rule { display: block; font-weight: 400; color: #555; font-size: 8pt; }
.status { display: inline-block; padding: 1mm 3mm; border: 1.5px solid currentColor; border-radius: 2mm;
  font-weight: 700; }
.status-acknowledged { color: #176b2c; }
.status-disputed { color: #a8071a; }
.status-partly_acknowledged, .status-open { color: #8a5a00; }
.stale { color: #a8071a; }
ul.reviews { padding-left: 5mm; margin: 1mm 0; }
ul.reviews li { margin-bottom: 1.5mm; }
blockquote { margin: 1mm 0 0; padding-left: 3mm; border-left: 2px solid #bbb; white-space: pre-wrap; }
.note, footer { color: #555; font-size: 8.5pt; }
footer { margin-top: 6mm; word-break: break-all; }
@media print {
  body { padding: 0; max-width: none; font-size: 9pt; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, li { page-break-inside: avoid; break-inside: avoid; }
  h2 { page-break-after: avoid; break-after: avoid; }
  th, tr.balance td, tfoot td, tr.disputed td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`

interface ShareColumn {
  key: string
  rule: string
  role: ShareRole
  partyId: string
}

function columnsOf(entries: readonly StatementEntry[]): ShareColumn[] {
  const columns = new Map<string, ShareColumn>()
  for (const entry of entries) {
    for (const share of entry.shares) {
      const key = `${share.rule}\u0000${share.partyId}`
      if (!columns.has(key)) {
        columns.set(key, { key, rule: share.rule, role: share.role, partyId: share.partyId })
      }
    }
  }
  return [...columns.values()]
}

/**
 * The statement as a complete, print-ready HTML document (A4): the parties, the period, each
 * entry with every share column and the running balance, share and period totals, the review
 * status with who acknowledged when and every dispute with its comments, and the statement's
 * SHA-256 so the paper names exactly which numbers it shows. Amounts use `formatMoney`
 * (`Rp150.000` in Indonesian, `IDR 150,000` in English); all user-supplied text is escaped.
 */
export function statementHtml(s: Statement, options: StatementHtmlOptions): string {
  const t = texts[options.locale]
  const e = escapeHtml
  const amount = (m: Money) => e(formatMoney(m, t.intl))
  const dateOf = (d: Date) =>
    new Intl.DateTimeFormat(t.intl, {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(d)
  const dateTime = (d: Date) =>
    `${new Intl.DateTimeFormat(t.intl, {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(d)} WIB`
  const nameOf = (partyId: string) => options.parties[partyId]?.name ?? partyId
  const actorOf = (id: string) => options.actors?.[id] ?? id
  const partyBlock = (partyId: string) => {
    const place = options.parties[partyId]?.place
    return `${e(nameOf(partyId))}${place === undefined ? '' : ` <span class="place">(${e(place)})</span>`}`
  }

  const review = options.review
  const disputedRefs = new Set(
    (review?.disputes ?? []).filter((d) => d.status === 'open').map((d) => d.lineRef),
  )
  const columns = columnsOf(s.entries)
  const columnTotals = new Map(columns.map((c) => [c.key, 0]))
  const lastDay = new Date(s.to.getTime() - 1)
  const periodText =
    dateOf(s.from) === dateOf(lastDay) ? dateOf(s.from) : `${dateOf(s.from)} – ${dateOf(lastDay)}`

  const head = [
    `<th scope="col">${e(t.date)}</th>`,
    `<th scope="col">${e(t.kind)}</th>`,
    `<th scope="col">${e(t.reference)}</th>`,
    ...columns.map(
      (c) =>
        `<th scope="col" class="num">${e(t.roles[c.role])}<span class="rule">${e(nameOf(c.partyId))}${c.rule === c.role ? '' : ` · ${e(c.rule)}`}</span></th>`,
    ),
    `<th scope="col" class="num">${e(t.change)}</th>`,
    `<th scope="col" class="num">${e(t.balance)}</th>`,
  ].join('')
  const span = 3 + columns.length
  const rows: string[] = [
    `<tr class="balance"><td colspan="${span}">${e(t.opening)}</td><td class="num"></td><td class="num">${amount(s.openingBalance)}</td></tr>`,
  ]
  for (const entry of s.entries) {
    const disputed =
      disputedRefs.has(entry.transactionId) ||
      (entry.saleLineId !== null && disputedRefs.has(entry.saleLineId))
    const byColumn = new Map<string, number>()
    for (const share of entry.shares) {
      const key = `${share.rule}\u0000${share.partyId}`
      byColumn.set(key, (byColumn.get(key) ?? 0) + share.amount.amount)
      columnTotals.set(key, (columnTotals.get(key) ?? 0) + share.amount.amount)
    }
    const reference = entry.saleLineId ?? entry.source.id
    rows.push(
      [
        `<tr${disputed ? ' class="disputed"' : ''}>`,
        `<td>${e(dateTime(entry.occurredAt))}</td>`,
        `<td>${e(t.kinds[entry.kind])}${disputed ? ` <span class="mark">${e(t.disputedMark)}</span>` : ''}</td>`,
        `<td>${e(reference)}<span class="rule">${e(entry.transactionId)}</span>${entry.memo ? `<span class="rule">${e(entry.memo)}</span>` : ''}</td>`,
        ...columns.map((c) => {
          const value = byColumn.get(c.key)
          return `<td class="num">${value === undefined ? '' : amount(money(value, s.currency))}</td>`
        }),
        `<td class="num">${amount(entry.amount)}</td>`,
        `<td class="num">${amount(entry.balance)}</td>`,
        '</tr>',
      ].join(''),
    )
  }
  if (s.entries.length === 0) {
    rows.push(`<tr><td colspan="${span + 2}">${e(t.noEntries)}</td></tr>`)
  }
  rows.push(
    `<tr class="balance"><td colspan="${span}">${e(t.closing)}</td><td class="num"></td><td class="num">${amount(s.closingBalance)}</td></tr>`,
  )
  const change = money(s.closingBalance.amount - s.openingBalance.amount, s.currency)
  const foot = [
    `<tr><td colspan="3">${e(t.total)}</td>`,
    ...columns.map(
      (c) => `<td class="num">${amount(money(columnTotals.get(c.key) ?? 0, s.currency))}</td>`,
    ),
    `<td class="num">${amount(change)}</td><td class="num"></td></tr>`,
  ].join('')

  const summary = (
    [
      [t.opening, s.openingBalance],
      [t.sales, s.totals.sales],
      [t.refunds, s.totals.refunds],
      [t.returns, s.totals.returns],
      [t.adjustments, s.totals.adjustments],
      [t.payouts, s.totals.payouts],
      [t.closing, s.closingBalance],
    ] as const
  )
    .map(
      ([label, value]) =>
        `<tr><th scope="row">${e(label)}</th><td class="num">${amount(value)}</td></tr>`,
    )
    .join('')

  const reviewSection = (() => {
    if (review === undefined) return ''
    const acks =
      review.acknowledgments.length === 0
        ? `<p>${e(t.noAcknowledgments)}</p>`
        : `<ul class="reviews">${review.acknowledgments
            .map(
              (a) =>
                `<li>${e(t.acknowledgedBy(nameOf(a.partyId), actorOf(a.acknowledgedBy), dateTime(a.acknowledgedAt)))}${a.stale ? ` <span class="stale">(${e(t.stale)})</span>` : ''}</li>`,
            )
            .join('')}</ul>`
    const disputes =
      review.disputes.length === 0
        ? `<p>${e(t.noDisputes)}</p>`
        : `<ul class="reviews">${review.disputes
            .map(
              (d) =>
                `<li><strong>${e(nameOf(d.partyId))}</strong> — ${e(t.disputeLine)} ${e(d.lineRef)} — ${e(actorOf(d.openedBy))}, ${e(dateTime(d.openedAt))} — ${e(
                  d.status === 'open' || d.resolvedAt === null
                    ? t.disputeOpen
                    : t.disputeWithdrawn(dateTime(d.resolvedAt)),
                )}<blockquote>${e(d.comment)}</blockquote>${
                  d.resolutionNote === null ? '' : `<blockquote>${e(d.resolutionNote)}</blockquote>`
                }</li>`,
            )
            .join('')}</ul>`
    return [
      `<section class="review"><h2>${e(t.review)}</h2>`,
      `<p><span class="status status-${review.status}">${e(t.status[review.status])}</span></p>`,
      `<h3>${e(t.acknowledgments)}</h3>${acks}`,
      `<h3>${e(t.disputes)}</h3>${disputes}`,
      '</section>',
    ].join('')
  })()

  const title = `${t.title} — ${nameOf(s.partyId)} — ${periodText}`
  return [
    '<!DOCTYPE html>',
    `<html lang="${t.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${e(t.title)}</h1>`,
    '<dl class="meta">',
    `<dt>${e(t.party)}</dt><dd>${partyBlock(s.partyId)}</dd>`,
    `<dt>${e(t.agreement)}</dt><dd>${e(s.agreementId ?? t.allAgreements)}</dd>`,
    `<dt>${e(t.period)}</dt><dd>${e(periodText)}</dd>`,
    `<dt>${e(t.generated)}</dt><dd>${e(dateTime(options.generatedAt ?? new Date()))}</dd>`,
    '</dl></header>',
    '<main>',
    `<table class="entries"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody><tfoot>${foot}</tfoot></table>`,
    `<p class="note">${e(t.shareNote)}</p>`,
    `<h2>${e(t.summary)}</h2>`,
    `<table class="summary"><tbody>${summary}</tbody></table>`,
    reviewSection,
    '</main>',
    `<footer>${e(t.fingerprint)}: ${e(statementHash(s))}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
