import { headerKey } from '../mapping/normalize-header.js';
import { PRESETS, type Preset } from '../mapping/presets.js';
import { recognizeRecordPreset } from '../mapping/recognize-preset.js';
import { ORDER_FIELDS, type OrderField } from '../model/order-fields.js';
import { mapRecordColumns, type RecordMapOptions, type RecordMappingResult, type Vocabulary } from '../mapping/map-record-columns.js';

/**
 * Header synonyms of the order fields, as shops, tills and payment providers
 * write them (English plus common German/French/Spanish labels), and as
 * invoice-line sales exports do (the "Online Retail" layout: InvoiceNo,
 * StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID,
 * Country — one row per invoice line). `weak` ones only win a field no
 * stronger header claims ("Name" is a person in most files, the order number
 * in Shopify's — which its preset handles).
 */
export const ORDER_SYNONYMS: Vocabulary<OrderField>['synonyms'] = {
  order_id: {
    strong: ['order id', 'order number', 'order no', 'order #', 'order nr', 'order', 'order name', 'order ref', 'order reference', 'invoice', 'invoice id', 'invoice number', 'invoice no', 'invoice nr', 'invoice ref', 'invoice reference', 'receipt number', 'receipt no', 'receipt id', 'receipt', 'transaction id', 'sale id', 'ticket number', 'bestellnummer', 'bestell nr', 'numéro de commande', 'número de pedido', 'ordernummer'],
    weak: ['id', 'number', 'reference', 'ref'],
  },
  customer_external_id: {
    strong: ['customer id', 'customer number', 'customer no', 'customer ref', 'customer reference', 'client id', 'member id', 'account id', 'buyer id', 'user id', 'external id', 'kundennummer', 'numéro client', 'id cliente'],
    weak: [],
  },
  email: {
    strong: ['email', 'e-mail', 'email address', 'customer email', 'billing email', 'buyer email', 'purchaser email', 'user email', 'contact email', 'e-mail-adresse', 'courriel', 'correo electrónico'],
    weak: [],
  },
  phone: {
    strong: ['phone', 'customer phone', 'billing phone', 'telephone', 'phone number', 'mobile', 'telefon', 'téléphone', 'teléfono'],
    weak: [],
  },
  first_name: { strong: ['first name', 'billing first name', 'customer first name', 'given name', 'vorname', 'prénom'], weak: [] },
  last_name: { strong: ['last name', 'billing last name', 'customer last name', 'surname', 'family name', 'nachname', 'nom de famille'], weak: [] },
  full_name: {
    strong: ['customer name', 'billing name', 'buyer name', 'purchaser', 'full name', 'client name', 'kunde', 'kundenname', 'client'],
    weak: ['name', 'customer', 'buyer'],
  },
  company: { strong: ['company', 'billing company', 'company name', 'firma'], weak: [] },
  address_line1: { strong: ['billing address1', 'billing address 1', 'billing street', 'address', 'address1', 'address line 1', 'street'], weak: [] },
  address_line2: { strong: ['billing address2', 'billing address 2', 'address2', 'address line 2'], weak: [] },
  city: { strong: ['billing city', 'city', 'town', 'stadt', 'ville'], weak: [] },
  region: { strong: ['billing province', 'billing state', 'province', 'region', 'county'], weak: ['state'] },
  postal_code: { strong: ['billing zip', 'billing postcode', 'billing postal code', 'zip', 'zip code', 'postcode', 'postal code', 'plz'], weak: [] },
  country: { strong: ['billing country', 'country', 'country code', 'land', 'pays'], weak: [] },
  email_consent: {
    strong: ['accepts marketing', 'accepts email marketing', 'buyer accepts marketing', 'email consent', 'marketing consent', 'email marketing consent', 'email opt in', 'marketing opt in', 'newsletter consent'],
    weak: ['newsletter', 'opt in', 'opted in'],
  },
  ordered_at: {
    strong: ['ordered at', 'order date', 'order time', 'order datetime', 'date', 'created at', 'created', 'created date (utc)', 'created (utc)', 'purchase date', 'purchased at', 'transaction date', 'sale date', 'date of purchase', 'placed at', 'invoice date', 'invoice datetime', 'invoice time', 'invoiced at', 'date of invoice', 'receipt date', 'bestelldatum', 'datum', 'date de commande', 'fecha'],
    weak: ['timestamp', 'time', 'when'],
  },
  status: {
    strong: ['order status', 'financial status', 'payment status', 'bestellstatus'],
    weak: ['status', 'state'],
  },
  currency: { strong: ['currency', 'currency code', 'order currency', 'währung', 'devise', 'moneda'], weak: [] },
  subtotal: { strong: ['subtotal', 'sub total', 'sub-total', 'zwischensumme', 'sous-total', 'net sales'], weak: [] },
  discount: { strong: ['discount', 'discounts', 'discount amount', 'discount total', 'total discount', 'rabatt', 'remise', 'descuento'], weak: [] },
  shipping: { strong: ['shipping', 'shipping total', 'shipping amount', 'shipping cost', 'shipping price', 'delivery', 'delivery charge', 'versand', 'versandkosten', 'livraison', 'envío'], weak: [] },
  tax: { strong: ['tax', 'taxes', 'tax total', 'tax amount', 'total tax', 'vat', 'sales tax', 'mwst', 'ust', 'tva', 'iva'], weak: [] },
  total: {
    strong: ['total', 'order total', 'grand total', 'total amount', 'total price', 'amount', 'amount paid', 'revenue', 'sale amount', 'gesamt', 'gesamtbetrag', 'betrag', 'montant', 'importe'],
    weak: ['sum', 'dollars', 'value', 'price total'],
  },
  refunded: { strong: ['refunded', 'refunded total', 'refunded amount', 'amount refunded', 'refund amount', 'refunds'], weak: [] },
  cancelled_at: { strong: ['cancelled at', 'canceled at', 'cancelled date', 'cancellation date'], weak: [] },
  item_sku: { strong: ['sku', 'lineitem sku', 'item sku', 'product sku', 'product code', 'item code', 'stock code', 'stock number', 'stock no', 'item number', 'item no', 'article number', 'artikelnummer', 'référence'], weak: ['code'] },
  item_name: {
    strong: ['product', 'product name', 'item name', 'lineitem name', 'line item', 'product title', 'artikel', 'produit', 'producto'],
    weak: ['item', 'description', 'title'],
  },
  item_quantity: { strong: ['quantity', 'qty', 'quantity ordered', 'qty ordered', 'lineitem quantity', 'item quantity', 'units', 'menge', 'anzahl', 'quantité', 'cantidad', 'cds', 'number of items'], weak: ['count'] },
  item_price: { strong: ['price', 'unit price', 'price per unit', 'price each', 'unit cost', 'lineitem price', 'item price', 'product price', 'preis', 'einzelpreis', 'prix', 'precio'], weak: [] },
  item_total: { strong: ['line total', 'item total', 'lineitem total', 'line amount'], weak: [] },
  items: { strong: ['product(s)', 'products', 'items', 'line items', 'items purchased'], weak: [] },
};

export const ORDER_VOCABULARY: Vocabulary<OrderField> = {
  kind: 'orders',
  fields: ORDER_FIELDS,
  synonyms: ORDER_SYNONYMS,
};

/** The order presets (Shopify orders, Stripe payments, WooCommerce orders), from the shared list. */
export function orderPresets(): Preset[] {
  return PRESETS.filter((preset) => preset.kind === 'orders');
}

/** Recognises an orders export by its header among the order presets only (see `recognizeRecordPreset`). */
export function recognizeOrderPreset(header: readonly string[]): { preset: Preset | null; note: string | null } {
  return recognizeRecordPreset(header, 'orders');
}

/**
 * Maps an orders file's header to order fields: `--map` overrides, else the
 * (recognised or named) preset, else synonyms. custdb's own orders export
 * carries custdb's customer numbers, which mean nothing elsewhere: its
 * `customer_id` and `source` columns are ignored (email/phone link instead).
 * @example mapOrderColumns(['Order #', 'Email', 'Total'], {}) // order_id, email, total
 */
export function mapOrderColumns(
  header: readonly string[],
  options: RecordMapOptions = {},
): RecordMappingResult<OrderField> {
  const overrides: Record<string, string> = { ...options.overrides };
  const keys = header.map(headerKey);
  if (keys.includes('orderid') && keys.includes('customerid') && keys.includes('source') && keys.includes('itemsku')) {
    overrides.customer_id ??= 'ignore';
    overrides.source ??= 'ignore';
  }
  return mapRecordColumns(header, ORDER_VOCABULARY, { ...options, overrides });
}
