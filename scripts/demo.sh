#!/bin/sh
# The README's first Quick start command runs this: the main job on the bundled fixtures,
# into ./demo.db (deleted and made anew each run).
set -e
cd "$(dirname "$0")/.."
rm -f demo.db demo.db-wal demo.db-shm
export CUSTDB_DB=demo.db
custdb() { node bin/custdb.js "$@"; }
custdb init
custdb config set default-country US
custdb import fixtures/customers.csv
custdb import fixtures/dedupe/customers-typed-twice.csv   # the same people typed twice: typos, nicknames, swapped names
custdb import fixtures/dedupe/customers-typed-again.csv  # some of them once more, later: flagged as look-alikes of customers already there
custdb dedupe                                            # lists the groups; changes nothing
custdb imports list
custdb export customers --fields email,first_name,last_name,phone,country,tags
custdb doctor
