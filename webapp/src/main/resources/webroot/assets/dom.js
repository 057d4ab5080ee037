// A tiny element builder: h('p', {class: 'note'}, 'text', child). No HTML strings, so no injection.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name in element && typeof value !== 'string') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A form field: label, input, and room for its own error message. */
export function field(label, input) {
  return h('label', {class: 'field'}, h('span', {}, label), input, h('span', {class: 'field-error', 'data-field': input.name}));
}

export function formatMoney(value) {
  return Number(value).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
}
