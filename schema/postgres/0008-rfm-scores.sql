-- Every ranked customer's RFM scores, kept with their cut points: schema/sqlite/0008-rfm-scores.sql,
-- spelled for PostgreSQL (read that file for why and how it is kept right).
CREATE TABLE rfm_scores (
  customer_id  integer PRIMARY KEY,
  r            integer NOT NULL,
  f            integer NOT NULL,
  m            integer NOT NULL
);
