/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { href, page, type View } from '../layout.js'

/** The shop's 404 and 500 pages: in the buyer's language, with the way home. */
export function errorPage(v: View, kind: 'not_found' | 'failed'): string {
  const title = kind === 'not_found' ? v.t.notFound : v.t.failed
  const text = kind === 'not_found' ? v.t.notFoundText : v.t.failedText
  return page(
    v,
    { title, description: text, noindex: true },
    <>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href={href(v, '/')}>{v.t.backHome}</a>
      </p>
    </>,
  )
}
