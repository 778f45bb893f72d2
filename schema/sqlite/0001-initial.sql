-- custdb first-cut data model (DESIGN.md, "Data model").
--
-- Conventions:
--   * timestamps are TEXT in UTC ISO 8601 with milliseconds and a Z:
--     '2026-11-23T09:30:00.000Z' — sortable as text, same in every dialect;
--   * calendar dates (birth_date, signup_date) are TEXT 'YYYY-MM-DD';
--   * money is INTEGER minor units (cents) beside a currency code, never floats;
--   * normalised copies of identifiers (email_norm, phone_e164) are stored
--     columns with plain indexes (an expression index made GROUP BY slower).

CREATE TABLE import_batches (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('customers', 'orders', 'interactions')),
  source        TEXT NOT NULL,
  file_name     TEXT NOT NULL,
  file_sha256   TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'undone')),
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  undone_at     TEXT,
  rows_total    INTEGER NOT NULL DEFAULT 0,
  inserted      INTEGER NOT NULL DEFAULT 0,
  updated       INTEGER NOT NULL DEFAULT 0,
  unchanged     INTEGER NOT NULL DEFAULT 0,
  rejected      INTEGER NOT NULL DEFAULT 0,
  mapping_json  TEXT NOT NULL DEFAULT '{}',
  summary_json  TEXT NOT NULL DEFAULT '{}',
  actor         TEXT NOT NULL
);
CREATE INDEX import_batches_sha ON import_batches (source, file_sha256);

CREATE TABLE customers (
  id                    INTEGER PRIMARY KEY,
  status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),
  merged_into           INTEGER REFERENCES customers (id),
  first_name            TEXT,
  last_name             TEXT,
  email                 TEXT,
  email_norm            TEXT,
  phone                 TEXT,
  phone_e164            TEXT,
  company               TEXT,
  job_title             TEXT,
  address_line1         TEXT,
  address_line2         TEXT,
  city                  TEXT,
  region                TEXT,
  postal_code           TEXT,
  country               TEXT,
  birth_date            TEXT,
  gender                TEXT,
  occupation            TEXT,
  income                TEXT,
  email_consent         TEXT CHECK (email_consent IN ('granted', 'denied')),
  email_consent_at      TEXT,
  email_consent_source  TEXT,
  sms_consent           TEXT CHECK (sms_consent IN ('granted', 'denied')),
  sms_consent_at        TEXT,
  sms_consent_source    TEXT,
  notes                 TEXT,
  signup_date           TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  created_batch_id      INTEGER REFERENCES import_batches (id)
);
-- Partial indexes: rows without the value (many have no phone; nearly none are merged) cost nothing to index.
CREATE INDEX customers_email_norm ON customers (email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX customers_phone_e164 ON customers (phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX customers_created_batch ON customers (created_batch_id) WHERE created_batch_id IS NOT NULL;
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_identities (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  source       TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  batch_id     INTEGER REFERENCES import_batches (id),
  UNIQUE (source, external_id)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE customer_tags (
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  tag          TEXT NOT NULL,
  PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags (tag);

CREATE TABLE customer_attributes (
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  name         TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (customer_id, name)
) WITHOUT ROWID;
CREATE INDEX customer_attributes_name ON customer_attributes (name, value);

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  sku         TEXT,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  UNIQUE (sku, name)
);

CREATE TABLE orders (
  id               INTEGER PRIMARY KEY,
  customer_id      INTEGER NOT NULL REFERENCES customers (id),
  source           TEXT NOT NULL,
  external_id      TEXT NOT NULL,
  ordered_at       TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'paid',
  currency         TEXT,
  subtotal_minor   INTEGER,
  discount_minor   INTEGER,
  shipping_minor   INTEGER,
  tax_minor        INTEGER,
  total_minor      INTEGER NOT NULL,
  batch_id         INTEGER REFERENCES import_batches (id),
  created_at       TEXT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX orders_customer_ordered ON orders (customer_id, ordered_at);
CREATE INDEX orders_batch ON orders (batch_id);

CREATE TABLE order_items (
  id                INTEGER PRIMARY KEY,
  order_id          INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id        INTEGER REFERENCES products (id),
  sku               TEXT,
  name              TEXT NOT NULL,
  quantity          REAL NOT NULL DEFAULT 1,
  unit_price_minor  INTEGER,
  total_minor       INTEGER
);
CREATE INDEX order_items_order ON order_items (order_id);
CREATE INDEX order_items_product ON order_items (product_id);

CREATE TABLE interactions (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  occurred_at  TEXT NOT NULL,
  channel      TEXT,
  kind         TEXT NOT NULL DEFAULT 'note',
  summary      TEXT,
  outcome      TEXT,
  staff        TEXT,
  source       TEXT,
  external_id  TEXT,
  batch_id     INTEGER REFERENCES import_batches (id),
  created_at   TEXT NOT NULL
);
CREATE INDEX interactions_customer_occurred ON interactions (customer_id, occurred_at);
CREATE UNIQUE INDEX interactions_source_external ON interactions (source, external_id) WHERE external_id IS NOT NULL;

-- The audit log: every write is an event (who, when, which command, what).
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,
  command       TEXT NOT NULL,
  summary       TEXT NOT NULL,
  details_json  TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE merges (
  id             INTEGER PRIMARY KEY,
  survivor_id    INTEGER NOT NULL REFERENCES customers (id),
  merged_id      INTEGER NOT NULL REFERENCES customers (id),
  probability    REAL,
  plan_json      TEXT NOT NULL,
  snapshot_json  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  undone_at      TEXT,
  event_id       INTEGER REFERENCES events (id)
);
CREATE INDEX merges_survivor ON merges (survivor_id);
CREATE INDEX merges_merged ON merges (merged_id);

-- Field-level record of what each import, merge or manual edit changed, so it can be undone and audited.
-- entity: 'customer' | 'identity' | 'tag' | 'attribute' | 'order' | 'interaction'
-- action: 'insert' | 'update' | 'delete'
CREATE TABLE changes (
  id           INTEGER PRIMARY KEY,
  batch_id     INTEGER REFERENCES import_batches (id),
  merge_id     INTEGER REFERENCES merges (id),
  event_id     INTEGER REFERENCES events (id),
  customer_id  INTEGER,
  entity       TEXT NOT NULL,
  entity_id    TEXT,
  action       TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  field        TEXT,
  old_value    TEXT,
  new_value    TEXT,
  at           TEXT NOT NULL
);
CREATE INDEX changes_batch ON changes (batch_id);
CREATE INDEX changes_customer ON changes (customer_id, id);

-- "Not the same person" decisions; left_id < right_id.
CREATE TABLE dedupe_decisions (
  left_id     INTEGER NOT NULL REFERENCES customers (id),
  right_id    INTEGER NOT NULL REFERENCES customers (id),
  decision    TEXT NOT NULL CHECK (decision IN ('distinct')),
  decided_at  TEXT NOT NULL,
  actor       TEXT NOT NULL,
  PRIMARY KEY (left_id, right_id)
) WITHOUT ROWID;

-- Possible duplicates flagged at import time (a shared email/phone with a clearly different first name,
-- or a look-alike), shown by `custdb show` and offered first by `dedupe --review`.
CREATE TABLE duplicate_suspects (
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  other_id     INTEGER NOT NULL REFERENCES customers (id),
  reason       TEXT NOT NULL,
  batch_id     INTEGER REFERENCES import_batches (id),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (customer_id, other_id)
) WITHOUT ROWID;
CREATE INDEX duplicate_suspects_other ON duplicate_suspects (other_id);

CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  where_expr  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Keyed hashes of erased people's identifiers, so an erased person is not re-imported.
CREATE TABLE suppressions (
  hash        TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'identity')),
  created_at  TEXT NOT NULL
);

-- Column mappings saved by `import --save-mapping NAME`.
CREATE TABLE saved_mappings (
  name          TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  mapping_json  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- Database-wide settings (`custdb config set default-country GB`).
CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
