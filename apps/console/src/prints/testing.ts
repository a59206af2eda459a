/*
 * For the prints' tests: a QR reader that works on the rendered SVG (so a test checks what is
 * printed, not what was meant to be), and plain data to render.
 */
import type { DeliveryNoteLine, DeliveryNoteParty } from './deliveryNote.js'
import type { PriceTagBrand, PriceTagItem } from './priceTags.js'
import type { ReceiptLine } from './receipt.js'

export const productUrl = 'https://shop.example/products/prod_01jdemo0000000000000000001'

export const brand: PriceTagBrand = {
  name: 'Batik Gemawangi',
  logoUrl: 'https://media.example/brands/gemawangi.png',
  color: '#1f3a5f',
  village: 'Gemawang',
}

export const tagItem = (overrides: Partial<PriceTagItem> = {}): PriceTagItem => ({
  title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn batik, coffee motif' },
  sku: 'BG-KOPI-200',
  options: { ukuran: '200 × 115 cm' },
  price: { amount: 350_000, currency: 'IDR' },
  url: productUrl,
  copies: 1,
  ...overrides,
})

export const producer: DeliveryNoteParty = {
  name: 'KUB Batik Gemawangi',
  address: 'Jl. Gemawang 12, Gemawang, Jambu, Kabupaten Semarang',
  phone: '0812 1111 2222',
}

export const venue: DeliveryNoteParty = {
  name: 'Kafe Banaran 9',
  address: 'Jl. Raya Semarang–Solo Km 9, Bawen, Kabupaten Semarang',
}

export const noteLines = (): DeliveryNoteLine[] => [
  {
    title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn batik, coffee motif' },
    sku: 'BG-KOPI-200',
    options: { ukuran: '200 × 115 cm' },
    sent: 12,
    counted: null,
  },
  {
    title: { id: 'Mainan kayu truk', en: 'Wooden toy truck' },
    sku: 'KY-TRUK',
    sent: 5,
    counted: null,
  },
]

export const receiptLines = (): ReceiptLine[] => [
  {
    title: { id: 'Batik tulis motif kopi', en: 'Hand-drawn batik, coffee motif' },
    options: { ukuran: '200 × 115 cm' },
    maker: { name: 'Batik Gemawangi', village: 'Gemawang' },
    quantity: 2,
    unitPrice: { amount: 350_000, currency: 'IDR' },
  },
  {
    title: { id: 'Madu klanceng 250 g', en: 'Stingless-bee honey 250 g' },
    maker: { name: 'Madu Lereng Ungaran', village: 'Lerep' },
    quantity: 1,
    unitPrice: { amount: 350_000, currency: 'IDR' },
  },
]

/** Every QR code in rendered HTML, as its module matrix read back from the SVG path. */
export function qrCodesIn(html: string): { modules: boolean[][]; quiet: number }[] {
  const svgs = html.match(/<svg class="p-qr"[^>]*>.*?<\/svg>/g) ?? []
  return svgs.map((svg) => {
    const [, min, side] = svg.match(/viewBox="(-?\d+) -?\d+ (\d+) \d+"/) ?? []
    const quiet = -Number(min)
    const size = Number(side) - 2 * quiet
    const modules = Array.from({ length: size }, () => Array<boolean>(size).fill(false))
    const d = svg.match(/<path d="([^"]*)"/)?.[1] ?? ''
    for (const [, x, y, run] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
      for (let i = 0; i < Number(run); i++) {
        const row = modules[Number(y)]
        if (row === undefined || Number(x) + i >= size) throw new Error('module outside the code')
        row[Number(x) + i] = true
      }
    }
    return { modules, quiet }
  })
}

// A QR reader for versions 1–6 (up to 134 bytes at level L: every shop URL), written from
// ISO/IEC 18004 rather than taken from the encoder, so that a test proves a camera could read
// what is printed: format bits, unmasking, the zigzag, de-interleaving, Reed–Solomon, segments.

type Ecc = 'L' | 'M' | 'Q' | 'H'
const eccBits: Record<Ecc, number> = { L: 1, M: 0, Q: 3, H: 2 }
// Per version 1–6: error-correction codewords per block, and blocks.
const eccPerBlock: Record<Ecc, number[]> = {
  L: [7, 10, 15, 20, 26, 18],
  M: [10, 16, 26, 18, 24, 16],
  Q: [13, 22, 18, 26, 18, 24],
  H: [17, 28, 22, 16, 22, 28],
}
const blockCount: Record<Ecc, number[]> = {
  L: [1, 1, 1, 1, 1, 2],
  M: [1, 1, 1, 2, 2, 4],
  Q: [1, 1, 2, 2, 4, 4],
  H: [1, 1, 2, 4, 4, 4],
}
const totalCodewords = [26, 44, 70, 100, 134, 172]

const masks: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
]

/** The 32 valid format words (BCH(15,5), masked with 0x5412) and what each means. */
const formats = new Map<number, { ecc: Ecc; mask: number }>()
for (const ecc of Object.keys(eccBits) as Ecc[]) {
  for (let mask = 0; mask < 8; mask++) {
    const data = (eccBits[ecc] << 3) | mask
    let rem = data
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537)
    formats.set(((data << 10) | rem) ^ 0x5412, { ecc, mask })
  }
}

function gfMultiply(x: number, y: number): number {
  let z = 0
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d)
    z ^= ((y >>> i) & 1) * x
  }
  return z
}

function rsRemainder(data: number[], degree: number): number[] {
  const divisor = Array<number>(degree).fill(0)
  divisor[degree - 1] = 1
  let root = 1
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      divisor[j] = gfMultiply(divisor[j]!, root) ^ (j + 1 < degree ? divisor[j + 1]! : 0)
    }
    root = gfMultiply(root, 2)
  }
  const result = Array<number>(degree).fill(0)
  for (const byte of data) {
    const factor = byte ^ result.shift()!
    result.push(0)
    divisor.forEach((coefficient, i) => {
      result[i]! ^= gfMultiply(coefficient, factor)
    })
  }
  return result
}

/** The text of a QR code given as its modules (`[row][column]`, no quiet zone). */
export function readQr(modules: boolean[][]): string {
  const size = modules.length
  const version = (size - 17) / 4
  if (!Number.isInteger(version) || version < 1 || version > 6) {
    throw new Error(`not a QR code of version 1–6: ${size} modules`)
  }
  const dark = (x: number, y: number) => modules[y]?.[x] === true

  // Both copies of the format word must agree and be a valid word.
  let first = 0
  let second = 0
  for (let i = 0; i < 15; i++) {
    const [x1, y1] = i < 6 ? [8, i] : i < 8 ? [8, i + 1] : i === 8 ? [7, 8] : [14 - i, 8]
    const [x2, y2] = i < 8 ? [size - 1 - i, 8] : [8, size - 15 + i]
    if (dark(x1, y1)) first |= 1 << i
    if (dark(x2, y2)) second |= 1 << i
  }
  const format = formats.get(first)
  if (format === undefined || first !== second) throw new Error('unreadable format information')
  const mask = masks[format.mask]!

  // Finder patterns with separators and format areas, timing lines, the alignment pattern.
  const align = size - 7
  const isFunction = (x: number, y: number) =>
    (x < 9 && y < 9) ||
    (x >= size - 8 && y < 9) ||
    (x < 9 && y >= size - 8) ||
    x === 6 ||
    y === 6 ||
    (version > 1 && Math.abs(x - align) <= 2 && Math.abs(y - align) <= 2)

  const bits: number[] = []
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    const upward = ((right + 1) & 2) === 0
    for (let vert = 0; vert < size; vert++) {
      const y = upward ? size - 1 - vert : vert
      for (const x of [right, right - 1]) {
        if (!isFunction(x, y)) bits.push(Number(dark(x, y) !== mask(x, y)))
      }
    }
  }
  const total = totalCodewords[version - 1]!
  const codewords = Array.from({ length: total }, (_, i) =>
    bits.slice(i * 8, i * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0),
  )

  // De-interleave: data codewords block by block (the long blocks have one more), then ECC.
  const blocks = blockCount[format.ecc][version - 1]!
  const eccLength = eccPerBlock[format.ecc][version - 1]!
  const short = blocks - (total % blocks)
  const shortData = Math.floor(total / blocks) - eccLength
  const data: number[][] = Array.from({ length: blocks }, () => [])
  const ecc: number[][] = Array.from({ length: blocks }, () => [])
  let at = 0
  for (let i = 0; i <= shortData; i++) {
    for (let b = 0; b < blocks; b++) {
      if (i < shortData + (b < short ? 0 : 1)) data[b]!.push(codewords[at++]!)
    }
  }
  for (let i = 0; i < eccLength; i++) {
    for (let b = 0; b < blocks; b++) ecc[b]!.push(codewords[at++]!)
  }
  data.forEach((block, b) => {
    if (rsRemainder(block, eccLength).join() !== ecc[b]!.join()) {
      throw new Error(`block ${b}: error correction does not match`)
    }
  })

  // Segments: byte, alphanumeric, numeric, ECI; the terminator ends them.
  const stream = data.flat().flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (byte >> i) & 1))
  let pos = 0
  const read = (n: number) => {
    let value = 0
    for (let i = 0; i < n; i++) value = (value << 1) | (stream[pos++] ?? 0)
    return value
  }
  const alphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
  const bytes: number[] = []
  let text = ''
  const flush = () => {
    text += new TextDecoder().decode(new Uint8Array(bytes.splice(0)))
  }
  while (pos + 4 <= stream.length) {
    const mode = read(4)
    if (mode === 0) break
    if (mode === 4) {
      for (let n = read(8); n > 0; n--) bytes.push(read(8))
    } else if (mode === 2) {
      flush()
      let n = read(9)
      for (; n >= 2; n -= 2) {
        const pair = read(11)
        text += alphanumeric[Math.floor(pair / 45)]! + alphanumeric[pair % 45]!
      }
      if (n === 1) text += alphanumeric[read(6)]!
    } else if (mode === 1) {
      flush()
      let n = read(10)
      for (; n >= 3; n -= 3) text += String(read(10)).padStart(3, '0')
      if (n === 2) text += String(read(7)).padStart(2, '0')
      if (n === 1) text += String(read(4))
    } else if (mode === 7) {
      read(8)
    } else {
      throw new Error(`segment mode ${mode} not read here`)
    }
  }
  flush()
  return text
}
