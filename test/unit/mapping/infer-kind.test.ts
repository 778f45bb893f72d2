import { describe, expect, it } from 'vitest';
import { inferKind } from '../../../src/mapping/infer-kind.js';

const split = (line: string): string[] => line.split(',');

describe('inferKind', () => {
  it('reads a Shopify orders header (Name + Financial Status + Lineitem name) as orders', () => {
    const header = split('Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Billing Phone,Phone,Notes,Tags,Id');
    expect(inferKind(header).kind).toBe('orders');
  });

  it('reads WooCommerce orders ("Order #", "Product(s)") and Stripe payments as orders', () => {
    expect(inferKind(split('Date,Order #,N. Revenue (formatted),Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net Sales,Attribution')).kind).toBe('orders');
    expect(inferKind(split('id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Description,Fee,Status,Customer ID,Customer Email,Customer Phone')).kind).toBe('orders');
  });

  it.each([
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country',
    'Invoice Number,Invoice Date,Stock Code,Description,Qty,Unit Price,Customer ID,Country',
    'invoice_no,invoice_date,description,qty,unit_price,customer_id',
    'Invoice #,Invoice Date,Email,Phone,Amount',
  ])('reads an invoice-lines sales export (%s) as orders', (line) => {
    expect(inferKind(split(line)).kind).toBe('orders');
  });

  it('reads a customers export as customers even when it has money columns', () => {
    expect(inferKind(split('Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Phone,Total Spent,Total Orders,Note,Tags')).kind).toBe('customers');
    expect(inferKind(split('id,Description,Email,Name,Created (UTC),Delinquent,Plan,Status,Account Balance,Currency,Total Spend,Payment Count')).kind).toBe('customers');
  });

  it('reads channel/subject/summary columns as interactions', () => {
    expect(inferKind(split('email,date,channel,kind,subject,summary,outcome')).kind).toBe('interactions');
  });

  it('returns null, not a guess, for a header with nothing identifying', () => {
    expect(inferKind(split('colour,size,weight'))).toMatchObject({ kind: null, ambiguous: false });
  });

  it('reports a tie as ambiguous with no kind', () => {
    // customers: email + phone = 2; orders: currency = 2
    const result = inferKind(split('email,phone,currency'));
    expect(result).toMatchObject({ kind: null, ambiguous: true });
  });
});
