#!/bin/bash
# PostgreSQL's first start (docker-entrypoint-initdb.d): one role per use, none of them a superuser.
#   learner  owns the pipeline database: migrations, runs, groups, steps, Hangfire's tables
#   reader   may only read it: `pipeline runs`, `pipeline dashboard`, `pipeline chaos`'s checks
# Rollout workers and verifiers get no role at all. The image's superuser stays for administration only.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v learner_password="$PIPELINE_DB_LEARNER_PASSWORD" -v reader_password="$PIPELINE_DB_READER_PASSWORD" <<'SQL'
CREATE ROLE learner LOGIN PASSWORD :'learner_password';
CREATE ROLE reader LOGIN PASSWORD :'reader_password';
CREATE DATABASE pipeline OWNER learner;
REVOKE ALL ON DATABASE pipeline FROM PUBLIC;
GRANT CONNECT ON DATABASE pipeline TO learner, reader;
\connect pipeline
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO learner;
GRANT USAGE ON SCHEMA public TO reader;
ALTER DEFAULT PRIVILEGES FOR ROLE learner IN SCHEMA public GRANT SELECT ON TABLES TO reader;
SQL
