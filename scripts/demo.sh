#!/bin/sh
# The README's first Quick start command runs this: the main job on the bundled fixtures,
# into ./demo.db (deleted and made anew each run).
set -e
cd "$(dirname "$0")/.."
rm -f demo.db demo.db-wal demo.db-shm
export CUSTDB_DB=demo.db
node bin/custdb.js init
node bin/custdb.js doctor
