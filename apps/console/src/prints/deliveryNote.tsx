/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Schemas } from '@mitra/sdk/store'
import { date, dateTime, type Locale, pick } from '../format.js'
import { optionsText, type Texts } from './common.js'

const strings = {
  id: {
    title: 'Surat jalan',
    number: 'Nomor',
    sentOn: 'Tanggal kirim',
    receivedOn: 'Diterima',
    cancelled: 'Surat jalan ini dibatalkan',
    from: 'Dari (pengirim)',
    to: 'Kepada (penerima)',
    phone: (phone: string) => `Telp. ${phone}`,
    no: 'No.',
    product: 'Barang',
    sent: 'Dikirim',
    counted: 'Diterima',
    short: 'Kurang/rusak',
    extra: (n: number) => `+${n} lebih`,
    total: 'Jumlah',
    fillIn: 'Kolom “Diterima” dan “Kurang/rusak” diisi penerima saat menghitung barang.',
    note: 'Catatan',
    receivedNote: 'Catatan penerimaan',
    sentBy: 'Dikirim oleh',
    receivedBy: 'Diterima oleh',
    signHere: 'Nama, tanda tangan & tanggal',
  },
  en: {
    title: 'Delivery note',
    number: 'Number',
    sentOn: 'Date sent',
    receivedOn: 'Received',
    cancelled: 'This delivery note is cancelled',
    from: 'From (sender)',
    to: 'To (recipient)',
    phone: (phone: string) => `Tel. ${phone}`,
    no: 'No.',
    product: 'Item',
    sent: 'Sent',
    counted: 'Received',
    short: 'Short/damaged',
    extra: (n: number) => `+${n} extra`,
    total: 'Total',
    fillIn: 'The recipient fills in “Received” and “Short/damaged” when counting the goods.',
    note: 'Note',
    receivedNote: 'Note on receipt',
    sentBy: 'Sent by',
    receivedBy: 'Received by',
    signHere: 'Name, signature & date',
  },
} satisfies Record<Locale, unknown>

/** The delivery itself, from the API's `Delivery`. */
export interface DeliveryNoteInfo {
  /** `Delivery.note_number`: the producer's own surat jalan number. */
  number: string
  /** `Delivery.status`. */
  status: 'sent' | 'received' | 'cancelled'
  /** `Delivery.sent_at` (ISO): printed as the day in Jakarta. */
  sentAt: string
  /** `Delivery.received_at` (ISO), once the venue has counted. */
  receivedAt?: string | null
  /** `Delivery.note`: the sender's note. */
  note?: string | null
  /** `Delivery.received_note`: the venue's note when counting. */
  receivedNote?: string | null
}

/** A party by name and address: `Party.name`, `PartnerProfile.location` (see `addressText`). */
export interface DeliveryNoteParty {
  name: string
  address?: string | null
  /** `Party.profile.phone`. */
  phone?: string | null
}

/** One line of `Delivery.lines`, with its product named. */
export interface DeliveryNoteLine {
  /** `Product.title` of the line's variant. */
  title: Texts
  /** `Variant.sku`. */
  sku: string
  /** `Variant.options`. */
  options?: Readonly<Record<string, string>>
  /** `quantity_sent`. */
  sent: number
  /** `quantity_received`: null until the venue has counted, and the boxes stay blank to write in. */
  counted: number | null
}

export interface DeliveryNotePrintProps {
  locale: Locale
  note: DeliveryNoteInfo
  /** The producer group sending the goods. */
  producer: DeliveryNoteParty
  /** The venue receiving them on consignment. */
  venue: DeliveryNoteParty
  lines: readonly DeliveryNoteLine[]
}

/** What the routes know of a variant, to name a delivery's lines: `Product.title` and the `Variant`. */
export interface DeliveryVariant {
  title: Texts
  sku: string
  options?: Readonly<Record<string, string>>
}

/**
 * The note and lines of a `Delivery` as the print takes them. `variants` names each line by
 * `variant_id`; a variant missing from it (deleted since) is still printed, by its id, because
 * a signed surat jalan must list everything that was sent.
 */
export function deliveryNoteFromApi(
  delivery: Schemas['Delivery'],
  variants: ReadonlyMap<string, DeliveryVariant>,
): { note: DeliveryNoteInfo; lines: DeliveryNoteLine[] } {
  return {
    note: {
      number: delivery.note_number,
      status: delivery.status,
      sentAt: delivery.sent_at,
      receivedAt: delivery.received_at,
      note: delivery.note,
      receivedNote: delivery.received_note,
    },
    lines: delivery.lines.map((line) => {
      const variant = variants.get(line.variant_id)
      return {
        title: variant?.title ?? { id: line.variant_id },
        sku: variant?.sku ?? '',
        ...(variant?.options ? { options: variant.options } : {}),
        sent: line.quantity_sent,
        counted: line.quantity_received,
      }
    }),
  }
}

function PartyBlock({
  heading,
  party,
  t,
}: {
  heading: string
  party: DeliveryNoteParty
  t: Strings
}) {
  return (
    <section class="p-note-party">
      <h2>{heading}</h2>
      <p class="p-note-party-name">{party.name}</p>
      {party.address ? <p>{party.address}</p> : null}
      {party.phone ? <p>{t.phone(party.phone)}</p> : null}
    </section>
  )
}

type Strings = (typeof strings)[Locale]

/**
 * What is short (missing or damaged: the API counts them together, `discrepancy` = received −
 * sent) and what came over, as the venue writes it: `2`, `+1 lebih`, `2 · +1 lebih`.
 */
function differenceText(short: number, extra: number, t: Strings): string {
  return extra > 0 ? (short > 0 ? `${short} · ${t.extra(extra)}` : t.extra(extra)) : String(short)
}

/** `Kurang/<wbr>rusak`: a narrow screen may break the heading after its slash. */
function slashBreaks(text: string) {
  return text.split('/').flatMap((part, i) => (i === 0 ? [part] : ['/', <wbr />, part]))
}

const shortOf = (line: DeliveryNoteLine) =>
  line.counted === null ? 0 : Math.max(0, line.sent - line.counted)
const extraOf = (line: DeliveryNoteLine) =>
  line.counted === null ? 0 : Math.max(0, line.counted - line.sent)

/**
 * A surat jalan to print, carry with the goods and sign on both sides: number and date, from
 * the producer to the venue, each line sent and (once counted) received and short, the totals,
 * and two signature boxes. Before receipt the received columns are blank boxes to fill in by
 * hand. Style: `printCss`.
 */
export function DeliveryNotePrint({
  locale,
  note,
  producer,
  venue,
  lines,
}: DeliveryNotePrintProps) {
  const t = strings[locale]
  const counted = lines.every((line) => line.counted !== null)
  const totalSent = lines.reduce((sum, line) => sum + line.sent, 0)
  const totalCounted = lines.reduce((sum, line) => sum + (line.counted ?? 0), 0)
  // Summed line by line: one line short and another over must not print as "nothing short".
  const totalShort = lines.reduce((sum, line) => sum + shortOf(line), 0)
  const totalExtra = lines.reduce((sum, line) => sum + extraOf(line), 0)
  return (
    <article class="p-print p-note" lang={locale}>
      <header class="p-note-head">
        <h1>{t.title}</h1>
        <dl class="p-note-meta">
          <dt>{t.number}</dt>
          <dd>{note.number}</dd>
          <dt>{t.sentOn}</dt>
          <dd>
            <time datetime={note.sentAt}>{date(note.sentAt, locale)}</time>
          </dd>
          {note.receivedAt ? (
            <>
              <dt>{t.receivedOn}</dt>
              <dd>
                <time datetime={note.receivedAt}>{dateTime(note.receivedAt, locale)}</time>
              </dd>
            </>
          ) : null}
        </dl>
      </header>
      {note.status === 'cancelled' ? <p class="p-note-cancelled">{t.cancelled}</p> : null}
      <div class="p-note-parties">
        <PartyBlock heading={t.from} party={producer} t={t} />
        <PartyBlock heading={t.to} party={venue} t={t} />
      </div>
      <div class="p-note-table">
        <table class="p-note-lines">
          <thead>
            <tr>
              <th scope="col" class="p-num">
                {t.no}
              </th>
              <th scope="col">{t.product}</th>
              <th scope="col" class="p-num">
                {t.sent}
              </th>
              <th scope="col" class="p-num">
                {t.counted}
              </th>
              <th scope="col" class="p-num">
                {slashBreaks(t.short)}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => {
              const details = [optionsText(line.options), line.sku].filter(Boolean).join(' · ')
              return (
                <tr>
                  <td class="p-num">{i + 1}</td>
                  <td>
                    <span class="p-note-item">{pick(line.title, locale)}</span>
                    {details ? <span class="p-note-sku">{details}</span> : null}
                  </td>
                  <td class="p-num">{line.sent}</td>
                  <td class="p-num p-fill">{line.counted ?? ''}</td>
                  <td class="p-num p-fill">
                    {line.counted === null ? '' : differenceText(shortOf(line), extraOf(line), t)}
                  </td>
                </tr>
              )
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan={2}>
                {t.total}
              </th>
              <td class="p-num">{totalSent}</td>
              <td class="p-num p-fill">{counted ? totalCounted : ''}</td>
              <td class="p-num p-fill">
                {counted ? differenceText(totalShort, totalExtra, t) : ''}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {counted ? null : <p class="p-note-hint">{t.fillIn}</p>}
      {note.note ? (
        <p class="p-note-remark">
          <strong>{t.note}:</strong> {note.note}
        </p>
      ) : null}
      {note.receivedNote ? (
        <p class="p-note-remark">
          <strong>{t.receivedNote}:</strong> {note.receivedNote}
        </p>
      ) : null}
      <div class="p-note-signs">
        <section class="p-sign">
          <h2>{t.sentBy}</h2>
          <div class="p-sign-space" />
          <p class="p-sign-party">{producer.name}</p>
          <p class="p-sign-hint">{t.signHere}</p>
        </section>
        <section class="p-sign">
          <h2>{t.receivedBy}</h2>
          <div class="p-sign-space" />
          <p class="p-sign-party">{venue.name}</p>
          <p class="p-sign-hint">{t.signHere}</p>
        </section>
      </div>
    </article>
  )
}
