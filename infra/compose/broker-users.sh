#!/bin/sh
# Runs once, after the broker is up (compose service broker-users): one broker user per service, none an
# administrator, each with rights on the pipeline vhost only; the administrator (RABBITMQ_DEFAULT_USER) is for the
# operator and the management UI. Idempotent: a restart of the stack sets the same users and passwords again.
set -eu
admin() { rabbitmqadmin --host rabbitmq --username admin --password "$PIPELINE_BROKER_ADMIN_PASSWORD" "$@"; }
for user in learner rollout verifier cli; do
    case $user in
        learner) password=$PIPELINE_BROKER_LEARNER_PASSWORD ;;
        rollout) password=$PIPELINE_BROKER_ROLLOUT_PASSWORD ;;
        verifier) password=$PIPELINE_BROKER_VERIFIER_PASSWORD ;;
        cli) password=$PIPELINE_BROKER_CLI_PASSWORD ;;
    esac
    admin declare user name="$user" password="$password" tags=""
    # MassTransit declares its own exchanges and queues (message types, endpoints, error queues, one temporary
    # queue per process), so each user configures, writes and reads within the vhost; none can manage the broker,
    # see other vhosts or create users.
    admin declare permission vhost=pipeline user="$user" configure='.*' write='.*' read='.*'
done
echo "broker users: learner rollout verifier cli"
