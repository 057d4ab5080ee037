import {h} from './dom.js';

/** The line under a form's title where its failures are told in plain words. */
export function formError() {
  return h('p', {class: 'form-error', role: 'alert', hidden: true});
}

export function clearErrors(form) {
  const message = form.querySelector('.form-error');
  message.hidden = true;
  message.textContent = '';
  form.querySelectorAll('.field-error').forEach(element => { element.textContent = ''; });
}

/** Shows an API failure next to the form: the sentence, and each field's own message beside it. */
export function showError(form, error) {
  clearErrors(form);
  const message = form.querySelector('.form-error');
  message.textContent = error.message;
  message.hidden = false;
  for (const fieldError of error.fieldErrors || []) {
    const slot = form.querySelector(`.field-error[data-field="${CSS.escape(fieldError.field)}"]`);
    if (slot) slot.textContent = fieldError.message;
  }
}

/** Newest-first pages: remembers the cursors seen so that "Newer" can go back. */
export class Pager {
  constructor(load) {
    this.load = load;
    this.cursors = [null];
    this.index = 0;
    this.next = null;
    this.newer = h('button', {type: 'button', class: 'pager-newer', onclick: () => this.go(this.index - 1)}, '← Newer');
    this.older = h('button', {type: 'button', class: 'pager-older', onclick: () => this.go(this.index + 1)}, 'Older →');
    this.element = h('div', {class: 'pager'}, this.newer, this.older);
  }

  async go(index) {
    if (index > this.index) this.cursors[index] = this.next;
    this.index = index;
    const page = await this.load(this.cursors[index]);
    this.next = page ? page.nextCursor : null;
    this.newer.disabled = this.index === 0;
    this.older.disabled = !this.next;
  }

  reset() {
    this.cursors = [null];
    return this.go(0);
  }
}
