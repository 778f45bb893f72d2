import { normalizeCustomerRow, type RowContext } from '../import/normalize-customer-row.js';
import { foldName } from '../normalize/fold-name.js';
import type { MappedRow, ScalarField } from '../mapping/map-row.js';
import type { CustomerRecord } from '../model/customer-record.js';
import { ORDER_CUSTOMER_FIELDS, type OrderField } from '../model/order-fields.js';
import { isScientificNotation } from '../normalize/clean-cell.js';
import { isDayMonthDate, parseTimestamp } from '../normalize/parse-date.js';
import { parseMoney, type ParsedMoney } from '../normalize/parse-money.js';

/** One data row of an orders file after mapping: its fields, by the line it came from. */
export interface OrderRow {
  line: number;
  fields: Partial<Record<OrderField, string>>;
}

export interface OrderItemDraft {
  sku: string | null;
  name: string;
  quantity: number;
  /** Hundredths of the currency unit, like every amount custdb stores. */
  unitPriceMinor: number | null;
  totalMinor: number | null;
  /** False for a row with a quantity or price but no name or sku: no product is recorded for it. */
  named: boolean;
}

export interface NormalizedOrder {
  /** The file's order id, or null when the file has none (an id is then derived from `contentKey`). */
  orderId: string | null;
  /** UTC ISO instant. */
  orderedAt: string;
  status: string;
  currency: string | null;
  subtotalMinor: number | null;
  discountMinor: number | null;
  shippingMinor: number | null;
  taxMinor: number | null;
  totalMinor: number;
  /** Where the total came from when the file gave none (normal for one-row-per-item files): said once per file, not per order. */
  totalComputedFrom: 'subtotal' | 'item prices' | null;
  items: OrderItemDraft[];
  /** Whose order it is, standardised like an imported customer row; it has an external id, email or phone. */
  customer: CustomerRecord;
  /** The order's standardised content, for a derived id that stays the same when the file is imported again; null when the file gave an id. */
  contentKey: string | null;
}

export interface OrderWarning {
  line: number;
  field: OrderField | 'row';
  message: string;
}

export type OrderNormalization =
  | { ok: true; order: NormalizedOrder; warnings: OrderWarning[] }
  | { ok: false; reasons: string[]; warnings: OrderWarning[] };

export type OrderContext = RowContext;

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MONEY_FIELDS = ['subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded'] as const;
type MoneyField = (typeof MONEY_FIELDS)[number];

/**
 * Standardises one order from its rows (one row, or every row sharing an
 * order id): order-level fields from the first row that has them, one item
 * per row that names one, plus any packed `items` cell. Rejected — with
 * reasons — when it has no date, no readable total (and no prices to add
 * up), an Excel-mangled id, or nothing that says whose order it is (a
 * customer id, email or phone). Pure; never throws.
 */
export function normalizeOrder(rows: readonly OrderRow[], ctx: OrderContext): OrderNormalization {
  const warnings: OrderWarning[] = [];
  const reasons: string[] = [];
  const firstLine = rows[0]?.line ?? 0;
  const first = (field: OrderField): { value: string; line: number } | null => {
    for (const row of rows) {
      const value = row.fields[field];
      if (value !== undefined && value !== '') return { value, line: row.line };
    }
    return null;
  };

  const orderId = first('order_id')?.value ?? null;
  if (orderId !== null && isScientificNotation(orderId)) {
    reasons.push(`order id ${orderId} is in scientific notation (Excel mangled it): the real id is lost`);
  }

  let orderedAt: string | null = null;
  const dateCell = first('ordered_at');
  if (dateCell === null) {
    reasons.push('no order date');
  } else if (ctx.dateOrderConflict && isDayMonthDate(dateCell.value)) {
    reasons.push(`the file's dates contradict each other on day/month order, so ${dateCell.value} is not read; use --date-format dmy|mdy`);
  } else {
    const parsed = parseTimestamp(dateCell.value, ctx.dateOrder);
    orderedAt = parsed.timestamp;
    if (orderedAt === null) reasons.push(`order date: ${parsed.warnings[0] ?? `cannot read ${JSON.stringify(dateCell.value)} as a date`}`);
  }

  const symbolCurrencies = new Set<string>();
  const money = {} as Record<MoneyField, number | null>;
  for (const field of MONEY_FIELDS) {
    const cell = first(field);
    money[field] = null;
    if (cell === null) continue;
    const parsed = readMoney(cell.value);
    if (parsed.currency !== null) symbolCurrencies.add(parsed.currency);
    if (parsed.minor === null) {
      if (field === 'total') reasons.push(`total: ${parsed.warnings[0] ?? 'not an amount'}`);
      else warnings.push({ line: cell.line, field, message: `${parsed.warnings[0] ?? 'not an amount'}; left empty` });
      continue;
    }
    money[field] = parsed.minor;
  }
  // Some exports write discounts as negative amounts; custdb keeps the amount taken off.
  if (money.discount !== null) money.discount = Math.abs(money.discount);

  const items: OrderItemDraft[] = [];
  for (const row of rows) {
    const item = readItem(row, warnings, symbolCurrencies);
    if (item !== null) items.push(item);
  }
  const packed = first('items');
  if (packed !== null) items.push(...parsePackedItems(packed.value));

  let total = money.total;
  let totalComputedFrom: NormalizedOrder['totalComputedFrom'] = null;
  if (total === null && !reasons.some((r) => r.startsWith('total:'))) {
    const itemsSum = items.length > 0 && items.every((i) => i.totalMinor !== null) ? items.reduce((sum, i) => sum + (i.totalMinor ?? 0), 0) : null;
    const base = money.subtotal ?? itemsSum;
    if (base === null) {
      reasons.push('no total, and no subtotal or item prices to add up');
    } else {
      total = base + (money.shipping ?? 0) + (money.tax ?? 0) - (money.discount ?? 0);
      totalComputedFrom = money.subtotal !== null ? 'subtotal' : 'item prices';
    }
  }

  let currency: string | null = null;
  const currencyCell = first('currency');
  if (currencyCell !== null) {
    const code = currencyCell.value.toUpperCase();
    if (/^[A-Z]{3}$/.test(code)) currency = code;
    else warnings.push({ line: currencyCell.line, field: 'currency', message: `currency ${JSON.stringify(currencyCell.value)} is not an ISO code; left empty` });
  }
  if (currency === null && symbolCurrencies.size === 1) currency = [...symbolCurrencies][0] ?? null;

  const status = decideStatus(first('status')?.value ?? null, first('cancelled_at') !== null, money.refunded, total);

  const customerRow: MappedRow = { fields: {}, tags: [], identities: [], attributes: {} };
  for (const field of ORDER_CUSTOMER_FIELDS) {
    const cell = first(field);
    if (cell === null) continue;
    const target: ScalarField = field === 'customer_external_id' ? 'external_id' : field;
    customerRow.fields[target] = cell.value;
  }
  // Guest checkouts (Stripe) sometimes put the email where the card holder's name goes.
  const name = customerRow.fields.full_name;
  if (customerRow.fields.email === undefined && name !== undefined && EMAIL_LIKE.test(name)) {
    customerRow.fields.email = name;
    delete customerRow.fields.full_name;
  }
  const customer = normalizeCustomerRow(customerRow, ctx);
  for (const warning of customer.warnings) {
    const field: OrderField | 'row' = warning.field === 'external_id' ? 'customer_external_id' : isOrderCustomerField(warning.field) ? warning.field : 'row';
    warnings.push({ line: firstLine, field, message: warning.message });
  }
  let record: CustomerRecord | null = null;
  if (!customer.ok) {
    reasons.push(customerRow.fields.email || customerRow.fields.phone || customerRow.fields.external_id ? `customer: ${customer.reasons[0] ?? 'invalid'}` : 'no customer id, email or phone: cannot tell whose order this is');
  } else if (customer.record.externalIds.length === 0 && customer.record.values.email_norm === null && customer.record.values.phone_e164 === null) {
    // Some exports (WooCommerce Analytics) name the customer and nothing else. Within one source a
    // full name is then the customer's id there: the same name's orders go to one customer, next
    // month's file finds them again, and another source's namesake is never joined by it. A row whose
    // id, email or phone is there but broken is rejected instead, to be fixed, not linked by name.
    const fullName = foldName(`${customer.record.values.first_name ?? ''} ${customer.record.values.last_name ?? ''}`);
    const gaveIdentifier = Boolean(customerRow.fields.email || customerRow.fields.phone || customerRow.fields.external_id);
    if (gaveIdentifier || customer.record.values.first_name === null || customer.record.values.last_name === null || fullName === '') {
      reasons.push(`no valid customer id, email, phone${gaveIdentifier ? '' : ' or full name'}: cannot tell whose order this is`);
    } else {
      record = { ...customer.record, externalIds: [{ source: ctx.source, externalId: `name:${fullName}` }] };
    }
  } else {
    record = customer.record;
  }

  if (reasons.length > 0 || orderedAt === null || total === null || record === null) return { ok: false, reasons, warnings };

  const reference = record.externalIds[0] ? `${record.externalIds[0].source}:${record.externalIds[0].externalId}` : (record.values.email_norm ?? record.values.phone_e164 ?? '');
  const contentKey = orderId !== null ? null : JSON.stringify([reference, orderedAt, currency, total, items.map((i) => [i.sku, i.name, i.quantity, i.unitPriceMinor])]);
  return {
    ok: true,
    order: {
      orderId,
      orderedAt,
      status,
      currency,
      subtotalMinor: money.subtotal,
      discountMinor: money.discount,
      shippingMinor: money.shipping,
      taxMinor: money.tax,
      totalMinor: total,
      totalComputedFrom,
      items,
      customer: record,
      contentKey,
    },
    warnings,
  };
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  paid: 'paid', completed: 'paid', complete: 'paid', succeeded: 'paid', success: 'paid', successful: 'paid', captured: 'paid',
  fulfilled: 'paid', settled: 'paid', closed: 'paid', payment_received: 'paid', bezahlt: 'paid', payé: 'paid', pagado: 'paid',
  pending: 'pending', processing: 'pending', on_hold: 'pending', authorized: 'pending', authorised: 'pending', unpaid: 'pending',
  open: 'pending', incomplete: 'pending', partially_paid: 'pending', awaiting_payment: 'pending', uncaptured: 'pending',
  partially_refunded: 'partially_refunded', partial_refund: 'partially_refunded',
  refunded: 'refunded', refund: 'refunded',
  cancelled: 'cancelled', canceled: 'cancelled', voided: 'cancelled', void: 'cancelled', expired: 'cancelled',
  failed: 'failed', declined: 'failed', payment_failed: 'failed', blocked: 'failed',
};

/**
 * The stored status: the file's word mapped to paid / pending /
 * partially_refunded / refunded / cancelled / failed (other words kept,
 * lower-cased); a cancellation date means cancelled; a refunded amount on a
 * paid order means (partially) refunded; no status at all means paid, or
 * cancelled when the total is below zero. Pure.
 */
export function decideStatus(raw: string | null, cancelled: boolean, refundedMinor: number | null, totalMinor: number | null): string {
  if (cancelled) return 'cancelled';
  const key = (raw ?? '').trim().toLowerCase().replace(/^wc-/, '').replace(/[\s-]+/g, '_');
  // With no status of its own, a negative total is a cancellation or credit note (Online Retail's
  // "C536379" invoices with negative quantities, a till's returns): it is kept as written, and being
  // cancelled it counts neither as an order nor as spend.
  if (key === '' && totalMinor !== null && totalMinor < 0) return 'cancelled';
  const status = key === '' ? 'paid' : (STATUS_WORDS[key] ?? key);
  if (status === 'paid' && refundedMinor !== null && refundedMinor > 0) {
    return totalMinor !== null && refundedMinor >= totalMinor ? 'refunded' : 'partially_refunded';
  }
  return status;
}

/** `2× Hoodie, 1× Cap` (WooCommerce's packed Product(s) cell) → items; a piece without a count is one of it. Pure. */
export function parsePackedItems(cell: string): OrderItemDraft[] {
  const pieces = cell.split(/,\s*(?=\d+(?:[.,]\d+)?\s*[×xX*]\s)/u);
  const items: OrderItemDraft[] = [];
  for (const piece of pieces) {
    const text = piece.trim();
    if (text === '') continue;
    const match = /^(\d+(?:[.,]\d+)?)\s*[×xX*]\s*(.+)$/u.exec(text);
    const name = (match?.[2] ?? text).trim();
    items.push({ sku: null, name, quantity: match?.[1] === undefined ? 1 : Number(match[1].replace(',', '.')), unitPriceMinor: null, totalMinor: null, named: true });
  }
  return items;
}

function readItem(row: OrderRow, warnings: OrderWarning[], currencies: Set<string>): OrderItemDraft | null {
  const f = row.fields;
  if (f.item_sku === undefined && f.item_name === undefined && f.item_quantity === undefined && f.item_price === undefined && f.item_total === undefined) return null;
  let quantity = 1;
  if (f.item_quantity !== undefined) {
    const text = f.item_quantity.replace(',', '.');
    if (/^-?\d+(?:\.\d+)?$/.test(text)) quantity = Number(text);
    else warnings.push({ line: row.line, field: 'item_quantity', message: `quantity ${JSON.stringify(f.item_quantity)} is not a number; read as 1` });
  }
  const amount = (field: 'item_price' | 'item_total'): number | null => {
    const raw = f[field];
    if (raw === undefined) return null;
    const parsed = readMoney(raw);
    if (parsed.currency !== null) currencies.add(parsed.currency);
    if (parsed.minor === null) warnings.push({ line: row.line, field, message: `${parsed.warnings[0] ?? 'not an amount'}; left empty` });
    return parsed.minor;
  };
  const unitPriceMinor = amount('item_price');
  const given = amount('item_total');
  const totalMinor = given ?? (unitPriceMinor === null ? null : Math.round(unitPriceMinor * quantity));
  const named = f.item_name !== undefined || f.item_sku !== undefined;
  return { sku: f.item_sku ?? null, name: f.item_name ?? f.item_sku ?? '(unnamed item)', quantity, unitPriceMinor, totalMinor, named };
}

const PLAIN_AMOUNT = /^(-?)(\d{1,12})(?:\.(\d{1,2}))?$/;

/** parseMoney, with a fast path for the plain `1299.00` most exports write (the same result, without the regex envelope). */
function readMoney(raw: string): ParsedMoney {
  const plain = PLAIN_AMOUNT.exec(raw);
  if (plain === null) return parseMoney(raw);
  const cents = Number((plain[3] ?? '').padEnd(2, '0'));
  const minor = Number(plain[2]) * 100 + cents;
  const signed = plain[1] === '-' && minor !== 0 ? -minor : minor;
  return { amount: signed / 100, minor: signed, currency: null, warnings: [] };
}

function isOrderCustomerField(field: string): field is (typeof ORDER_CUSTOMER_FIELDS)[number] {
  return (ORDER_CUSTOMER_FIELDS as readonly string[]).includes(field);
}
