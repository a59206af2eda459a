import type { Locale } from '../format.js'

/**
 * The words of a venue's stock screens (the shelf, stok opname, returns to the maker), the
 * maker's confirmation of a return, and a statement line dispute, in Indonesian (the
 * default) and English. Kept apart from i18n.ts so that these screens own their words.
 */
const id = {
  // The shelf
  shelfTitle: 'Stok di rak',
  shelfLead: 'Barang titipan yang ada di rak sekarang, per pembuat.',
  emptyShelf: 'Belum ada barang titipan di rak.',
  held: 'Dipesan',
  age: 'Umur barang',
  fresh: 'Masih dalam masa titip',
  /** A lot past what the agreement allows (consignment period and grace). */
  lotExpired: (units: number, age: string, since: string) =>
    `${units} unit sudah ${age} di rak: lewat batas perjanjian sejak ${since}`,
  /** A lot past its consignment period, in grace. */
  lotGrace: (units: number, age: string, until: string) =>
    `${units} unit sudah ${age} di rak: masa titip habis, masa tenggang sampai ${until}`,
  /** A lot whose time runs out soon. */
  lotExpiring: (units: number, left: string, on: string) =>
    `${units} unit: masa titip habis dalam ${left} (${on})`,
  tooOld: (units: number) =>
    `${units} unit sudah lewat batas perjanjian. Kembalikan ke pembuatnya atau bicarakan diskon.`,
  countAction: 'Hitung stok (stok opname)',
  returnAction: 'Kembalikan barang ke pembuat',
  someProduct: 'Produk yang tidak lagi dijual',
  someMaker: 'Pembuat lain',
  // Stok opname
  countTitle: 'Stok opname',
  countLead:
    'Hitung barang di rak satu per satu dan isi jumlahnya; biarkan kosong yang tidak dihitung. Selisih dengan catatan disimpan, dan pembuatnya melihatnya.',
  expected: 'Tercatat',
  countReason: 'Catatan hitungan',
  countReasonDefault: 'Stok opname',
  countSubmit: 'Simpan hasil hitungan',
  ownerOnly: 'Hanya pemilik usaha yang boleh mencatat stok opname.',
  nothingOnShelf: 'Tidak ada barang untuk dihitung.',
  nothingCounted: 'Isi jumlah paling sedikit satu barang.',
  countResultTitle: 'Hasil stok opname',
  countedOn: (when: string) => `Dihitung ${when}.`,
  differencesLead: 'Selisih yang dicatat (stok di rak sudah disesuaikan):',
  short: (product: string, units: number) => `${product}: ${units} kurang`,
  over: (product: string, units: number) => `${product}: ${units} lebih`,
  noDifference: 'Tidak ada selisih: semua barang cocok dengan catatan.',
  backToShelf: 'Kembali ke stok',
  // Returns
  returnsTitle: 'Pengembalian ke pembuat',
  returnsToMe: 'Barang yang dikembalikan ke saya',
  noReturns: 'Belum ada pengembalian.',
  returnStatus: {
    requested: 'Menunggu konfirmasi pembuat',
    confirmed: 'Diterima pembuat',
    cancelled: 'Dibatalkan',
  } as Record<string, string>,
  returnStatusMaker: {
    requested: 'Perlu Anda konfirmasi',
    confirmed: 'Sudah Anda terima',
    cancelled: 'Dibatalkan',
  } as Record<string, string>,
  returnSource: {
    venue: 'Diminta oleh tempat penjualan',
    producer: 'Diminta oleh pembuat',
    expiry: 'Masa titip habis',
  } as Record<string, string>,
  requestedOn: (when: string) => `diminta ${when}`,
  asked: (product: string, units: number) => `${product}: ${units}`,
  askedAndBack: (product: string, asked: number, back: number) =>
    `${product}: ${asked} diminta, ${back} diterima`,
  newReturn: 'Kembalikan barang',
  maker: 'Pembuat',
  choose: 'Pilih',
  returnLead: (maker: string) =>
    `Isi jumlah yang dikembalikan ke ${maker}. Stok di rak berkurang setelah ${maker} mengonfirmasi barangnya sudah diterima.`,
  returnReason: 'Alasan (boleh kosong)',
  returnSubmit: 'Minta pengembalian',
  nothingToReturn: 'Isi jumlah paling sedikit satu barang.',
  pending: 'Sudah diminta kembali',
  moreThanShelf: (units: number) => `melebihi stok yang bisa dikembalikan (${units})`,
  wholeNumber: 'isi dengan bilangan bulat',
  from: (venue: string) => `Dari ${venue}`,
  askedFor: 'Diminta',
  confirmReturn: 'Konfirmasi barang sudah diterima',
  returnClosed: 'Pengembalian ini sudah ditutup.',
  // Statement line disputes
  disputeTitle: 'Permasalahkan baris laporan',
  disputeLine: 'Baris yang dipermasalahkan',
  disputeSubmit: 'Kirim',
  lineSale: (product: string, when: string) => `Penjualan ${product}, ${when}`,
  lineOther: (when: string) => `Baris laporan, ${when}`,
  // What the API's refusals name, where the shared words do not know the code.
  codes: {
    too_many: 'melebihi jumlah yang diminta',
    not_requested: 'tidak ada di pengembalian ini',
    missing_line: 'isi setiap baris (0 bila tidak ada)',
    below_reserved: 'lebih kecil dari yang sedang dipesan pembeli',
    agreement_not_active: 'tidak ada perjanjian yang berlaku dengan pembuatnya',
    insufficient_stock: 'stok tidak cukup',
    unknown_line: 'baris ini tidak ada di laporan periode ini',
  } as Record<string, string>,
  notices: {
    counted: 'Hasil stok opname tersimpan.',
    returnRequested:
      'Permintaan pengembalian terkirim. Stok berkurang setelah pembuat mengonfirmasi.',
    returnConfirmed: 'Pengembalian dikonfirmasi. Stok di tempat penjualan sudah berkurang.',
  } as Record<string, string>,
}

export type StockStrings = typeof id

const en: StockStrings = {
  shelfTitle: 'Stock on the shelf',
  shelfLead: 'Consigned goods on the shelf now, by maker.',
  emptyShelf: 'No consigned goods on the shelf yet.',
  held: 'Held',
  age: 'Age',
  fresh: 'Within the consignment period',
  lotExpired: (units, age, since) =>
    `${units} ${units === 1 ? 'unit' : 'units'} on the shelf for ${age}: past what the agreement allows since ${since}`,
  lotGrace: (units, age, until) =>
    `${units} ${units === 1 ? 'unit' : 'units'} on the shelf for ${age}: consignment period over, grace until ${until}`,
  lotExpiring: (units, left, on) =>
    `${units} ${units === 1 ? 'unit' : 'units'}: consignment period ends in ${left} (${on})`,
  tooOld: (units) =>
    `${units} ${units === 1 ? 'unit is' : 'units are'} past what the agreement allows. Return them to the maker or agree a discount.`,
  countAction: 'Count the stock (stok opname)',
  returnAction: 'Return goods to the maker',
  someProduct: 'A product no longer for sale',
  someMaker: 'Another maker',
  countTitle: 'Stock count',
  countLead:
    'Count what is on the shelf, item by item, and enter the numbers; leave empty what you did not count. Differences from the books are recorded, and the maker sees them.',
  expected: 'In the books',
  countReason: 'Note on this count',
  countReasonDefault: 'Stock count',
  countSubmit: 'Save the count',
  ownerOnly: 'Only an owner of the business may record a stock count.',
  nothingOnShelf: 'Nothing to count.',
  nothingCounted: 'Enter a count for at least one item.',
  countResultTitle: 'Stock count result',
  countedOn: (when) => `Counted ${when}.`,
  differencesLead: 'Differences recorded (the shelf has been adjusted):',
  short: (product, units) => `${product}: ${units} short`,
  over: (product, units) => `${product}: ${units} over`,
  noDifference: 'No differences: everything matches the books.',
  backToShelf: 'Back to the stock',
  returnsTitle: 'Returns to makers',
  returnsToMe: 'Goods returned to me',
  noReturns: 'No returns yet.',
  returnStatus: {
    requested: 'Waiting for the maker to confirm',
    confirmed: 'Received by the maker',
    cancelled: 'Cancelled',
  },
  returnStatusMaker: {
    requested: 'For you to confirm',
    confirmed: 'Received by you',
    cancelled: 'Cancelled',
  },
  returnSource: {
    venue: 'Asked for by the venue',
    producer: 'Asked for by the maker',
    expiry: 'Consignment period over',
  },
  requestedOn: (when) => `asked for on ${when}`,
  asked: (product, units) => `${product}: ${units}`,
  askedAndBack: (product, asked, back) => `${product}: ${asked} asked for, ${back} received`,
  newReturn: 'Return goods',
  maker: 'Maker',
  choose: 'Choose',
  returnLead: (maker) =>
    `Enter how many go back to ${maker}. The shelf goes down once ${maker} confirms they arrived.`,
  returnReason: 'Reason (optional)',
  returnSubmit: 'Ask for the return',
  nothingToReturn: 'Enter a quantity for at least one item.',
  pending: 'Already asked back',
  moreThanShelf: (units) => `more than can be returned (${units})`,
  wholeNumber: 'enter a whole number',
  from: (venue) => `From ${venue}`,
  askedFor: 'Asked for',
  confirmReturn: 'Confirm the goods arrived',
  returnClosed: 'This return is already closed.',
  disputeTitle: 'Dispute a statement line',
  disputeLine: 'The line in question',
  disputeSubmit: 'Send',
  lineSale: (product, when) => `Sale of ${product}, ${when}`,
  lineOther: (when) => `Statement line, ${when}`,
  codes: {
    too_many: 'more than was asked for',
    not_requested: 'not on this return',
    missing_line: 'fill in every line (0 if none)',
    below_reserved: 'fewer than buyers are holding',
    agreement_not_active: 'no agreement in force with its maker',
    insufficient_stock: 'not enough in stock',
    unknown_line: 'this line is not on the statement for this period',
  },
  notices: {
    counted: 'Stock count saved.',
    returnRequested: 'Return asked for. The stock goes down once the maker confirms.',
    returnConfirmed: "Return confirmed. The venue's stock has gone down.",
  },
}

export const stockStrings: Record<Locale, StockStrings> = { id, en }
