-- The RFM cut points, kept between reads: every RFM score compares a customer's value with four cut
-- points per measure (src/db/customer-fields-query.ts), and finding them sorts every ranked customer's
-- values (at 1M customers ~1 s of CPU per measure, most of an RFM read). They change whenever any stored
-- metrics change, so a write does not recompute them: src/db/customer-metrics.ts only counts its change
-- in metrics_version, in the write's own transaction, and the next RFM read as of today recomputes them
-- (src/db/rfm-cut-points.ts) when computed_version differs. A reader that may not write (a read-only
-- analyst) computes them inside its query instead, as it always did.
--
-- One row. given_currency is the main currency the caller named (the `currency` setting), NULL when the
-- cut points rank spend in the voted one; main_currency is the one they rank in. Cut points are the
-- (⌊j·n/5⌋ + 1)-th smallest value of a measure, j = 1…4: r* the day of the last order, f* the orders,
-- m* the spend in main_currency (minor units); NULL when no customer is ranked.
CREATE TABLE rfm_cut_points (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  metrics_version   INTEGER NOT NULL,
  computed_version  INTEGER,
  given_currency    TEXT,
  main_currency     TEXT,
  r1 TEXT, r2 TEXT, r3 TEXT, r4 TEXT,
  f1 INTEGER, f2 INTEGER, f3 INTEGER, f4 INTEGER,
  m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER
);

INSERT INTO rfm_cut_points (id, metrics_version) VALUES (1, 1);
