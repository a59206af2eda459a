export type { Screen } from './screen.js'

import { agreementScreens } from './agreements.js'
import { auditScreens } from './audit.js'
import { catalogScreens } from './catalog.js'
import { cooperativeScreens } from './cooperative.js'
import { platformScreens } from './platform.js'
import { producerScreens } from './producer.js'
import type { Screen } from './screen.js'
import { sharedScreens } from './shared.js'
import { stockScreens } from './stock.js'
import { venueScreens } from './venue.js'

/** Finds the screen for a request; a path another kind of party has is, here, not found. */
export function partyRoutes() {
  const screens: Screen[] = [
    ...producerScreens,
    ...venueScreens,
    ...cooperativeScreens,
    ...platformScreens,
    ...sharedScreens,
    ...agreementScreens,
    ...stockScreens,
    ...catalogScreens,
    ...auditScreens,
  ]
  const compiled = screens.map((screen) => {
    const names: string[] = []
    const pattern = screen.path.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name)
      return '([A-Za-z0-9_-]+)'
    })
    return { screen, names, regex: new RegExp(`^${pattern === '/' ? '/?' : pattern}$`) }
  })
  return {
    /** Every screen: method, path and the kinds of party that have it. */
    list: () => screens.map(({ method, path, kinds }) => ({ method, path, kinds })),
    match(method: string, path: string, kind: string) {
      for (const { screen, names, regex } of compiled) {
        if (screen.method !== method || !screen.kinds.includes(kind)) continue
        const found = regex.exec(path)
        if (found === null) continue
        const params = Object.fromEntries(names.map((name, i) => [name, found[i + 1] as string]))
        return { run: screen.run, params }
      }
      return undefined
    },
  }
}
