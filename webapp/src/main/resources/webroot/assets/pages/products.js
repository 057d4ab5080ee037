import {entityPage} from './entities.js';

export function productsPage() {
  return entityPage({
    plural: 'products',
    singular: 'product',
    fields: [{name: 'name', label: 'Name', required: true}, {name: 'price', label: 'Price', type: 'number', step: '0.01', required: true}],
    columns: [{name: 'name', label: 'Name'}, {name: 'price', label: 'Price', money: true}],
  });
}
