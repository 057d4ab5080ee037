import {clusterPage} from './pages/cluster.js';
import {customersPage} from './pages/customers.js';
import {invoicesPage} from './pages/invoices.js';
import {productsPage} from './pages/products.js';

const PAGES = {customers: customersPage, products: productsPage, invoices: invoicesPage, cluster: clusterPage};
let current = null;

function show() {
  const name = location.hash.replace(/^#\//, '') || 'invoices';
  const page = PAGES[name] || PAGES.invoices;
  if (current && current.dispose) current.dispose();
  current = page();
  document.getElementById('page').replaceChildren(current.element);
  document.querySelectorAll('nav a').forEach(link => link.classList.toggle('active', link.id === 'nav-' + name));
  document.title = `Swarmshop · ${name}`;
}

window.addEventListener('hashchange', show);
show();
