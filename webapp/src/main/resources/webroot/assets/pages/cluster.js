import {api} from '../api.js';
import {h} from '../dom.js';
import {formError, showError, clearErrors} from '../forms.js';

const POLL_MS = 1000;

const UNKNOWN_NODE = 'node not known yet';

/**
 * What the gateway sees, every second: each node with the instances that run on it (as the visualizer
 * shows Swarm's tasks), their health and circuit, the alerts that fire, the share of each service's
 * requests its canary gets, and who answered recently.
 */
export function clusterPage() {
  // X-Served-By is "<service>@<task's hostname> on <node>": the hostname tells the node's tasks apart.
  const taskOf = instance => instance.servedBy ? instance.servedBy.replace(/^[^@]*@/, '').replace(/ on .*$/, '') : instance.url;

  const alerts = h('div', {id: 'cluster-alerts'});
  const tracks = h('div', {id: 'cluster-tracks'});
  const nodes = h('div', {id: 'cluster-nodes', class: 'nodes'});
  const recent = h('tbody');
  const updated = h('p', {class: 'muted'});
  const element = h('div', {class: 'page'},
    h('section', {class: 'card'}, h('h2', {}, 'Alerts'), alerts),
    h('section', {class: 'card'}, h('h2', {}, 'Canaries'), tracks),
    h('section', {class: 'card'}, h('h2', {}, 'Nodes'), formError(), updated, nodes),
    h('section', {class: 'card'}, h('h2', {}, 'Recent requests'),
      h('table', {id: 'recent-table'}, h('thead', {}, h('tr', {},
        ['Time', 'Request', 'Status', 'Answered by', 'ms'].map(label => h('th', {}, label)))), recent)));

  function renderAlerts(watched) {
    if (!watched) {
      alerts.replaceChildren(h('p', {class: 'muted'}, 'Alerts are not watched: the gateway has no ALERTMANAGER_URL.'));
      return;
    }
    const error = watched.error ? [h('p', {class: 'unhealthy alerts-error'}, watched.error)] : [];
    alerts.replaceChildren(...error,
      watched.firing.length === 0
        ? h('p', {class: 'healthy no-alerts'}, 'No alert fires.')
        : h('table', {}, h('tbody', {}, watched.firing.map(alert => h('tr', {class: 'alert', 'data-alert': alert.name},
          h('td', {class: alert.severity === 'critical' ? 'unhealthy' : 'warning'}, alert.severity),
          h('td', {}, alert.name),
          h('td', {}, alert.summary),
          h('td', {class: 'muted'}, alert.since ? `since ${new Date(alert.since).toLocaleTimeString()}` : ''))))));
  }

  function renderTracks(services) {
    const canaries = Object.entries(services).filter(([, service]) => service.track === 'canary');
    tracks.replaceChildren(canaries.length === 0
      ? h('p', {class: 'muted no-canary'}, 'No canary runs: every request goes to the stable track.')
      : h('table', {}, h('thead', {}, h('tr', {}, ['Service', 'Stable', 'Canary', 'Canary instances'].map(label => h('th', {}, label)))),
        h('tbody', {}, canaries.map(([name, canary]) => h('tr', {class: 'track', 'data-service': canary.of},
          h('td', {}, canary.of),
          h('td', {class: 'number stable-weight'}, `${services[canary.of].weight} %`),
          h('td', {class: 'number canary-weight'}, canary.weight === canary.configuredWeight
            ? `${canary.weight} %` : `${canary.weight} % (set to ${canary.configuredWeight} %: no healthy instance)`),
          h('td', {class: 'muted'}, `${canary.instances.filter(instance => instance.healthy).length} healthy of ${canary.instances.length} (${name})`))))));
  }

  function renderNodes(services) {
    const byNode = new Map();
    for (const [service, {instances}] of Object.entries(services)) {
      for (const instance of instances) {
        const node = instance.node || UNKNOWN_NODE;
        if (!byNode.has(node)) byNode.set(node, []);
        byNode.get(node).push({service, ...instance});
      }
    }
    const names = [...byNode.keys()].sort((a, b) => (a === UNKNOWN_NODE) - (b === UNKNOWN_NODE) || a.localeCompare(b));
    const missing = Object.entries(services).filter(([, {track, instances}]) => track !== 'canary' && instances.length === 0)
      .map(([name]) => name);
    nodes.replaceChildren(
      ...names.map(node => h('div', {class: 'node', 'data-node': node},
        h('h3', {}, `${node} `, h('span', {class: 'muted'}, `${byNode.get(node).length} task(s)`)),
        h('table', {}, h('tbody', {}, byNode.get(node)
          .sort((a, b) => a.service.localeCompare(b.service) || a.url.localeCompare(b.url))
          .map(instance => h('tr', {class: 'instance', 'data-service': instance.service, 'data-url': instance.url},
            h('td', {}, instance.service),
            h('td', {class: 'muted', title: instance.url}, taskOf(instance)),
            h('td', {class: instance.healthy ? 'healthy' : 'unhealthy'}, instance.healthy ? 'healthy' : 'unhealthy'),
            h('td', {class: 'circuit'}, instance.circuit))))))),
      ...missing.map(service => h('p', {class: 'unhealthy', 'data-missing': service}, `${service}: no instance known`)));
  }

  function render(status) {
    renderAlerts(status.alerts);
    renderTracks(status.services);
    renderNodes(status.services);
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
