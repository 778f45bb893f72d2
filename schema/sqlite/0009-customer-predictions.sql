-- Customer-value models fitted by `custdb analytics fit` (src/analytics/), and what they predict per customer.
--
-- model_fits keeps every fit that wrote predictions, newest last: the parameters of each model with their
-- log-likelihood and customers (models_json), the day the history was cut at, the time unit the rate
-- parameters are in, the value horizon and discount rate, and the state of the orders then (how many,
-- the highest order id, the highest change row recorded for an order), so a later read can tell how many
-- orders were added, removed or changed since: the predictions are then stale.
--
-- customer_predictions holds the newest fit's predictions, one row per customer who had a counted order by
-- its as-of day; a fit replaces them all in one transaction. They are derived data: no foreign key, so
-- deleting or merging a customer never waits on this table (a merged customer's row is simply not joined,
-- as `cf` reads active customers only). Money in major units of the orders' currency.
CREATE TABLE model_fits (
  id                    INTEGER PRIMARY KEY,
  fitted_at             TEXT NOT NULL,
  as_of                 TEXT NOT NULL,
  time_unit             TEXT NOT NULL CHECK (time_unit IN ('days', 'weeks')),
  horizon_months        INTEGER NOT NULL,
  monthly_discount_rate REAL NOT NULL,
  models_json           TEXT NOT NULL,
  orders_count          INTEGER NOT NULL,
  max_order_id          INTEGER NOT NULL,
  max_order_change_id   INTEGER NOT NULL
);

CREATE TABLE customer_predictions (
  customer_id           INTEGER PRIMARY KEY,
  fit_id                INTEGER NOT NULL,
  p_active              REAL NOT NULL,
  expected_orders_90d   REAL NOT NULL,
  expected_orders_365d  REAL NOT NULL,
  predicted_value_12m   REAL NOT NULL,
  clv                   REAL NOT NULL
);
