import type { PartyContext } from '../routes.js'

/** One screen of a party's console: its method, path (`/deliveries/:id`) and party kinds. */
export interface Screen {
  method: 'GET' | 'POST'
  path: string
  kinds: readonly string[]
  run(ctx: PartyContext, params: Record<string, string>): Promise<Response> | Response
}

type Params = Record<string, string>

/** A page: `render` makes its HTML. */
export const show = (
  path: string,
  kinds: readonly string[],
  render: (ctx: PartyContext, params: Params) => Promise<string> | string,
): Screen => ({
  method: 'GET',
  path,
  kinds,
  run: async (ctx, params) => ctx.c.html(await render(ctx, params)),
})

/** A form's target: `run` answers it (a redirect, or the form again with its errors). */
export const act = (
  path: string,
  kinds: readonly string[],
  run: (ctx: PartyContext, params: Params) => Promise<Response> | Response,
): Screen => ({ method: 'POST', path, kinds, run })
