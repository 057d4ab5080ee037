import {entityPage} from './entities.js';

export function customersPage() {
  return entityPage({
    plural: 'customers',
    singular: 'customer',
    fields: [{name: 'name', label: 'Name', required: true}, {name: 'address', label: 'Address'}],
    columns: [{name: 'name', label: 'Name'}, {name: 'address', label: 'Address'}],
  });
}
