#!/bin/sh
# Prints a .env file for compose.yaml with a fresh random password for every identity:
#   infra/compose/secrets.sh > .env && chmod 600 .env
set -eu
for name in BROKER_ADMIN BROKER_LEARNER BROKER_ROLLOUT BROKER_VERIFIER BROKER_CLI POSTGRES DB_LEARNER DB_READER; do
    printf 'PIPELINE_%s_PASSWORD=%s\n' "$name" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
done
