import { createHash } from 'node:crypto'
import { printCss } from './prints/index.js'

/*
 * The console's one stylesheet and its one small script, at hashed URLs cached for a year:
 * pages carry no inline script, and run under a strict Content Security Policy. Laid out for
 * a 360 px phone first; the printable views' rules (`printCss`) come with it.
 */
const css = `
:root{--ink:#1c1917;--paper:#fafaf9;--card:#fff;--muted:#57534e;--line:#d6d3d1;--accent:#0b5d4b;--on-accent:#fff;--danger:#a3231f;--ok:#166534;--warn:#854d0e;--focus:#1d4ed8;--r:.5rem;color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:var(--paper)}
a{color:var(--accent);text-underline-offset:.15em}
h1,h2,h3{line-height:1.2;margin:1.25rem 0 .5rem}
h1{font-size:1.5rem}h2{font-size:1.2rem}h3{font-size:1.05rem}
p{margin:.5rem 0}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:.5rem;top:-3rem;padding:.5rem .75rem;background:var(--card);border:2px solid var(--focus);z-index:9}
.skip:focus{top:.5rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.top{background:var(--accent);color:var(--on-accent);padding:.5rem max(1rem,calc(50% - 30rem));display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
.top a,.top button{color:var(--on-accent)}
.top .who{margin-right:auto;font-weight:700;padding:.5rem 0}
.top .who small{display:block;font-weight:400;opacity:.9}
.top form{margin:0}
.top button{background:none;border:0;font:inherit;text-decoration:underline;padding:.6rem .25rem;min-height:44px;cursor:pointer}
.top a{display:inline-block;padding:.6rem .25rem;min-height:44px}
nav.tabs{display:flex;gap:.25rem;overflow-x:auto;background:var(--card);border-bottom:1px solid var(--line);padding:0 max(.5rem,calc(50% - 30rem))}
nav.tabs a{flex:none;display:inline-block;padding:.75rem .6rem;min-height:44px;color:var(--ink);text-decoration:none;border-bottom:3px solid transparent}
nav.tabs a[aria-current=page]{border-color:var(--accent);font-weight:700;color:var(--accent)}
main{display:block;max-width:62rem;margin:0 auto;padding:0 1rem 2rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--r);padding:.75rem 1rem;margin:.75rem 0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem;margin:.5rem 0;padding:0;list-style:none}
.figures li{background:var(--card);border:1px solid var(--line);border-radius:var(--r);padding:.6rem .75rem}
.figures strong{display:block;font-size:1.2rem}
.figures span{color:var(--muted);font-size:.9rem}
.muted{color:var(--muted)}
.notice{background:#ecfdf5;border:1px solid #a7f3d0;color:var(--ok);padding:.6rem .75rem;border-radius:var(--r)}
.error{color:var(--danger)}
.problem{background:#fef2f2;border:1px solid #fecaca;color:var(--danger);padding:.6rem .75rem;border-radius:var(--r)}
.table{width:100%;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.45rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.8rem;line-height:1.2}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
form.stack{display:grid;gap:.75rem;max-width:30rem}
label{font-weight:600;display:block}
.hint{color:var(--muted);font-weight:400;font-size:.9rem;display:block}
input,select,textarea{font:inherit;padding:.55rem .6rem;border:1px solid #78716c;border-radius:.375rem;background:#fff;width:100%;min-height:44px}
input[type=number]{max-width:7rem}
input[type=radio],input[type=checkbox]{width:auto;min-height:0}
[aria-invalid=true]{border-color:var(--danger);border-width:2px}
.field-error{color:var(--danger);font-weight:600;font-size:.9rem;margin:.2rem 0 0}
fieldset{border:1px solid var(--line);border-radius:var(--r);padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;min-height:44px}
button,.button{font:inherit;font-weight:600;background:var(--accent);color:var(--on-accent);border:0;border-radius:.375rem;padding:.65rem 1rem;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}
button.quiet,.button.quiet{background:var(--card);color:var(--accent);border:1px solid var(--accent)}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.status{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#f5f5f4;font-size:.85rem}
.status.ok{background:#dcfce7;color:var(--ok)}
.status.warn{background:#fef9c3;color:var(--warn)}
.parties{list-style:none;padding:0;display:grid;gap:.5rem}
.parties a{display:block;background:var(--card);border:1px solid var(--line);border-radius:var(--r);padding:.75rem 1rem;text-decoration:none;color:var(--ink)}
.parties a strong{color:var(--accent)}
.shelf{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
.shelf li{background:var(--card);border:1px solid var(--line);border-radius:var(--r);padding:.6rem .75rem;display:grid;grid-template-columns:1fr auto;gap:.25rem .75rem;align-items:center}
.shelf .maker{color:var(--muted);font-size:.9rem}
code.link{word-break:break-all;background:#f5f5f4;padding:.4rem;display:block;border-radius:.25rem}
@media (min-width:48rem){h1{font-size:1.8rem}}
@media print{.top,nav.tabs,.noprint,.skip{display:none!important}main{max-width:none;padding:0}body{background:#fff}}
${printCss}
`

// Only enhancements: every screen works without it.
const js = `
const scan = document.querySelector('[data-scan]')
if (scan && 'BarcodeDetector' in window && navigator.mediaDevices) {
  scan.hidden = false
  scan.addEventListener('click', async () => {
    const video = document.createElement('video')
    video.setAttribute('playsinline', '')
    video.className = 'scanner'
    scan.after(video)
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
    video.srcObject = stream
    await video.play()
    const detector = new BarcodeDetector({ formats: ['qr_code'] })
    const look = async () => {
      const [code] = await detector.detect(video)
      if (!code) return requestAnimationFrame(look)
      stream.getTracks().forEach((track) => track.stop())
      const product = /\\/products\\/(prod_[0-9a-z]+)/.exec(code.rawValue)?.[1] ?? code.rawValue
      const form = scan.closest('form')
      form.elements.q.value = product
      form.requestSubmit()
    }
    look()
  })
}
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
`

export interface Asset {
  path: string
  type: string
  body: string
}

function asset(name: string, extension: string, type: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path: `/console/assets/${name}.${hash}.${extension}`, type, body: body.trim() }
}

export const assets = {
  css: asset('console', 'css', 'text/css; charset=utf-8', css),
  js: asset('console', 'js', 'text/javascript; charset=utf-8', js),
}
