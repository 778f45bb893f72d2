-- The RFM cut points, kept between reads: schema/sqlite/0007-rfm-cut-points.sql, spelled for PostgreSQL
-- (read that file for what the row holds and how it is kept right). Types as in 0003: counts integer,
-- money bigint, the days text COLLATE "C" as last_order_at is.
CREATE TABLE rfm_cut_points (
  id                integer PRIMARY KEY CHECK (id = 1),
  metrics_version   integer NOT NULL,
  computed_version  integer,
  given_currency    text COLLATE "C",
  main_currency     text COLLATE "C",
  r1 text COLLATE "C", r2 text COLLATE "C", r3 text COLLATE "C", r4 text COLLATE "C",
  f1 integer, f2 integer, f3 integer, f4 integer,
  m1 bigint, m2 bigint, m3 bigint, m4 bigint
);

INSERT INTO rfm_cut_points (id, metrics_version) VALUES (1, 1);
