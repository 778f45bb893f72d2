#!/bin/sh
# The README's first Quick start command runs this: the main job on the bundled fixtures,
# into ./demo.db (deleted and made anew each run), or into the PostgreSQL database CUSTDB_DB names
# (CUSTDB_DB=postgres://you@localhost/demo npm run demo: an empty database made with createdb; run
# again, its imports are recognised as done and skipped).
set -e
cd "$(dirname "$0")/.."
case "${CUSTDB_DB:-}" in
  postgres://* | postgresql://*) ;;
  *)
    rm -f demo.db demo.db-wal demo.db-shm
    export CUSTDB_DB=demo.db
    ;;
esac
custdb() { node bin/custdb.js "$@"; }
custdb init
custdb config set default-country US
custdb import fixtures/customers.csv
custdb import fixtures/dedupe/customers-typed-twice.csv   # the same people typed twice: typos, nicknames, swapped names
custdb import fixtures/dedupe/customers-typed-again.csv  # some of them once more, later: flagged as look-alikes of customers already there
custdb import fixtures/orders/shopify_orders.csv         # orders: each customer's count, spend and RFM follow
custdb import fixtures/rfm/orders.csv --as orders --source shop  # a year of another shop's orders, for the reports' monthly series
custdb dedupe                                            # lists the groups; changes nothing
custdb imports list
custdb query --where 'orders_count >= 1' --fields id,full_name,orders_count,total_spent,rfm_score,rfm_segment --sort total_spent:desc
custdb query --where 'tags contains "vip" or country in ("GB", "NL")' --count
custdb export customers --fields email,first_name,last_name,phone,country,tags,orders_count,total_spent
custdb report summary                                    # customers, orders and revenue, with charts in the terminal
custdb report all --html demo-report.html                # the reports on one page to open in a browser or send on
custdb doctor
