// Every word the widget shows, in Indonesian (the default) and English: one small table.
// Each entry is `Indonesian|English`; `{0}`, `{1}` are filled in by `translate`. Values are
// always set as text, never as HTML.

export type Locale = 'id' | 'en'

export const strings = {
  loading: 'Memuat…|Loading…',
  empty: 'Rak ini sedang kosong.|Nothing on this shelf now.',
  gone: 'Produk ini tidak tersedia.|This product is not available.',
  setup: 'Cek data-key dan venue.|Check data-key and venue.',
  origin:
    'Situs ini ({0}) tidak diizinkan kunci toko.|This site ({0}) is not allowed by the shop’s key.',
  badKey: 'Kunci toko tidak berlaku.|The shop’s key is invalid or revoked.',
  offline: 'Toko tidak dapat dihubungi.|The shop cannot be reached.',
  failed: 'Gagal: {0}|Failed: {0}',
  left: 'Sisa {0}|{0} left',
  soldOut: 'Habis|Sold out',
  option: 'Pilihan|Option',
  add: 'Tambah ke keranjang|Add to cart',
  onlyLeft: 'Hanya tersisa {0}.|Only {0} left.',
  added: '{0} masuk keranjang.|{0} added to the cart.',
  removed: '{0} dihapus.|{0} removed.',
  quantity: '{0}: {1}.|{0}: {1}.',
  cart: 'Keranjang|Cart',
  cartCount: 'Keranjang, {0} barang|Cart, items: {0}',
  close: 'Tutup keranjang|Close the cart',
  cartEmpty: 'Keranjang kosong.|The cart is empty.',
  expired:
    'Keranjang lama Anda kedaluwarsa dan dikosongkan.|Your earlier cart expired and was emptied.',
  lineSoldOut: 'Habis sejak ditambahkan; hapus dulu.|Sold out since added; remove it.',
  lineShort: 'Tinggal {0}; kurangi jumlahnya.|Only {0} left; lower the quantity.',
  lineGone: 'Tidak dijual lagi; hapus dulu.|No longer sold; remove it.',
  less: 'Kurangi {0}|One less {0}',
  more: 'Tambah {0}|One more {0}',
  remove: 'Hapus {0}|Remove {0}',
  from: 'Dari {0}|From {0}',
  payFor: 'Bayar barang dari|Pay for the goods from',
  howToGet: 'Cara menerima|How you get it',
  pickup: 'Ambil di tempat|Pick up at the venue',
  delivery: 'Dikirim ({0})|Delivery ({0})',
  name: 'Nama|Name',
  phone: 'Nomor HP|Phone number',
  address: 'Alamat|Street address',
  city: 'Kota|City',
  postal: 'Kode pos|Postal code',
  pay: 'Bayar {0}|Pay {0}',
  redirecting: 'Membuka pembayaran…|Opening the payment…',
  fixCart: 'Perbaiki keranjang dulu.|Fix the cart first.',
  paid: 'Pesanan {0} sudah dibayar. Terima kasih!|Order {0} is paid. Thank you!',
  pending: 'Pesanan {0} menunggu pembayaran.|Order {0} awaits its payment.',
  payFailed: 'Pembayaran {0} gagal; tidak ada tagihan.|Payment of {0} failed; nothing charged.',
  orderExpired: 'Pesanan {0} kedaluwarsa; tidak ada tagihan.|Order {0} expired; nothing charged.',
  refunded: 'Dana pesanan {0} dikembalikan.|Order {0} was refunded.',
}

export type StringKey = keyof typeof strings

/** `data-locale` as the widget understands it: `en`, or Indonesian for anything else. */
export function localeOf(value: string | null | undefined): Locale {
  return value?.trim().toLowerCase().startsWith('en') ? 'en' : 'id'
}

/** The string `key` in `locale`, with `{0}`, `{1}`… replaced by `args` (as text). */
export function translate(locale: Locale, key: StringKey, ...args: (string | number)[]): string {
  const text = strings[key].split('|')[locale === 'en' ? 1 : 0] as string
  return text.replace(/\{(\d)\}/g, (_, index: string) => String(args[Number(index)] ?? ''))
}
