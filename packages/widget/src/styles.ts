// The widget's one stylesheet, adopted by every shadow root (`adoptedStyleSheets`): a strict
// CSP without 'unsafe-inline' allows it, where a style element would be refused.
// Galleries theme it through the custom properties and `::part()` names in README.md;
// brand kits colour their own cards through `--mitra-brand*` (see shop.ts).
export const css = `
:host{color-scheme:light dark;--t:var(--mitra-text,light-dark(#1c1917,#f5f5f4));--b:var(--mitra-bg,light-dark(#fff,#1c1917));--m:var(--mitra-muted,light-dark(#57534e,#d6d3d1));--a:var(--mitra-accent,light-dark(#0b5d4b,#7dd3b8));--o:var(--mitra-on-accent,light-dark(#fff,#0c1f19));--x:var(--mitra-danger,light-dark(#a3231f,#fca5a5));--r:var(--mitra-radius,.5rem);display:block;color:var(--t);font-family:var(--mitra-font,inherit)}
:host(mitra-cart){display:inline-block}
*{box-sizing:border-box}
[hidden]{display:none!important}
h2,h3,p,ul,fieldset{margin:0;padding:0;font-size:1em;list-style:none;border:0}
[part=grid]{display:grid;gap:var(--mitra-gap,1rem);grid-template-columns:repeat(auto-fill,minmax(min(100%,var(--mitra-card-width,15rem)),1fr))}
[part=grid]>li{content-visibility:auto;contain-intrinsic-size:auto 15rem auto 28rem}
[part=card],[part=line],form,[part=lines],fieldset{display:grid;gap:.5rem}
[part=card]{height:100%;padding:.75rem;background:var(--b);border:1px solid var(--m);border-top:.3rem solid var(--mitra-brand,var(--m));border-radius:var(--r)}
[part=brand],[part=header]{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;align-items:center}
[part=logo]{width:2.5rem;height:2.5rem;border-radius:50%;object-fit:cover}
[part=brand]>div{grid-column:-2}
[part=header]{margin-bottom:1.25rem}
[part=header] [part=logo]{width:4rem;height:4rem}
[part=header] h2{font-size:1.3em}
[part=story]{grid-column:1/-1;max-width:40rem}
[part=brand-name],[part=price]{font-weight:700;display:block}
[part=origin],[part=venue],[part=stock],[part=story]{color:var(--m);font-size:.9em}
[part=image]{width:100%;height:auto}
[data-out],[role=alert],[part=problem]{color:var(--x)}
button,input,select{font:inherit;color:inherit;background:var(--b);border:1px solid var(--a);border-radius:var(--r);padding:.4rem .8rem}
[part=add],[part=pay],[part=button]{background:var(--a);color:var(--o)}
:disabled{opacity:.5}
:focus-visible{outline:3px solid var(--mitra-focus,#2563eb)}
label>input:not([type=radio]),select{display:block;width:100%}
dialog{margin:0 0 0 auto;width:min(28rem,100%);height:100%;max-height:none;border:0;padding:1.25rem;background:var(--b);color:var(--t)}
dialog>*+*,form>*+*{margin-top:1rem}
dialog h2{font-size:1.3em}
[part=close]{float:right;margin:0 0 .5rem .5rem}
[part=line]{padding-bottom:.75rem;border-bottom:1px solid var(--m)}
[part=line]>span:first-child{font-weight:600}
.sr{position:absolute;clip-path:inset(50%)}
@media (prefers-reduced-motion:no-preference){dialog[open]{animation:mitra-in .2s}}
@keyframes mitra-in{from{translate:100%}}
`
