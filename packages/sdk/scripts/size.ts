// `pnpm --filter @mitra/sdk bench`: what each entry costs a browser, minified and gzipped.
import { bundle } from './bundle.js'

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const store = await bundle('store')
const all = await bundle('index')
console.log(`@mitra/sdk/store  ${kb(store.bytes)} minified, ${kb(store.gzipped)} gzipped`)
console.log(`@mitra/sdk        ${kb(all.bytes)} minified, ${kb(all.gzipped)} gzipped`)
console.log(`store entry / whole SDK (gzipped): ${(store.gzipped / all.gzipped).toFixed(2)}`)
