-- Stored customer metrics: schema/sqlite/0003-customer-metrics.sql, spelled for PostgreSQL (read that
-- file for why the table exists and how it is kept right). As there, the rows are derived data that
-- src/db/customer-metrics.ts recomputes for the customers a write touched: no trigger maintains them,
-- and there is no foreign key.
--
-- Types as in 0001: counts integer, money bigint, mixed_currencies a 0/1 smallint (SQLite's INTEGER
-- 0/1, so it reads back as the same JS number 0 or 1, not a boolean).
CREATE TABLE customer_metrics (
  customer_id          integer PRIMARY KEY,
  orders_count         integer NOT NULL,
  -- Sum of counted order totals in minor units; 0 without counted orders; NULL when they are in more than one currency.
  total_spent_minor    bigint,
  currency             text COLLATE "C",
  mixed_currencies     smallint NOT NULL CHECK (mixed_currencies IN (0, 1)),
  first_order_at       text COLLATE "C",
  last_order_at        text COLLATE "C",
  interactions_count   integer NOT NULL,
  last_interaction_at  text COLLATE "C"
);

-- Finding a batch's interactions (to recompute their customers' metrics, and to undo the batch) without a full scan.
CREATE INDEX interactions_batch ON interactions (batch_id) WHERE batch_id IS NOT NULL;

-- The backfill spells out what src/db/customer-metrics.ts defines (EXCLUDED_ORDER_STATUSES; orders without a
-- currency count as the customer's one currency; two currencies are mixed and not summed). MIN/MAX over
-- currency compare byte by byte (the column is COLLATE "C"), as in SQLite.
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
  GROUP BY i.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET interactions_count = excluded.interactions_count, last_interaction_at = excluded.last_interaction_at;
