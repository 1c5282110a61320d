#!/bin/sh
# The db service's first start (docker-entrypoint-initdb.d): let the replica service stream from it (pg_basebackup,
# then WAL), with the same password as the portal's user.
set -eu
echo "host replication $POSTGRES_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
