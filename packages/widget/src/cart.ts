// <mitra-cart>: the cart button, its drawer (a modal <dialog>: focus moves in and stays, Escape
// closes, focus returns to the button), checkout in the same window, and the order's status
// when the payment provider sends the buyer back with `?mitra_order=`.
import { baseSheet, h } from './dom.js'
import { type Cart, type Shop, shop } from './shop.js'
import { orderOutcome, returnedOrder, withoutToken } from './util.js'

type Line = Cart['lines'][number]

const focusable = 'button,input,select,a[href]'

export class MitraCart extends HTMLElement {
  readonly root = this.attachShadow({ mode: 'open' })
  #shop!: Shop
  #button!: HTMLButtonElement
  #count!: HTMLElement
  #dialog!: HTMLDialogElement
  #said!: HTMLElement
  #saidInside!: HTMLElement
  #order!: HTMLElement
  #notice!: HTMLElement
  #lines!: HTMLElement
  #form!: HTMLFormElement
  #delivery!: HTMLElement
  #venues!: HTMLFieldSetElement
  #pay!: HTMLButtonElement
  readonly #draw = () => this.#render()
  readonly #say = (event: Event) => {
    ;(this.#dialog.open ? this.#saidInside : this.#said).textContent = (
      event as CustomEvent<string>
    ).detail
  }

  connectedCallback(): void {
    this.#shop = shop()
    const s = this.#shop
    this.root.adoptedStyleSheets = [baseSheet(), s.brandSheet]
    if (!this.#button) this.#build()
    s.addEventListener('cart', this.#draw)
    s.addEventListener('say', this.#say)
    this.#render()
    s.loadCart().catch((error: unknown) => {
      s.notice = s.problem(error)
      this.#render()
    })
    const returned = returnedOrder(location.href)
    if (returned && s.store) {
      if (returned.token !== null) {
        // Kept with the others; the address bar (history, a link shared) loses it.
        s.rememberOrder(returned.id, returned.token)
        history.replaceState(history.state, '', withoutToken(location.href))
      }
      this.#watch(returned.id, 0)
    }
  }

  disconnectedCallback(): void {
    this.#shop.removeEventListener('cart', this.#draw)
    this.#shop.removeEventListener('say', this.#say)
  }

  /** Shows the order the buyer came back from; an unpaid one is read again for a minute. */
  #watch(id: string, round: number): void {
    this.#shop.order(id).then((order) => {
      const outcome = orderOutcome(order.status)
      this.#order.textContent = this.#shop.t(outcome, order.id)
      this.#order.hidden = false
      if (outcome === 'pending' && round < 20) setTimeout(() => this.#watch(id, round + 1), 3000)
    }, console.warn)
  }

  #build(): void {
    const t = this.#shop.t
    this.#count = h('span', 'count')
    this.#button = h(
      'button',
      { part: 'button', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' },
      t('cart'),
      ' ',
      this.#count,
    )
    this.#button.onclick = () => this.open()
    this.#said = h('p', { class: 'sr', role: 'status' })
    this.#saidInside = h('p', { class: 'sr', role: 'status' })
    this.#order = h('p', { part: 'order', role: 'status', hidden: true })
    this.#notice = h('p', { part: 'notice', role: 'alert' })
    this.#lines = h('ul', 'lines')
    const close = h('button', { type: 'button', part: 'close', 'aria-label': t('close') }, '×')
    close.onclick = () => this.close()
    this.#dialog = h(
      'dialog',
      { part: 'drawer', 'aria-labelledby': 'title' },
      close,
      h('h2', { id: 'title' }, t('cart')),
      this.#saidInside,
      this.#notice,
      this.#lines,
      this.#checkoutForm(),
    )
    this.#dialog.onclose = () => {
      this.#button.setAttribute('aria-expanded', 'false')
      this.#button.focus()
    }
    this.#dialog.onkeydown = (event) => this.#trap(event)
    this.root.append(this.#button, this.#said, this.#order, this.#dialog)
  }

  /** Opens the drawer and moves focus into it. */
  open(): void {
    if (this.#dialog.open) return
    this.#dialog.showModal()
    this.#button.setAttribute('aria-expanded', 'true')
    this.#render()
    this.#dialog.querySelector<HTMLElement>(focusable)?.focus()
  }

  close(): void {
    this.#dialog.close()
  }

  /** Tab and Shift+Tab go round the drawer's controls; Escape closes it (the dialog's own). */
  #trap(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return
    const all = [...this.#dialog.querySelectorAll<HTMLInputElement>(focusable)].filter(
      (element) => !element.disabled && element.checkVisibility(),
    )
    const edge = event.shiftKey ? all[0] : all[all.length - 1]
    if (this.root.activeElement === edge) {
      event.preventDefault()
      ;(event.shiftKey ? all[all.length - 1] : all[0])?.focus()
    }
  }

  #checkoutForm(): HTMLFormElement {
    const t = this.#shop.t
    const input = (
      label: 'name' | 'phone' | 'address' | 'city' | 'postal',
      name: string,
      autocomplete: string,
      extra: Record<string, string> = {},
    ) => h('label', {}, t(label), h('input', { name, autocomplete, required: true, ...extra }))
    const choice = (value: string, text: Node | string) =>
      h(
        'label',
        { part: value },
        h('input', { type: 'radio', name: 'fulfilment', value, checked: value === 'pickup' }),
        ' ',
        text,
      )
    this.#delivery = h('span')
    // A cart with goods from several venues is paid one venue at a time (each is its own
    // seller and ships or hands over its own goods): the buyer picks which one now.
    this.#venues = h('fieldset', 'venues', h('legend', {}, t('payFor')))
    const address = h(
      'fieldset',
      { part: 'address', disabled: true, hidden: true },
      input('address', 'line1', 'street-address'),
      input('city', 'city', 'address-level2'),
      input('postal', 'postal_code', 'postal-code', { pattern: '[0-9A-Za-z \\-]{3,10}' }),
    )
    const error = h('p', { part: 'error', role: 'alert' })
    this.#pay = h('button', { part: 'pay', type: 'submit' })
    const form = h(
      'form',
      'checkout',
      this.#venues,
      h(
        'fieldset',
        'fulfilment',
        h('legend', {}, t('howToGet')),
        choice('pickup', t('pickup')),
        choice('delivery', this.#delivery),
      ),
      input('name', 'name', 'name'),
      input('phone', 'phone', 'tel', { type: 'tel', pattern: '\\+?[0-9 \\(\\)\\-]{6,20}' }),
      address,
      this.#pay,
      error,
    )
    this.#form = form
    form.onchange = () => {
      address.disabled = address.hidden = !this.#delivering()
      this.#render()
    }
    form.onsubmit = async (event) => {
      event.preventDefault()
      const s = this.#shop
      const venue = this.#venue()
      if (
        !venue ||
        s.cart?.lines.some((line) => line.venue_id === venue.venue_id && line.problem)
      ) {
        error.textContent = t('fixCart')
        return
      }
      const data = Object.fromEntries(new FormData(form)) as Record<string, string>
      const { name = '', phone = '', line1 = '', city = '', postal_code = '' } = data
      const delivery = this.#delivering()
      error.textContent = ''
      this.#pay.disabled = true
      try {
        const order = await s.checkout({
          venue_id: venue.venue_id,
          fulfilment: delivery ? 'delivery' : 'pickup',
          customer: { name, phone },
          ...(delivery
            ? { delivery_address: { recipient: name, phone, line1, city, postal_code } }
            : {}),
        })
        s.say(t('redirecting'))
        if (order.redirect_url) location.assign(order.redirect_url)
      } catch (failure) {
        error.textContent = s.problem(failure)
        this.#pay.disabled = false
      }
    }
    return form
  }

  /** The venue whose goods the buyer pays for now (the only one, or the one picked). */
  #venue(): Cart['venues'][number] | undefined {
    const venues = this.#shop.cart?.venues ?? []
    const picked = this.#form.elements.namedItem('venue') as RadioNodeList | null
    return venues.find((venue) => venue.venue_id === picked?.value) ?? venues[0]
  }

  #delivering(): boolean {
    return (this.#form.elements.namedItem('fulfilment') as RadioNodeList).value === 'delivery'
  }

  #line(line: Line): HTMLElement {
    const s = this.#shop
    const { t } = s
    const name = line.title ? `${s.text(line.title)} (${line.sku})` : (line.name ?? line.variant_id)
    const { problem, available, quantity } = line
    const button = (label: string, text: string, to: number, said: string) => {
      const element = h('button', { type: 'button', 'aria-label': label, 'data-key': text }, text)
      element.onclick = () =>
        s.setQuantity(line.venue_id, line.variant_id, to).then(
          () => s.say(said),
          (error: unknown) => s.say(s.problem(error)),
        )
      return element
    }
    const gone = t('removed', name)
    return h(
      'li',
      { part: 'line', 'data-variant': line.variant_id },
      h('span', {}, name, ' · ', s.money(line.line_total)),
      problem &&
        h(
          'p',
          'problem',
          problem.code !== 'insufficient_stock'
            ? t('lineGone')
            : available > 0
              ? t('lineShort', available)
              : t('lineSoldOut'),
        ),
      h(
        'span',
        {},
        button(
          t('less', name),
          '−',
          quantity - 1,
          quantity > 1 ? t('quantity', name, quantity - 1) : gone,
        ),
        ` ${quantity} `,
        button(t('more', name), '+', quantity + 1, t('quantity', name, quantity + 1)),
        ' ',
        button(t('remove', name), t('remove', ''), 0, gone),
      ),
    )
  }

  #render(): void {
    const s = this.#shop
    const { t, cart } = s
    const count = s.count()
    this.#count.textContent = String(count)
    this.#button.setAttribute('aria-label', t('cartCount', count))
    this.#notice.textContent ||= s.notice
    this.#notice.hidden = !this.#notice.textContent
    if (!this.#dialog.open) return
    s.notice = ''
    // Keeps focus on the control pressed, which is made anew with its line.
    const active = this.root.activeElement as HTMLElement | null
    const key = active?.dataset.key && active.closest('li')?.dataset.variant
    const lines = cart?.lines ?? []
    const venues = cart?.venues ?? []
    const many = venues.length > 1
    this.#lines.replaceChildren(
      ...(lines.length
        ? venues.flatMap(({ venue_id, name }) => [
            ...(many ? [h('li', {}, h('h3', 'from', t('from', name)))] : []),
            ...lines.filter((line) => line.venue_id === venue_id).map((line) => this.#line(line)),
          ])
        : [h('li', {}, t('cartEmpty'))]),
    )
    const venue = this.#venue()
    this.#venues.hidden = !many
    this.#venues.replaceChildren(
      this.#venues.firstChild as Node,
      ...venues.map((option) =>
        h(
          'label',
          {},
          h('input', {
            type: 'radio',
            name: 'venue',
            value: option.venue_id,
            checked: option === venue,
          }),
          ` ${option.name} · ${s.money(option.subtotal)}`,
        ),
      ),
    )
    this.#form.hidden = !venue
    if (venue) {
      const pickup = this.#form.querySelector('[part=pickup]') as HTMLElement
      pickup.hidden = !venue.pickup
      if (!venue.pickup)
        (this.#form.querySelector('[value=delivery]') as HTMLInputElement).checked = true
      ;(this.#form.querySelector('[part=delivery]') as HTMLElement).hidden = !venue.delivery_rate
      this.#delivery.textContent = t('delivery', s.money(venue.delivery_rate))
      const fee = this.#delivering() ? (venue.delivery_rate?.amount ?? 0) : 0
      this.#pay.textContent = t(
        'pay',
        s.money({ amount: venue.subtotal.amount + fee, currency: venue.currency }),
      )
    }
    if (key) {
      const again = this.#lines.querySelector<HTMLElement>(
        `[data-variant="${key}"] [data-key="${active.dataset.key}"]`,
      )
      ;(again ?? this.#dialog.querySelector<HTMLElement>(focusable))?.focus()
    }
  }
}
