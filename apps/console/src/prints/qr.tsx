/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { encode } from 'uqr'

/**
 * Light modules around the code on every side: the QR standard asks for four, and a phone's
 * camera needs them to find the corner squares next to a dark brand stripe or a cut edge.
 */
export const quietZone = 4

/**
 * Error correction M (15 % of the code can be lost): a tag is handled, scuffed and stickered
 * over at a stall, and for a shop URL M costs at most one size step over L.
 */
export const qrEcc = 'M'

/** The dark modules of a QR matrix (`[row][column]`, row 0 on top). */
export function qrModules(text: string): boolean[][] {
  // Border 0: uqr adds one light module by default; the quiet zone is drawn here, full width.
  return encode(text, { ecc: qrEcc, border: 0 }).data
}

/**
 * The dark modules as one SVG path: every run of dark modules in a row is one rectangle
 * (`M x y h n v1 h-n z`), so a tag's code is a few hundred short commands, not a `<rect>` each.
 */
export function qrPath(modules: readonly (readonly boolean[])[]): string {
  let d = ''
  modules.forEach((row, y) => {
    let x = 0
    while (x < row.length) {
      if (!row[x]) {
        x++
        continue
      }
      const start = x
      while (x < row.length && row[x]) x++
      d += `M${start} ${y}h${x - start}v1h-${x - start}z`
    }
  })
  return d
}

/**
 * A QR code as inline SVG, one user unit per module, scaled by CSS (`.p-qr`): sharp at any
 * print resolution, and no image request. The white square under it is the quiet zone, so it
 * stays light even on a tinted background.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const modules = qrModules(text)
  const side = modules.length + 2 * quietZone
  return (
    <svg
      class="p-qr"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`${-quietZone} ${-quietZone} ${side} ${side}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect x={-quietZone} y={-quietZone} width={side} height={side} fill="#fff" />
      <path d={qrPath(modules)} fill="#000" />
    </svg>
  )
}
