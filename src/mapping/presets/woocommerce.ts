import type { Preset } from '../presets.js';
import { fallback, keepExtras, presetColumn as col } from './preset-column.js';

/**
 * WooCommerce › Analytics › Customers › Download. The server-side export uses
 * "Sign Up"/"Last Active"; the in-browser download of a small report uses the
 * table labels ("Date registered", "Last active"): both are aliases. `Name` is the
 * full name (split later by the row normaliser).
 */
export const WOOCOMMERCE_CUSTOMERS: Preset = {
  name: 'woocommerce-customers',
  label: 'WooCommerce Analytics customers export',
  kind: 'customers',
  source: 'woocommerce',
  required: ['Username', 'Email', ['AOV', 'Total Spend'], ['Sign Up', 'Last Active']],
  columns: [
    col(['Name', 'Customer Name'], 'full_name'),
    col('Username', 'attr.username'),
    col(['Last Active', 'Last active'], 'attr.last_active'),
    col(['Sign Up', 'Date registered', 'Date Registered'], 'signup_date'),
    col('Email', 'email'),
    col('Orders', 'attr.orders'),
    col(['Total Spend', 'Total spend'], 'attr.total_spend'),
    col('AOV', 'attr.aov'),
    col(['Country / Region', 'Country/Region', 'Country'], 'country'),
    col('City', 'city'),
    col('Region', 'region'),
    col(['Postal Code', 'Postal code'], 'postal_code'),
  ],
};

/**
 * Customer exports made by plugins (WebToffee user export, SkyVerge Customer/Order
 * Export): WordPress user fields and WooCommerce billing/shipping meta as
 * snake_case headers. Billing details are the customer's; shipping ones stay attributes.
 */
export const WOOCOMMERCE_CUSTOMERS_PLUGIN: Preset = {
  name: 'woocommerce-customers-plugin',
  label: 'WooCommerce customers export (plugin, snake_case columns)',
  kind: 'customers',
  source: 'woocommerce',
  required: ['billing_first_name', ['billing_email', 'billing_phone', 'billing_postcode']],
  columns: [
    col(['customer_id', 'user_id', 'ID'], 'external_id'),
    col(['user_login', 'username'], 'attr.username'),
    col(['user_email', 'email'], 'email', keepExtras(1)),
    col('billing_email', 'email', keepExtras(2)),
    col('first_name', 'first_name', fallback(1)),
    col('billing_first_name', 'first_name', fallback(2)),
    col('last_name', 'last_name', fallback(1)),
    col('billing_last_name', 'last_name', fallback(2)),
    col('billing_company', 'company'),
    col('billing_phone', 'phone'),
    col('billing_address_1', 'address_line1'),
    col('billing_address_2', 'address_line2'),
    col('billing_city', 'city'),
    col('billing_state', 'region'),
    col('billing_postcode', 'postal_code'),
    col('billing_country', 'country'),
    col(['user_registered', 'date_registered', 'customer_since'], 'signup_date'),
    col(['display_name', 'user_nicename'], 'attr.display_name'),
    col(['order_count', 'orders_count', 'total_orders'], 'attr.order_count'),
    col(['total_spent', 'money_spent'], 'attr.total_spent'),
  ],
};
