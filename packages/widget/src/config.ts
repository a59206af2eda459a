// Configuration from the script tag that loaded the widget:
// <script type="module" src="https://mitra.example/widget/v1.js" data-key="pk_…" data-locale="en">
import { localeOf } from './i18n.js'
import type { Provider, WidgetConfig } from './shop.js'
import { apiBaseOf } from './util.js'

/**
 * The `data-*` of the script whose `src` is `moduleUrl` (else the first with `data-key`): the
 * key, `data-locale` (id|en), `data-venue`, `data-provider`, and `data-api`, which defaults to
 * the origin the script came from.
 */
export function scriptConfig(doc: Document, moduleUrl: string): WidgetConfig {
  const own =
    [...doc.querySelectorAll<HTMLScriptElement>('script[src]')].find(
      (script) => script.src === moduleUrl,
    ) ?? doc.querySelector<HTMLScriptElement>('script[data-key]')
  const data = own?.dataset ?? {}
  return {
    key: data.key ?? '',
    api: data.api || apiBaseOf(moduleUrl),
    locale: localeOf(data.locale),
    ...(data.venue ? { venue: data.venue } : {}),
    ...(data.provider ? { provider: data.provider as Provider } : {}),
  }
}
