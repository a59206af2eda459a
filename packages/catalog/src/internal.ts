export { conflict, notFound, parseInput, parseRequestInput } from '@mitra/core'
export { atomically, mapUniqueViolation } from '@mitra/db'

export function iso(date: Date): string {
  return date.toISOString()
}
