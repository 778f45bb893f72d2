import type { CustomerField } from '../model/customer-fields.js';
import { IDENTIFYING_FIELDS } from '../model/customer-fields.js';
import { lookupSynonym } from './customer-synonyms.js';
import type { ImportKind } from './mapping-schema.js';
import { headerKey } from './normalize-header.js';

export interface KindInference {
  /** The likeliest kind, or null when nothing identifies the file or the top scores tie. */
  kind: ImportKind | null;
  scores: Record<ImportKind, number>;
  ambiguous: boolean;
}

// Header keys (see headerKey) that mark an orders file, with their weight.
const ORDER_SIGNALS: Readonly<Record<string, number>> = {
  orderid: 3, ordernumber: 3, orderno: 3, order: 3, ordernr: 3, orderdate: 3, ordertotal: 3, orderstatus: 3,
  financialstatus: 3, fulfillmentstatus: 3, lineitemname: 3, lineitemquantity: 3, lineitemprice: 3, lineitemsku: 3,
  subtotal: 3, amountrefunded: 3, paymentintentid: 3, itemssold: 3, products: 3, productname: 3, product: 2,
  sku: 3, nrevenueformatted: 3, netsales: 3, receiptnumber: 2, transactionid: 2,
  // Invoice-line sales exports (Online Retail: InvoiceNo, StockCode, InvoiceDate, UnitPrice…): an invoice
  // number with its date is a sale, whatever customer columns sit beside it.
  invoice: 3, invoiceno: 3, invoicenumber: 3, invoiceid: 3, invoicenr: 3, invoicedate: 3, stockcode: 3, unitprice: 2,
  total: 2, amount: 2, currency: 2, quantity: 2, qty: 2, price: 2, paidat: 2, revenue: 2, discountcode: 2, shippingmethod: 2,
  taxes: 2, tax: 1, shipping: 1, coupons: 2,
};

// Header keys that mark an interactions file (support requests, complaints, notes, feedback).
const INTERACTION_SIGNALS: Readonly<Record<string, number>> = {
  channel: 3, interactiontype: 3, interactionkind: 3, kind: 2, subject: 3, summary: 3, outcome: 3, resolution: 3,
  ticketid: 3, ticket: 3, ticketnumber: 3, caseid: 3, casenumber: 3, complaint: 3, feedback: 2, inquiry: 2,
  message: 2, body: 2, agent: 2, assignee: 2, priority: 1, category: 1, direction: 2, rating: 1, satisfaction: 2,
};

/**
 * Guesses whether a header belongs to a customers, orders or interactions file:
 * orders by order id/total/line item columns, interactions by channel/subject/
 * summary columns, customers when it has identifying columns (email, phone,
 * name, id) and more customer columns than the others score. Never throws.
 */
export function inferKind(header: readonly string[]): KindInference {
  const keys = header.map(headerKey);
  const scores: Record<ImportKind, number> = { customers: 0, orders: 0, interactions: 0 };
  const customerFields = new Set<CustomerField>();
  for (const [position, key] of keys.entries()) {
    scores.orders += ORDER_SIGNALS[key] ?? 0;
    scores.interactions += INTERACTION_SIGNALS[key] ?? 0;
    const hit = lookupSynonym(header[position] ?? '');
    if (hit !== null && hit.strength !== 'weak') customerFields.add(hit.field);
    else if (hit !== null && hit.field === 'full_name') customerFields.add(hit.field);
  }
  const identifying = [...customerFields].some((field) => (IDENTIFYING_FIELDS as readonly string[]).includes(field));
  scores.customers = identifying ? customerFields.size : 0;

  const ranked = (Object.entries(scores) as [ImportKind, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (first === undefined || first[1] === 0) return { kind: null, scores, ambiguous: false };
  const ambiguous = second !== undefined && second[1] === first[1];
  return { kind: ambiguous ? null : first[0], scores, ambiguous };
}
