/** @jsxRuntime automatic @jsxImportSource hono/jsx */

/*
 * The printable views' stylesheet. Every class starts with `p-`, so it can sit beside the
 * console's own CSS; the page rules are named pages, so printing one view does not change how
 * the rest of the console prints. System fonts only: a print must not wait for a download.
 *
 * It contains none of & < > " ' on purpose: JSX escapes the text of a <style>, and this text
 * then comes out unchanged (`PrintStyle`, and a test holds it).
 */
export const printCss = `
.p-print { color: #000; background: #fff; font-family: system-ui, sans-serif; }
/* No specificity, so that the rules below set their own margins. */
:where(.p-print) :where(p, h1, h2, dl, dd) { margin: 0; }
.p-print * { box-sizing: border-box; }

/* Price tags: 70 x 37 mm, as many as fit on screen, 3 x 8 on A4 in print. */
.p-tags { --p-brand: #000; }
.p-tags-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 2mm;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 70mm), 70mm));
  grid-auto-rows: 37mm; justify-content: center; }
.p-tag { width: 70mm; max-width: 100%; height: 37mm; overflow: hidden; display: grid;
  grid-template-columns: minmax(0, 1fr) 19mm; grid-template-rows: auto auto auto auto 1fr auto;
  column-gap: 1.5mm; padding: 2mm 2mm 1.2mm 2.5mm; border: 0.2mm dashed #999;
  font-size: 7pt; line-height: 1.2; break-inside: avoid; page-break-inside: avoid;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.p-tags-branded .p-tag { border-left: 2.5mm solid var(--p-brand); }
.p-tag p { grid-column: 1; min-width: 0; }
.p-tag-brand { display: flex; align-items: center; gap: 1mm; font-weight: 700;
  text-transform: uppercase; letter-spacing: 0.03em; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.p-tag-logo { height: 5mm; width: auto; max-width: 12mm; object-fit: contain; }
.p-tag-title { font-size: 8pt; font-weight: 600; overflow: hidden; display: -webkit-box;
  -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
.p-tag-detail { font-size: 6pt; overflow-wrap: anywhere; }
.p-tag-price { font-size: 13pt; font-weight: 800; white-space: nowrap; }
.p-tag-origin { font-size: 6.5pt; align-self: end; }
.p-tag .p-tag-qr { grid-column: 2; grid-row: 1 / 6; align-self: center; }
.p-qr { display: block; width: 100%; height: auto; }
.p-tag .p-tag-url { grid-column: 1 / 3; grid-row: 6; font-size: 4.6pt; line-height: 1.1;
  font-family: ui-monospace, monospace; overflow-wrap: anywhere; }

/* Delivery note (surat jalan): A4. */
.p-note { max-width: 186mm; margin: 0 auto; font-size: 10pt; line-height: 1.35; }
.p-note h1 { font-size: 16pt; text-transform: uppercase; letter-spacing: 0.05em; }
.p-note h2 { font-size: 8pt; font-weight: 600; text-transform: uppercase; color: #444; }
.p-note-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 2mm 6mm;
  padding-bottom: 2mm; border-bottom: 0.5mm solid #000; }
.p-note-meta { display: grid; grid-template-columns: auto auto; gap: 0 3mm; }
.p-note-meta dt { color: #444; }
.p-note-meta dd { font-weight: 600; }
.p-note-cancelled { margin-top: 3mm; padding: 2mm; border: 0.5mm solid #000;
  font-weight: 700; text-transform: uppercase; text-align: center; }
.p-note-parties { display: grid; gap: 4mm; margin: 4mm 0;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 60mm), 1fr)); }
.p-note-party { min-width: 0; overflow-wrap: anywhere; }
.p-note-party-name { font-weight: 700; }
.p-note-table { overflow-x: auto; }
.p-note-lines { width: 100%; border-collapse: collapse; }
.p-note-lines th, .p-note-lines td { border: 0.3mm solid #000; padding: 1.5mm 2mm;
  text-align: left; vertical-align: top; }
.p-note-lines thead th { font-size: 8.5pt; }
.p-note-lines .p-num { text-align: right; font-variant-numeric: tabular-nums; }
.p-note-item, .p-note-sku { display: block; }
.p-note-sku { font-size: 8pt; color: #444; }
.p-note-lines tfoot th, .p-note-lines tfoot td { font-weight: 700; }
.p-note-hint { margin-top: 1.5mm; font-size: 8pt; color: #444; }
.p-note-remark { margin-top: 3mm; }
.p-note-signs { display: grid; gap: 8mm; margin-top: 8mm; break-inside: avoid;
  page-break-inside: avoid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 60mm), 1fr)); }
.p-sign { break-inside: avoid; }
.p-sign-space { height: 24mm; border-bottom: 0.3mm solid #000; }
.p-sign-party { margin-top: 1mm; font-weight: 600; }
.p-sign-hint { font-size: 8pt; color: #444; }

/* Counter receipt: a thermal roll, 72 mm printed on 80 mm paper, 48 mm on 58 mm. */
.p-receipt { width: 72mm; max-width: 100%; padding: 3mm 0; font-size: 9pt; line-height: 1.3;
  font-variant-numeric: tabular-nums; }
.p-receipt-58 { width: 48mm; font-size: 8pt; }
.p-rc-head { text-align: center; padding-bottom: 2mm; border-bottom: 0.3mm dashed #000; }
.p-rc-venue { font-size: 11pt; font-weight: 700; }
.p-rc-lines { list-style: none; margin: 0; padding: 1mm 0; border-bottom: 0.3mm dashed #000; }
.p-rc-line { padding: 1mm 0; break-inside: avoid; }
.p-rc-item { overflow-wrap: anywhere; }
.p-rc-maker { font-size: 0.9em; }
.p-rc-amounts { display: flex; justify-content: space-between; gap: 2mm; }
.p-rc-total { display: flex; flex-wrap: wrap; justify-content: space-between; padding: 1.5mm 0;
  font-size: 11pt; font-weight: 700; }
.p-rc-paid { padding-bottom: 2mm; }
.p-rc-thanks { text-align: center; padding-top: 2mm; border-top: 0.3mm dashed #000; }

@page p-a4-sheet { size: A4; margin: 0; }
@page p-label { size: 70mm 37mm; margin: 0; }
@page p-a4-note { size: A4; margin: 12mm; }
@page p-roll { margin: 0; }

@media screen {
  .p-receipt { padding: 3mm; border: 1px solid #ccc; }
  .p-receipt-80 { width: calc(72mm + 6mm + 2px); }
  .p-receipt-58 { width: calc(48mm + 6mm + 2px); }
}

@media print {
  .p-noprint { display: none; }
  body:has(.p-print) { margin: 0; padding: 0; background: #fff; }
  .p-tags-a4 { page: p-a4-sheet; }
  .p-tags-a4 .p-tags-list { gap: 0; justify-content: start;
    grid-template-columns: repeat(3, 70mm); grid-auto-rows: 37mm; }
  .p-tags-label { page: p-label; }
  .p-tags-label .p-tags-list { display: block; }
  .p-tags-label .p-tag { border-top: 0; border-right: 0; border-bottom: 0;
    break-after: page; page-break-after: always; }
  .p-tags-label:not(.p-tags-branded) .p-tag { border-left: 0; }
  .p-note { page: p-a4-note; max-width: none; }
  .p-note-table { overflow: visible; }
  .p-note-lines .p-fill { min-width: 16mm; }
  .p-note-lines thead { display: table-header-group; }
  .p-note-lines tfoot { display: table-footer-group; }
  .p-note-lines tr { break-inside: avoid; page-break-inside: avoid; }
  .p-receipt { page: p-roll; margin: 0 auto; }
}
`

/**
 * The stylesheet as an element for a page's `<head>` (or anywhere before the view):
 * `<PrintStyle />`. JSX escapes text, which leaves this text unchanged (see above).
 */
export function PrintStyle() {
  return <style>{printCss}</style>
}
