-- Stored customer metrics, so that reading them for every customer (segments, reports, exports) is one
-- scan instead of grouping every order: at 1M customers / 5M orders a segment count took ~6 s by grouping.
--
-- One row per customer with at least one counted order or any interaction; a customer without a row has
-- no orders counted and no interactions (zeros). days_since_last_order is not stored: it changes every day
-- and is computed from last_order_at when read. Rows are derived data, recomputed set-based for exactly the
-- customers a write touched, once per import batch, undo, merge or note (src/db/customer-metrics.ts);
-- `custdb doctor` compares them with a grouping of the orders. No foreign key: deleting a customer never
-- waits on (or fails because of) this table.
--
-- The backfill below spells out what src/db/customer-metrics.ts defines (EXCLUDED_ORDER_STATUSES; orders
-- without a currency count as the customer's one currency; two currencies are mixed and not summed).
-- Should that definition change, a later migration must recompute the table; test/db/customer-metrics-upgrade
-- compares the backfilled rows with the code's own computation.
CREATE TABLE customer_metrics (
  customer_id          INTEGER PRIMARY KEY,
  orders_count         INTEGER NOT NULL,
  -- Sum of counted order totals in minor units; 0 without counted orders; NULL when they are in more than one currency.
  total_spent_minor    INTEGER,
  currency             TEXT,
  mixed_currencies     INTEGER NOT NULL CHECK (mixed_currencies IN (0, 1)),
  first_order_at       TEXT,
  last_order_at        TEXT,
  interactions_count   INTEGER NOT NULL,
  last_interaction_at  TEXT
);

-- Finding a batch's interactions (to recompute their customers' metrics, and to undo the batch) without a full scan.
CREATE INDEX interactions_batch ON interactions (batch_id) WHERE batch_id IS NOT NULL;

-- Grouped through orders_customer_ordered (customer_id, ordered_at, status, currency, total_minor): an index-only scan.
INSERT INTO customer_metrics (customer_id, orders_count, total_spent_minor, currency, mixed_currencies, first_order_at, last_order_at, interactions_count, last_interaction_at)
SELECT o.customer_id,
    COUNT(*),
    CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN NULL ELSE SUM(o.total_minor) END,
    CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN NULL ELSE MIN(o.currency) END,
    CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN 1 ELSE 0 END,
    MIN(o.ordered_at),
    MAX(o.ordered_at),
    0,
    NULL
  FROM orders o
  WHERE o.status NOT IN ('refunded', 'cancelled', 'canceled', 'voided', 'failed')
  GROUP BY o.customer_id;

INSERT INTO customer_metrics (customer_id, orders_count, total_spent_minor, currency, mixed_currencies, first_order_at, last_order_at, interactions_count, last_interaction_at)
SELECT i.customer_id, 0, 0, NULL, 0, NULL, NULL, COUNT(*), MAX(i.occurred_at)
  FROM interactions i
  WHERE true
  GROUP BY i.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET interactions_count = excluded.interactions_count, last_interaction_at = excluded.last_interaction_at;
