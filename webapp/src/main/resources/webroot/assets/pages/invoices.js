import {api, newIdempotencyKey} from '../api.js';
import {field, formatMoney, h} from '../dom.js';
import {clearErrors, formError, Pager, showError} from '../forms.js';

const PAGE_SIZE = 10;

/** Cents from a price as the API writes it (at most two decimals), so that totals are exact. */
function cents(price) {
  const [whole, fraction = ''] = String(price).split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
}

function formatCents(value) {
  const whole = value / 100n;
  const fraction = String(value % 100n).padStart(2, '0');
  return Number(whole).toLocaleString('en-US') + '.' + fraction;
}

/** Issue invoices with customer and product pickers; list them, all or for one customer. */
export function invoicesPage() {
  const customerSelect = h('select', {name: 'customerId', required: true});
  const productSelect = h('select', {name: 'productId', required: true});
  const quantity = h('input', {name: 'quantity', type: 'number', min: '1', max: '1000000', step: '1', value: '1', required: true});
  const preview = h('output', {id: 'invoice-total-preview'}, '—');
  const form = h('form', {id: 'invoice-form', class: 'card', novalidate: true, onsubmit: issue, oninput: changed},
    h('h2', {}, 'New invoice'), formError(),
    field('Customer', customerSelect), field('Product', productSelect), field('Quantity', quantity),
    h('p', {class: 'total'}, 'Total: ', preview),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Issue invoice')));
  const filter = h('select', {id: 'invoice-filter', onchange: () => pager.reset()});
  const rows = h('tbody');
  const listCard = h('section', {class: 'card'}, h('h2', {}, 'Invoices'), formError(),
    h('label', {class: 'filter'}, 'Customer ', filter),
    h('table', {id: 'invoices-table'}, h('thead', {}, h('tr', {},
      ['Issued', 'Customer', 'Product', 'Quantity', 'Unit price', 'Total'].map(label => h('th', {}, label)))), rows));
  const pager = new Pager(load);
  listCard.append(pager.element);
  let prices = new Map();
  // One key per intended invoice: resubmitting the same form after a failure cannot issue it twice.
  let idempotencyKey = newIdempotencyKey();

  function changed() {
    idempotencyKey = newIdempotencyKey();
    const price = prices.get(productSelect.value);
    const count = /^\d+$/.test(quantity.value) ? BigInt(quantity.value) : null;
    preview.textContent = price !== undefined && count !== null ? formatCents(cents(price) * count) : '—';
  }

  async function loadChoices() {
    try {
      const [customers, products] = await Promise.all([api('GET', '/customers?limit=500'), api('GET', '/products?limit=500')]);
      customerSelect.replaceChildren(h('option', {value: ''}, 'Choose a customer'),
        ...customers.items.map(c => h('option', {value: c.id}, c.name)));
      productSelect.replaceChildren(h('option', {value: ''}, 'Choose a product'),
        ...products.items.map(p => h('option', {value: p.id}, `${p.name} (${formatMoney(p.price)})`)));
      const chosen = filter.value;
      filter.replaceChildren(h('option', {value: ''}, 'All customers'), ...customers.items.map(c => h('option', {value: c.id}, c.name)));
      filter.value = chosen;
      prices = new Map(products.items.map(p => [p.id, p.price]));
      changed();
    } catch (error) {
      showError(form, error);
    }
  }

  async function issue(event) {
    event.preventDefault();
    clearErrors(form);
    const body = {customerId: customerSelect.value, productId: productSelect.value, quantity: quantity.value === '' ? null : Number(quantity.value)};
    try {
      await api('POST', '/invoices', body, {'Idempotency-Key': idempotencyKey});
      idempotencyKey = newIdempotencyKey();
      await pager.reset();
    } catch (error) {
      showError(form, error);
    }
  }

  async function load(cursor) {
    clearErrors(listCard);
    try {
      const query = `?limit=${PAGE_SIZE}` + (filter.value ? `&customerId=${encodeURIComponent(filter.value)}` : '')
        + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
      const page = await api('GET', '/invoices' + query);
      rows.replaceChildren(...page.items.map(invoice => h('tr', {'data-id': invoice.id},
        h('td', {}, new Date(invoice.issuedAt).toLocaleString()),
        h('td', {}, invoice.customerName),
        h('td', {}, invoice.productName),
        h('td', {class: 'number'}, invoice.quantity),
        h('td', {class: 'number'}, formatMoney(invoice.unitPrice)),
        h('td', {class: 'number invoice-total'}, formatCents(cents(invoice.total))))));
      if (page.items.length === 0) rows.replaceChildren(h('tr', {}, h('td', {colspan: 6, class: 'empty'}, 'No invoices yet.')));
      return page;
    } catch (error) {
      showError(listCard, error);
      return null;
    }
  }

  loadChoices().then(() => pager.reset());
  return {element: h('div', {class: 'page'}, form, listCard)};
}
