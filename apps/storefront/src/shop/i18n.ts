import { formatMoney } from '@mitra/core/money-format'

/** The shop's languages: Indonesian first (the default, at `/`), English under `/en`. */
export const locales = ['id', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'id'

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (locales as readonly string[]).includes(value)

/** The other language, for the switch in the header. */
export const otherLocale = (locale: Locale): Locale => (locale === 'id' ? 'en' : 'id')

/**
 * A page's path in a language: `/products/x` is Indonesian, `/en/products/x` English. Every
 * page has both, and the language lives in the URL (a search engine sees each), while the
 * buyer's choice is remembered in a cookie.
 */
export function localePath(locale: Locale, path: string): string {
  if (locale === defaultLocale) return path
  return path === '/' ? '/en' : `/en${path}`
}

/** The language of a path and the path without its prefix: `/en/cart` → `en`, `/cart`. */
export function splitLocale(path: string): { locale: Locale; path: string } {
  if (path === '/en' || path === '/en/') return { locale: 'en', path: '/' }
  if (path.startsWith('/en/')) return { locale: 'en', path: path.slice(3) }
  return { locale: 'id', path }
}

/** `Rp350.000` in Indonesian, `IDR 350,000` in English (as the widget writes it). */
export function money(amount: { amount: number; currency: string }, locale: Locale): string {
  return formatMoney(amount, locale === 'id' ? 'id-ID' : 'en')
}

/** Text the API gives in both languages: English when asked for and present, else Indonesian. */
export function pick(
  text: { id: string | null; en?: string | null } | null | undefined,
  locale: Locale,
): string {
  if (text == null) return ''
  if (locale === 'en' && text.en) return text.en
  return text.id ?? text.en ?? ''
}

const id = {
  lang: 'Bahasa Indonesia',
  skip: 'Langsung ke isi',
  menu: 'Menu utama',
  shopName: 'mitra',
  tagline: 'Produk desa dengan merek pembuatnya sendiri',
  homeTitle: 'Belanja langsung dari kelompok usaha desa',
  homeIntro:
    'Batik, mainan kayu, madu dan camilan dari kelompok usaha desa, dengan merek mereka sendiri. Beli online, ambil di kafe atau galeri mitra, atau minta dikirim.',
  search: 'Cari',
  searchLabel: 'Cari produk',
  searchPlaceholder: 'batik, madu, mainan kayu…',
  searchTitle: (q: string) => (q ? `Hasil pencarian “${q}”` : 'Cari produk'),
  searchNone: (q: string) => `Tidak ada produk yang cocok dengan “${q}”.`,
  searchHint: 'Tulis kata, "frasa", atau -kata untuk dikecualikan.',
  nextPage: 'Halaman berikutnya',
  makers: 'Para pembuat',
  makersIntro: 'Kelompok usaha menurut klaster dan desanya.',
  village: (name: string) => `Desa ${name}`,
  members: 'Anggota',
  newest: 'Baru datang',
  venues: 'Tempat membeli',
  venuesIntro: 'Kafe dan galeri yang memajang barang-barang ini.',
  allProducts: 'Semua produk',
  noProducts: 'Belum ada produk yang dijual.',
  madeBy: 'Dibuat oleh',
  origin: 'Asal',
  story: 'Cerita kami',
  collectiveMark: 'Merek kolektif',
  products: 'Produk',
  whereToFind: 'Di mana menemukannya',
  notOnShelf: 'Saat ini belum ada di rak mitra mana pun.',
  from: (price: string) => `mulai ${price}`,
  variants: 'Pilihan',
  material: 'Bahan',
  availableAt: 'Tersedia di',
  left: (n: number) => `Sisa ${n}`,
  soldOut: 'Habis',
  quantity: 'Jumlah',
  addToCart: 'Tambah ke keranjang',
  pickupHere: 'Bisa diambil di sini',
  deliveryRate: (rate: string) => `Kirim ${rate}`,
  onShelf: 'Di rak sekarang',
  shelfEmpty: 'Rak ini sedang kosong.',
  website: 'Situs',
  phone: 'Telepon',
  cart: 'Keranjang',
  cartCount: (n: number) => `Keranjang (${n})`,
  cartEmpty: 'Keranjang Anda masih kosong.',
  continueShopping: 'Lanjut belanja',
  cartFrom: (venue: string) => `Dari ${venue}`,
  update: 'Ubah',
  remove: 'Hapus',
  removeLine: (name: string) => `Hapus ${name}`,
  quantityOf: (name: string) => `Jumlah ${name}`,
  subtotal: 'Subtotal',
  checkoutVenue: (venue: string) => `Bayar pesanan dari ${venue}`,
  severalVenues:
    'Keranjang ini berisi barang dari beberapa tempat. Setiap tempat adalah penjual sendiri: bayar satu per satu.',
  added: 'Barang masuk keranjang.',
  updated: 'Keranjang diperbarui.',
  removed: 'Barang dihapus dari keranjang.',
  checkout: 'Pembayaran',
  checkoutFrom: (venue: string) => `Pesanan dari ${venue}`,
  fulfilment: 'Cara menerima',
  pickup: 'Ambil sendiri',
  pickupAt: (venue: string) => `Ambil di ${venue}`,
  deliveryFor: (rate: string) => `Dikirim (ongkos ${rate})`,
  address: 'Alamat pengiriman',
  addressNote: 'Isi hanya bila pesanan dikirim.',
  line1: 'Alamat',
  line2: 'Alamat (lanjutan)',
  city: 'Kota/kabupaten',
  province: 'Provinsi',
  postalCode: 'Kode pos',
  notes: 'Catatan untuk kurir',
  you: 'Data Anda',
  name: 'Nama',
  phoneField: 'Nomor HP',
  email: 'Email (tidak wajib)',
  provider: 'Cara membayar',
  providers: {
    demo: 'Demo (tanpa uang sungguhan)',
    midtrans: 'Midtrans: QRIS, virtual account, e-wallet',
    stripe: 'Kartu (Stripe)',
  } as Record<string, string>,
  payNext: 'Lanjut ke pembayaran',
  total: 'Total',
  deliveryFee: 'Ongkos kirim',
  deliveryIfAny: 'Ongkos kirim (bila dikirim)',
  fixFields: 'Periksa isian yang ditandai.',
  stockChanged:
    'Stok berubah sejak barang masuk keranjang. Periksa keranjang Anda, lalu coba lagi.',
  notEnough: 'Stok tidak cukup untuk jumlah itu. Lihat sisa stok di bawah.',
  providerDown: 'Layanan pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar lagi.',
  tooManyUnits:
    'Jumlah barang melebihi batas satu pesanan di tempat ini. Kurangi jumlahnya, lalu coba lagi.',
  tooManyUnitsHeld:
    'Anda sudah menahan banyak barang di pesanan yang belum dibayar di tempat ini. Bayar atau batalkan pesanan itu dulu.',
  order: (id: string) => `Pesanan ${id}`,
  orderTitle: 'Pesanan Anda',
  status: {
    pending_payment: 'Menunggu pembayaran',
    paid: 'Sudah dibayar',
    ready_for_pickup: 'Siap diambil',
    shipped: 'Sedang dikirim',
    completed: 'Selesai',
    expired: 'Kedaluwarsa: tidak dibayar tepat waktu',
    canceled: 'Dibatalkan',
    partially_refunded: 'Dikembalikan sebagian',
    refunded: 'Dikembalikan',
  } as Record<string, string>,
  paidThanks: 'Terima kasih! Pembayaran diterima; penjual akan menyiapkan pesanan Anda.',
  payNow: 'Bayar sekarang',
  payBy: (time: string) => `Bayar sebelum ${time}.`,
  cancelOrder: 'Batalkan pesanan',
  canceled: 'Pesanan dibatalkan.',
  bookmark: 'Simpan alamat halaman ini untuk melihat pesanan Anda lagi.',
  pickupFrom: (venue: string) => `Diambil di ${venue}`,
  deliverTo: (city: string) => `Dikirim ke ${city}`,
  notFound: 'Halaman tidak ditemukan',
  notFoundText: 'Halaman yang Anda cari tidak ada atau sudah dipindah.',
  failed: 'Ada yang salah',
  failedText: 'Maaf, halaman ini tidak bisa ditampilkan sekarang. Coba lagi sebentar lagi.',
  backHome: 'Kembali ke beranda',
  footer:
    'Setiap penjualan dibagi secara tepat antara pembuat, tempat penjual, koperasi dan platform.',
  by: (maker: string) => `oleh ${maker}`,
  categories: {
    batik: 'Batik',
    textile: 'Tekstil',
    wooden_toys: 'Mainan kayu',
    educational_toys: 'Alat permainan edukatif',
    snacks: 'Camilan',
    honey: 'Madu',
    natural_dye: 'Pewarna alami',
    masks: 'Topeng',
    bamboo: 'Bambu',
    pottery: 'Gerabah',
    stone_craft: 'Kerajinan batu',
    other: 'Lainnya',
  } as Record<string, string>,
}

export type Strings = typeof id

const en: Strings = {
  lang: 'English',
  skip: 'Skip to content',
  menu: 'Main menu',
  shopName: 'mitra',
  tagline: 'Village goods under their makers’ own brands',
  homeTitle: 'Buy straight from village producer groups',
  homeIntro:
    'Batik, wooden toys, honey and snacks from village producer groups, under their own brands. Buy online, pick up at a partner café or gallery, or have it delivered.',
  search: 'Search',
  searchLabel: 'Search products',
  searchPlaceholder: 'batik, honey, wooden toys…',
  searchTitle: (q: string) => (q ? `Search results for “${q}”` : 'Search products'),
  searchNone: (q: string) => `No product matches “${q}”.`,
  searchHint: 'Type words, "phrases", or -words to leave out.',
  nextPage: 'Next page',
  makers: 'The makers',
  makersIntro: 'Producer groups by cluster and village.',
  village: (name: string) => `${name} village`,
  members: 'Members',
  newest: 'Just in',
  venues: 'Where to buy',
  venuesIntro: 'The cafés and galleries that have these goods on their shelves.',
  allProducts: 'All products',
  noProducts: 'Nothing is for sale yet.',
  madeBy: 'Made by',
  origin: 'Origin',
  story: 'Our story',
  collectiveMark: 'Collective mark',
  products: 'Products',
  whereToFind: 'Where to find them',
  notOnShelf: 'Not on any partner’s shelf right now.',
  from: (price: string) => `from ${price}`,
  variants: 'Options',
  material: 'Materials',
  availableAt: 'Available at',
  left: (n: number) => `${n} left`,
  soldOut: 'Sold out',
  quantity: 'Quantity',
  addToCart: 'Add to cart',
  pickupHere: 'Pick up here',
  deliveryRate: (rate: string) => `Delivery ${rate}`,
  onShelf: 'On the shelf now',
  shelfEmpty: 'This shelf is empty right now.',
  website: 'Website',
  phone: 'Phone',
  cart: 'Cart',
  cartCount: (n: number) => `Cart (${n})`,
  cartEmpty: 'Your cart is empty.',
  continueShopping: 'Continue shopping',
  cartFrom: (venue: string) => `From ${venue}`,
  update: 'Update',
  remove: 'Remove',
  removeLine: (name: string) => `Remove ${name}`,
  quantityOf: (name: string) => `Quantity of ${name}`,
  subtotal: 'Subtotal',
  checkoutVenue: (venue: string) => `Pay for the order from ${venue}`,
  severalVenues:
    'This cart holds goods from several places. Each is its own seller: pay for one at a time.',
  added: 'Added to your cart.',
  updated: 'Cart updated.',
  removed: 'Removed from your cart.',
  checkout: 'Checkout',
  checkoutFrom: (venue: string) => `Order from ${venue}`,
  fulfilment: 'How you get it',
  pickup: 'Pick up',
  pickupAt: (venue: string) => `Pick up at ${venue}`,
  deliveryFor: (rate: string) => `Delivery (${rate})`,
  address: 'Delivery address',
  addressNote: 'Only for delivery.',
  line1: 'Address',
  line2: 'Address (continued)',
  city: 'City or regency',
  province: 'Province',
  postalCode: 'Postal code',
  notes: 'Notes for the courier',
  you: 'About you',
  name: 'Name',
  phoneField: 'Mobile number',
  email: 'Email (optional)',
  provider: 'How to pay',
  providers: {
    demo: 'Demo (no real money)',
    midtrans: 'Midtrans: QRIS, virtual account, e-wallet',
    stripe: 'Card (Stripe)',
  },
  payNext: 'Continue to payment',
  total: 'Total',
  deliveryFee: 'Delivery',
  deliveryIfAny: 'Delivery (if delivered)',
  fixFields: 'Please check the marked fields.',
  stockChanged:
    'The stock changed since this went into your cart. Check your cart, then try again.',
  notEnough: 'Not enough left for that quantity. See what is left below.',
  providerDown: 'The payment service cannot be reached right now. Please try again shortly.',
  tooManyUnits:
    'That is more than one order may hold at this venue. Lower the quantities, then try again.',
  tooManyUnitsHeld:
    'You already hold many items in unpaid orders at this venue. Pay for or cancel those orders first.',
  order: (id: string) => `Order ${id}`,
  orderTitle: 'Your order',
  status: {
    pending_payment: 'Waiting for payment',
    paid: 'Paid',
    ready_for_pickup: 'Ready for pickup',
    shipped: 'On its way',
    completed: 'Completed',
    expired: 'Expired: not paid in time',
    canceled: 'Canceled',
    partially_refunded: 'Partly refunded',
    refunded: 'Refunded',
  },
  paidThanks: 'Thank you! Your payment was received; the seller will prepare your order.',
  payNow: 'Pay now',
  payBy: (time: string) => `Please pay before ${time}.`,
  cancelOrder: 'Cancel order',
  canceled: 'The order was canceled.',
  bookmark: 'Keep this page’s address to see your order again.',
  pickupFrom: (venue: string) => `Pick up at ${venue}`,
  deliverTo: (city: string) => `Delivered to ${city}`,
  notFound: 'Page not found',
  notFoundText: 'The page you are looking for does not exist or has moved.',
  failed: 'Something went wrong',
  failedText: 'Sorry, this page cannot be shown right now. Please try again shortly.',
  backHome: 'Back to the home page',
  footer: 'Every sale is split exactly between maker, venue, cooperative and platform.',
  by: (maker: string) => `by ${maker}`,
  categories: {
    batik: 'Batik',
    textile: 'Textiles',
    wooden_toys: 'Wooden toys',
    educational_toys: 'Educational toys',
    snacks: 'Snacks',
    honey: 'Honey',
    natural_dye: 'Natural dye',
    masks: 'Masks',
    bamboo: 'Bamboo',
    pottery: 'Pottery',
    stone_craft: 'Stone craft',
    other: 'Other',
  },
}

export const strings: Record<Locale, Strings> = { id, en }

/** A moment as people read it in Jakarta: `6 Des 2026, 14.30` / `6 Dec 2026, 14:30`. */
export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso))
}
