import type { TableColumn } from './report-document.js';

/** The columns that say who a row of a report table is: the id users type, the name and the email. */
export const CUSTOMER_COLUMNS: TableColumn[] = [
  { key: 'id', label: 'Id', type: 'integer' },
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'email', label: 'Email', type: 'text' },
];

/** A customer's bar is labelled by name, else by email, else by id: an id alone says nothing to a reader. */
export const CUSTOMER_BAR_LABEL = ['name', 'email', 'id'];
