export { notFound, parseInput } from '@mitra/core'
export { atomically } from '@mitra/db'

export function iso(date: Date): string {
  return date.toISOString()
}

export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString()
}
