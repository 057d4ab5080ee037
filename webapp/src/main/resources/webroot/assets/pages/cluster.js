import {api} from '../api.js';
import {h} from '../dom.js';
import {formError, showError, clearErrors} from '../forms.js';

const POLL_MS = 1000;

/** What the gateway sees, every second: each service's instances, health and circuit, and who answered recently. */
export function clusterPage() {
  const services = h('div', {id: 'cluster-services', class: 'services'});
  const recent = h('tbody');
  const updated = h('p', {class: 'muted'});
  const element = h('div', {class: 'page'},
    h('section', {class: 'card'}, h('h2', {}, 'Services'), formError(), updated, services),
    h('section', {class: 'card'}, h('h2', {}, 'Recent requests'),
      h('table', {id: 'recent-table'}, h('thead', {}, h('tr', {},
        ['Time', 'Request', 'Status', 'Answered by', 'ms'].map(label => h('th', {}, label)))), recent)));

  function render(status) {
    services.replaceChildren(...Object.entries(status.services).map(([name, service]) => h('div', {class: 'service', 'data-service': name},
      h('h3', {}, `${name} `, h('span', {class: 'muted'}, `${service.instances.length} instance(s)`)),
      h('table', {}, h('tbody', {}, service.instances.length === 0
        ? h('tr', {}, h('td', {class: 'unhealthy'}, 'No instance known'))
        : service.instances.map(instance => h('tr', {class: 'instance', 'data-url': instance.url},
          h('td', {}, instance.url),
          h('td', {class: instance.healthy ? 'healthy' : 'unhealthy'}, instance.healthy ? 'healthy' : 'unhealthy'),
          h('td', {class: 'circuit'}, instance.circuit))))))));
    recent.replaceChildren(...status.recent.map(entry => h('tr', {},
      h('td', {}, new Date(entry.at).toLocaleTimeString()),
      h('td', {}, `${entry.method} ${entry.path}`),
      h('td', {class: entry.status >= 500 ? 'unhealthy' : ''}, entry.status),
      h('td', {class: 'served-by'}, entry.servedBy || entry.instance),
      h('td', {class: 'number'}, entry.ms))));
    updated.textContent = `Seen by ${status.gateway} at ${new Date().toLocaleTimeString()}`;
  }

  async function poll() {
    try {
      render(await api('GET', '/status'));
      clearErrors(element);
    } catch (error) {
      showError(element, error);
    }
  }

  poll();
  const timer = setInterval(poll, POLL_MS);
  return {element, dispose: () => clearInterval(timer)};
}
