// Building the shadow DOM: elements made with createElement, text set as text. Nothing from
// the API is ever parsed as HTML, and no markup carries a style attribute (a strict CSP
// without 'unsafe-inline' refuses those): styles come from constructed stylesheets.
import { css } from './styles.js'

type Child = Node | string | null | undefined | false

/**
 * `<tag attrs…>children</tag>`; `true` sets an empty attribute, `false`/undefined none. A
 * string for `attrs` is the element's `part` name.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> | string = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(typeof attrs === 'string' ? { part: attrs } : attrs)) {
    if (value === false || value === undefined) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  element.append(...(children.filter((child) => child || child === '') as (Node | string)[]))
  return element
}

let base: CSSStyleSheet | undefined

/** The widget's stylesheet, made once and shared by every shadow root. */
export function baseSheet(): CSSStyleSheet {
  if (base === undefined) {
    base = new CSSStyleSheet()
    base.replaceSync(css)
  }
  return base
}

let ids = 0
/** An id unique in the page, for aria-labelledby and aria-describedby. */
export const uid = (prefix: string): string => `${prefix}${++ids}`
