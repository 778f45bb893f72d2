-- Every ranked customer's RFM scores, kept with the cut points they were scored against (rfm_cut_points,
-- 0007). Scoring is four comparisons per measure, and a read of rfm_score and rfm_segment scores each
-- measure again wherever it is named (monetary's main-currency spend the dearest), most of the time an
-- RFM read takes. src/db/rfm-cut-points.ts rewrites this table in the same transaction that keeps the
-- cut points, so a read that finds the cut points fresh (computed_version = metrics_version) finds these
-- scores of the same metrics, and reads them instead of scoring; a read that finds them stale scores as
-- before. Rows of customers merged or erased since are left until that rewrite: reads start from the
-- active customers.
CREATE TABLE rfm_scores (
  customer_id  INTEGER PRIMARY KEY,
  r            INTEGER NOT NULL,
  f            INTEGER NOT NULL,
  m            INTEGER NOT NULL
);
