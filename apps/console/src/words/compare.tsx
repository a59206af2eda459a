/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Locale } from '../format.js'
import type { Names } from './names.js'
import {
  fieldsOf,
  type TermKey,
  type TermSentence,
  type TermsInput,
  termSentences,
  termWords,
  unknownFields,
  withDefaults,
} from './terms.js'

/*
 * What an amendment changes, in plain words: the terms of two versions of an agreement side
 * by side, the changed ones marked, so neither side signs a change it has not read.
 */

export interface TermChange {
  field: TermSentence['field']
  label: string
  before: string
  after: string
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  )
}

const words = {
  id: {
    absent: 'Tidak ada dalam versi ini',
    term: 'Ketentuan',
    version: (n: number) => `Versi ${n}`,
    changed: 'Berubah',
    caption: (a: number, b: number, n: number) =>
      `Versi ${a} dibanding versi ${b}: ${n === 0 ? 'tidak ada yang berubah' : `${n} ketentuan berubah`}`,
  },
  en: {
    absent: 'Not in this version',
    term: 'Term',
    version: (n: number) => `Version ${n}`,
    changed: 'Changed',
    caption: (a: number, b: number, n: number) =>
      `Version ${a} against version ${b}: ${n === 0 ? 'nothing changed' : n === 1 ? '1 term changed' : `${n} terms changed`}`,
  },
} satisfies Record<Locale, unknown>

interface Row {
  field: TermSentence['field']
  label: string
  before: string
  after: string
  changed: boolean
}

function rowsOf(before: TermsInput, after: TermsInput, locale: Locale, names: Names): Row[] {
  // Defaults filled in first: a field an old version lacks is not a change if it is the default.
  const a = withDefaults(before)
  const b = withDefaults(after)
  const left = new Map(termSentences(a, locale, names).map((s) => [s.field, s]))
  const right = new Map(termSentences(b, locale, names).map((s) => [s.field, s]))
  const fields = [...new Set([...left.keys(), ...right.keys()])]
  const known = new Set<string>(Object.keys(termWords[locale].labels))
  const unknown = new Set([...unknownFields(a), ...unknownFields(b)])
  return fields.map((field) => {
    const covered = known.has(field)
      ? fieldsOf(field as TermKey)
      : unknown.has(field)
        ? [field]
        : []
    const changed = covered.some((f) => canonical(a[f]) !== canonical(b[f]))
    const l = left.get(field)
    const r = right.get(field)
    return {
      field,
      label: (l ?? r)?.label ?? field,
      before: l?.text ?? words[locale].absent,
      after: r?.text ?? words[locale].absent,
      changed,
    }
  })
}

/**
 * The terms that differ between two versions (the same defaults filled into both), each with
 * its sentence before and after. A term counts as changed when any field it says changed:
 * the cooperative's when its fee or who it is changed.
 */
export function compareTerms(
  before: TermsInput,
  after: TermsInput,
  locale: Locale,
  names: Names = {},
): TermChange[] {
  return rowsOf(before, after, locale, names)
    .filter((row) => row.changed)
    .map(({ field, label, before, after }) => ({ field, label, before, after }))
}

export interface VersionTerms {
  /** The version number, as `AgreementVersion.version`. */
  version: number
  terms: TermsInput
}

/**
 * Two versions' terms in a table: term, version N, version M. A changed row says so in words
 * ("Berubah") as well as by its class; an unchanged term is written once across both columns.
 */
export function TermsComparison({
  before,
  after,
  locale,
  names = {},
  onlyChanged = false,
}: {
  before: VersionTerms
  after: VersionTerms
  locale: Locale
  names?: Names
  /** Leave out the terms that did not change. */
  onlyChanged?: boolean
}) {
  const w = words[locale]
  const rows = rowsOf(before.terms, after.terms, locale, names)
  const changes = rows.filter((row) => row.changed).length
  return (
    <table class="terms-comparison">
      <caption>{w.caption(before.version, after.version, changes)}</caption>
      <thead>
        <tr>
          <th scope="col">{w.term}</th>
          <th scope="col">{w.version(before.version)}</th>
          <th scope="col">{w.version(after.version)}</th>
        </tr>
      </thead>
      <tbody>
        {rows
          .filter((row) => row.changed || !onlyChanged)
          .map((row) =>
            row.changed ? (
              <tr class="changed" data-term={row.field}>
                <th scope="row">
                  {row.label} <strong class="mark">{w.changed}</strong>
                </th>
                <td>{row.before}</td>
                <td>{row.after}</td>
              </tr>
            ) : (
              <tr data-term={row.field}>
                <th scope="row">{row.label}</th>
                <td colspan={2}>{row.after}</td>
              </tr>
            ),
          )}
      </tbody>
    </table>
  )
}
