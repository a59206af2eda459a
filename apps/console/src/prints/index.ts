// The printable views: pure functions of plain data to Hono JSX, styled by `printCss`.
export type { Money, Texts } from './common.js'
export { addressText } from './common.js'
export {
  type DeliveryNoteInfo,
  type DeliveryNoteLine,
  type DeliveryNoteParty,
  DeliveryNotePrint,
  type DeliveryNotePrintProps,
  type DeliveryVariant,
  deliveryNoteFromApi,
} from './deliveryNote.js'
export {
  type PriceTagBrand,
  type PriceTagItem,
  PriceTagSheet,
  type PriceTagSheetProps,
} from './priceTags.js'
export { QrCode } from './qr.js'
export {
  CounterReceipt,
  type CounterReceiptProps,
  type ReceiptLine,
  type ReceiptMaker,
  type ReceiptSale,
  type ReceiptVenue,
} from './receipt.js'
export { PrintStyle, printCss } from './style.js'
