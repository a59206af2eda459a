import { createHash } from 'node:crypto'

/*
 * The shop's one stylesheet, its small optional script and its icon: served at hashed URLs
 * (`/assets/shop.3f0c9a1b2d.css`) and cached for a year, so pages carry no inline style or
 * script and can run under a strict Content Security Policy. Mobile first: the base rules
 * are for a 360 px phone, wider screens add columns.
 */

const css = `
:root{--ink:#1c1917;--paper:#fffdf8;--card:#fff;--muted:#57534e;--line:#d6d3d1;--accent:#0b5d4b;--on-accent:#fff;--danger:#a3231f;--ok:#166534;--focus:#1d4ed8;--r:.5rem;color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--paper)}
img{max-width:100%;height:auto;display:block}
a{color:var(--accent);text-underline-offset:.15em}
h1,h2,h3{line-height:1.2;margin:1.25rem 0 .5rem}
h1{font-size:1.6rem}h2{font-size:1.3rem}h3{font-size:1.05rem}
p{margin:.5rem 0}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:.5rem;top:-3rem;padding:.5rem .75rem;background:var(--card);color:var(--ink);border:2px solid var(--focus);z-index:9}
.skip:focus{top:.5rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.site{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.6rem max(1rem,calc(50% - 35rem));background:var(--card);border-bottom:1px solid var(--line)}
.site .home{font-weight:700;font-size:1.2rem;color:var(--ink);text-decoration:none;margin-right:auto;padding:.5rem 0}
.site nav{display:flex;gap:.25rem 1rem;flex-wrap:wrap;align-items:center}
.site nav a{display:inline-block;padding:.6rem .25rem;min-height:44px}
main{display:block;max-width:72rem;margin:0 auto;padding:0 1rem 2rem}
footer{margin:0 max(1rem,calc(50% - 35rem));padding:1rem 0;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
.lede{color:var(--muted);max-width:40rem}
.muted{color:var(--muted)}
.notice{padding:.75rem 1rem;border-radius:var(--r);background:#ecfdf5;border:1px solid #a7f3d0;color:var(--ok)}
.error{padding:.75rem 1rem;border-radius:var(--r);background:#fef2f2;border:1px solid #fecaca;color:var(--danger)}
.field-error{color:var(--danger);font-size:.9rem;margin:.25rem 0 0}
.search{display:flex;gap:.5rem;align-items:flex-end;margin:1rem 0}
.search div{flex:1}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,9.5rem),1fr));padding:0;margin:0;list-style:none}
.grid.wide{grid-template-columns:repeat(auto-fill,minmax(min(100%,16rem),1fr))}
.card{position:relative;display:flex;flex-direction:column;gap:.25rem;height:100%;padding:.5rem;background:var(--card);border:1px solid var(--line);border-radius:var(--r)}
.card h3{margin:.25rem 0 0;font-size:1rem}
.card a.cover::after{content:"";position:absolute;inset:0}
.card .price{font-weight:700;margin-top:auto}
.maker{display:flex;align-items:center;gap:.5rem;min-width:0}
.maker span{overflow:hidden;text-overflow:ellipsis}
.maker h4{margin:0;font-size:1rem}
.logo{width:2.5rem;height:2.5rem;border-radius:50%;object-fit:cover;flex:none;background:var(--line)}
.logo.big{width:5rem;height:5rem}
.pic{display:grid;overflow:hidden;border-radius:calc(var(--r) - .15rem);background:var(--line)}
.pic>*{grid-area:1/1;width:100%;height:100%;object-fit:cover}
.pic .ph{filter:blur(10px);transform:scale(1.1)}
.pic picture{position:relative}
.pic picture img{width:100%;height:100%;object-fit:cover}
.square{aspect-ratio:1}
.cluster{margin:1.5rem 0}
.cluster>header{display:flex;gap:.75rem;align-items:center}
.cluster>header h3{margin:0}
.villages{margin:.25rem 0;color:var(--muted)}
.brand-hero{margin:0 -1rem;padding:1rem;background:var(--mitra-color-background,var(--card));color:var(--mitra-color-text,var(--ink));border-top:.5rem solid var(--mitra-color-primary,var(--line))}
.brand-hero h1{font-family:var(--mitra-font-heading,inherit);margin-top:.5rem}
.brand-hero .tagline{font-size:1.1rem}
.brand-hero a{color:inherit}
.brand-hero .marks{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
.brand-hero .mark{display:flex;gap:.5rem;align-items:center;color:inherit}
.story{white-space:pre-line;max-width:42rem;font-family:var(--mitra-font-body,inherit)}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:var(--mitra-color-accent,#fde68a);color:var(--mitra-color-on-accent,var(--ink));font-size:.85rem}
.product{display:grid;gap:1rem;margin-top:1rem}
.gallery{display:grid;gap:.5rem}
.facts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:.5rem 0}
.facts dt{font-weight:600}.facts dd{margin:0}
.venue{padding:.75rem;background:var(--card);border:1px solid var(--line);border-left:.3rem solid var(--mitra-color-primary,var(--accent));border-radius:var(--r);margin:.75rem 0}
.venue h3{margin:0}
.venue address{font-style:normal;color:var(--muted)}
.offer{display:grid;gap:.5rem;padding:.5rem 0;border-top:1px solid var(--line);margin-top:.5rem}
.offer form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.offer label{font-weight:400}
.stock{font-weight:600}.stock.out{color:var(--danger)}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:.55rem 1rem;border:0;border-radius:var(--r);background:var(--mitra-color-primary,var(--accent));color:var(--mitra-color-on-primary,var(--on-accent));font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
button.plain{background:transparent;color:var(--accent);text-decoration:underline;padding:.55rem .25rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input,select,textarea{font:inherit;min-height:44px;width:100%;padding:.5rem;color:var(--ink);background:var(--card);border:1px solid var(--muted);border-radius:var(--r)}
input[type=radio]{width:1.25rem;min-height:1.25rem;margin:0;accent-color:var(--accent)}
input.qty,select.qty{width:5.5rem}
[aria-invalid=true]{border-color:var(--danger);border-width:2px}
fieldset{border:1px solid var(--line);border-radius:var(--r);margin:1rem 0;padding:.5rem 1rem 1rem;background:var(--card)}
legend{font-weight:700;padding:0 .25rem}
.choice{display:flex;gap:.6rem;align-items:center;font-weight:400;margin:.5rem 0;min-height:44px}
.lines{list-style:none;padding:0;margin:0}
.line{display:grid;gap:.25rem;padding:.75rem 0;border-bottom:1px solid var(--line)}
.line form{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}
.totals{display:grid;grid-template-columns:1fr auto;gap:.25rem 1rem;max-width:24rem}
.totals dt{font-weight:400}.totals dd{margin:0;text-align:right;font-weight:600}
.status{font-size:1.15rem;font-weight:700}
.status.paid{color:var(--ok)}
.lang{font-weight:600}
.pager{margin:1rem 0}
@media (min-width:40rem){
  .product{grid-template-columns:minmax(0,1fr) minmax(0,1fr);align-items:start}
  .brand-hero{margin:0;border-radius:var(--r);padding:1.5rem}
  h1{font-size:2rem}
}
@media (min-width:64rem){.grid{grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}}
@media (prefers-reduced-motion:no-preference){a,button{transition:background-color .15s}}
`

// Every page works without this; it only saves a click or hides what does not apply.
const js = `
for (const form of document.querySelectorAll('form[data-fulfilment]')) {
  const address = form.querySelector('[data-address]')
  if (!address) continue
  const sync = () => {
    const delivery = form.querySelector('input[name=fulfilment]:checked')?.value === 'delivery'
    address.hidden = !delivery
    for (const input of address.querySelectorAll('[data-required]')) input.required = delivery
  }
  form.addEventListener('change', sync)
  sync()
}
for (const select of document.querySelectorAll('select[data-autosubmit]')) {
  const button = select.form?.querySelector('[data-update]')
  if (button) button.hidden = true
  select.addEventListener('change', () => select.form?.requestSubmit())
}
`

const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b5d4b"/><path d="M7 23V10l5 7 4-7 4 7 5-7v13" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`

export interface Asset {
  /** The hashed path it is served at. */
  path: string
  type: string
  body: string
}

function asset(name: string, extension: string, type: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path: `/assets/${name}.${hash}.${extension}`, type, body: body.trim() }
}

export const assets = {
  css: asset('shop', 'css', 'text/css; charset=utf-8', css),
  js: asset('shop', 'js', 'text/javascript; charset=utf-8', js),
  icon: asset('icon', 'svg', 'image/svg+xml', icon),
}

/** Short hash of a text: the version in a hashed URL. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}
