/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ProductGrid, type StoreProduct } from '../components.js'
import { href, page, type View } from '../layout.js'
import { SearchForm } from './home.js'

export interface SearchData {
  q: string
  products: StoreProduct[]
  /** The next page's cursor, when there is one. */
  next: string | null
}

export function searchPage(v: View, data: SearchData): string {
  const { t } = v
  const { q } = data
  const next = data.next
    ? `${href(v, '/search')}?${new URLSearchParams({ ...(q ? { q } : {}), cursor: data.next })}`
    : null
  const body = (
    <>
      <h1>{t.searchTitle(q)}</h1>
      <SearchForm v={v} q={q} />
      <p class="muted">{t.searchHint}</p>
      {q && data.products.length === 0 ? (
        <p>{t.searchNone(q)}</p>
      ) : (
        <ProductGrid products={data.products} v={v} />
      )}
      {next ? (
        <p class="pager">
          <a href={next} rel="next">
            {t.nextPage}
          </a>
        </p>
      ) : null}
    </>
  )
  return page(
    v,
    { title: t.searchTitle(q), description: t.searchHint, noindex: q !== '' || next !== null },
    body,
  )
}
