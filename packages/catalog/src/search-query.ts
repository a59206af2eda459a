/**
 * A shopper's search text, parsed: words that must all match, quoted phrases whose words
 * must follow each other, and words or phrases after `-` that must not match. Words are
 * letters and digits only, so the text can never break the `tsquery` syntax.
 */
export interface SearchQuery {
  /** Each entry is a word (length 1) or a phrase (words in sequence). */
  include: string[][]
  exclude: string[][]
}

/** At most this many words take part; the rest of a very long query is ignored. */
export const maxSearchWords = 16
const maxWordLength = 64

function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).map((word) => word.slice(0, maxWordLength))
}

/**
 * Parses `q`; null when it holds nothing to search for.
 *
 * @example
 * parseSearchQuery('batik "pewarna alami" -cap')
 * // { include: [['batik'], ['pewarna', 'alami']], exclude: [['cap']] }
 */
export function parseSearchQuery(q: string): SearchQuery | null {
  const include: string[][] = []
  const exclude: string[][] = []
  const seen = new Set<string>()
  let budget = maxSearchWords
  // A token is an optionally negated "quoted phrase" (closing quote optional) or a bare run.
  for (const match of q.matchAll(/(-?)"([^"]*)"?|(-?)([^\s"]+)/g)) {
    const negated = (match[1] ?? match[3]) === '-'
    const found = words(match[2] ?? match[4] ?? '').slice(0, budget)
    if (found.length === 0) continue
    const key = `${negated ? '-' : '+'}${found.join(' ')}`
    if (seen.has(key)) continue
    seen.add(key)
    budget -= found.length
    ;(negated ? exclude : include).push(found)
    if (budget === 0) break
  }
  return include.length + exclude.length === 0 ? null : { include, exclude }
}

function phrase(entry: string[]): string {
  const text = entry.map((word) => `'${word}'`).join(' <-> ')
  return entry.length > 1 ? `(${text})` : text
}

/**
 * The query as `to_tsquery` input (run it through each text search configuration, so the
 * words are stemmed the way the documents were).
 *
 * @example
 * toTsQueryText({ include: [['batik'], ['pewarna', 'alami']], exclude: [['cap']] })
 * // "'batik' & ('pewarna' <-> 'alami') & !'cap'"
 */
export function toTsQueryText(query: SearchQuery): string {
  return [...query.include.map(phrase), ...query.exclude.map((entry) => `!${phrase(entry)}`)].join(
    ' & ',
  )
}
