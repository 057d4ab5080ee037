import {api} from '../api.js';
import {field, formatMoney, h} from '../dom.js';
import {clearErrors, formError, Pager, showError} from '../forms.js';

const PAGE_SIZE = 10;

/**
 * The page of a simple resource (customers, products): a form to create or edit one, and the list,
 * newest first, with paging, edit and delete.
 */
export function entityPage({plural, singular, fields, columns}) {
  const inputs = fields.map(spec => h('input', {name: spec.name, type: spec.type || 'text', step: spec.step, required: spec.required}));
  let editing = null;
  const title = h('h2', {}, `New ${singular}`);
  const submit = h('button', {type: 'submit'}, 'Create');
  const cancel = h('button', {type: 'button', hidden: true, onclick: () => stopEditing()}, 'Cancel');
  const form = h('form', {id: `${singular}-form`, class: 'card', novalidate: true, onsubmit: save},
    title, formError(), fields.map((spec, i) => field(spec.label, inputs[i])), h('div', {class: 'actions'}, submit, cancel));
  const listError = formError();
  const rows = h('tbody');
  const table = h('table', {id: `${plural}-table`},
    h('thead', {}, h('tr', {}, columns.map(column => h('th', {}, column.label)), h('th', {}, ''))), rows);
  const pager = new Pager(load);
  const listCard = h('section', {class: 'card'}, h('h2', {}, plural[0].toUpperCase() + plural.slice(1)), listError, table, pager.element);

  function body() {
    const values = {};
    fields.forEach((spec, i) => {
      const raw = inputs[i].value;
      if (spec.type === 'number') {
        values[spec.name] = raw === '' ? null : Number(raw);
      } else if (raw !== '' || spec.required) {
        values[spec.name] = raw;
      }
    });
    return values;
  }

  async function save(event) {
    event.preventDefault();
    clearErrors(form);
    try {
      if (editing) {
        await api('PUT', `/${plural}/${editing}`, body());
      } else {
        await api('POST', `/${plural}`, body());
      }
      stopEditing();
      await pager.reset();
    } catch (error) {
      showError(form, error);
    }
  }

  function startEditing(item) {
    editing = item.id;
    fields.forEach((spec, i) => { inputs[i].value = item[spec.name] ?? ''; });
    title.textContent = `Edit ${singular}`;
    submit.textContent = 'Save';
    cancel.hidden = false;
    clearErrors(form);
    inputs[0].focus();
  }

  function stopEditing() {
    editing = null;
    form.reset();
    title.textContent = `New ${singular}`;
    submit.textContent = 'Create';
    cancel.hidden = true;
  }

  async function remove(item) {
    clearErrors(listCard);
    try {
      await api('DELETE', `/${plural}/${item.id}`);
      if (editing === item.id) stopEditing();
      await pager.reset();
    } catch (error) {
      showError(listCard, error);
    }
  }

  async function load(cursor) {
    clearErrors(listCard);
    try {
      const page = await api('GET', `/${plural}?limit=${PAGE_SIZE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
      rows.replaceChildren(...page.items.map(item => h('tr', {'data-id': item.id},
        columns.map(column => h('td', {class: column.money ? 'number' : ''}, column.money ? formatMoney(item[column.name]) : item[column.name])),
        h('td', {class: 'row-actions'},
          h('button', {type: 'button', class: 'edit', onclick: () => startEditing(item)}, 'Edit'),
          h('button', {type: 'button', class: 'delete', onclick: () => remove(item)}, 'Delete')))));
      if (page.items.length === 0) rows.replaceChildren(h('tr', {}, h('td', {colspan: columns.length + 1, class: 'empty'}, `No ${plural} yet.`)));
      return page;
    } catch (error) {
      showError(listCard, error);
      return null;
    }
  }

  pager.reset();
  return {element: h('div', {class: 'page'}, form, listCard)};
}
