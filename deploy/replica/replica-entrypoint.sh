#!/bin/sh
# The replica service: on its first start a base backup of the db service (-R writes the standby settings), then a
# hot standby that streams the primary's WAL. Its data directory is its own volume; remove it to re-clone.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U "$POSTGRES_USER" -d "$POSTGRES_DB"; do sleep 2; done
  mkdir -p "$PGDATA" && chown postgres "$PGDATA" && chmod 700 "$PGDATA"
  PGPASSWORD="$POSTGRES_PASSWORD" gosu postgres pg_basebackup -h db -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream \
    --checkpoint=fast
fi
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on
