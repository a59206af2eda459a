import { describe, expect, it } from 'vitest'
import { DeliveryNotePrint } from './deliveryNote.js'
import { PriceTagSheet } from './priceTags.js'
import { CounterReceipt } from './receipt.js'
import { PrintStyle, printCss } from './style.js'
import { brand, noteLines, producer, receiptLines, tagItem, venue } from './testing.js'

describe('printCss', () => {
  it('holds none of the characters JSX escapes, so a <style> prints it unchanged', () => {
    expect(printCss).not.toMatch(/[&<>"']/)
    expect(String(PrintStyle())).toBe(`<style>${printCss}</style>`)
  })

  it('prints A4 sheets, 70 × 37 mm labels and a roll, as named pages', () => {
    expect(printCss).toContain('@page p-a4-sheet { size: A4; margin: 0; }')
    expect(printCss).toContain('@page p-label { size: 70mm 37mm; margin: 0; }')
    expect(printCss).toContain('grid-template-columns: repeat(3, 70mm); grid-auto-rows: 37mm;')
    expect(printCss).toContain('@media print')
    expect(printCss).not.toMatch(/@import|@font-face|url\(/)
  })

  it('styles every class the views print', () => {
    const html = [
      PriceTagSheet({ locale: 'id', brand, items: [tagItem()] }),
      PriceTagSheet({ locale: 'id', brand, items: [tagItem()], sheet: 'label' }),
      DeliveryNotePrint({
        locale: 'id',
        note: { number: '1', status: 'cancelled', sentAt: '2026-12-06T00:00:00Z', note: 'n' },
        producer,
        venue,
        lines: noteLines(),
      }),
      CounterReceipt({
        locale: 'id',
        venue,
        sale: { receiptNumber: '1' },
        lines: receiptLines(),
        paidWith: 'cash',
        receivedAt: '2026-12-06T00:00:00Z',
      }),
      CounterReceipt({
        locale: 'id',
        venue,
        sale: { receiptNumber: '1' },
        lines: receiptLines(),
        paidWith: 'cash',
        receivedAt: '2026-12-06T00:00:00Z',
        paper: 58,
      }),
    ].join('')
    const classes = new Set(
      [...html.matchAll(/class="([^"]*)"/g)].flatMap(([, c]) => c!.split(' ')),
    )
    const unstyled = [...classes].filter((c) => !new RegExp(`\\.${c}(?![\\w-])`).test(printCss))
    expect(unstyled).toEqual([])
    expect(classes.size).toBeGreaterThan(40)
  })
})
