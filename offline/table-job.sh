#!/bin/sh
# The offline table job: STANDS IN for the `terraform` service's job where the Terraform registry
# cannot be reached (offline/compose.yml runs it; docs/OFFLINE.md). It creates the table that
# terraform/main.tf defines, from the same TF_VAR_* variables, through the DynamoDB API (curl
# signs with SigV4). Idempotent like `terraform apply`: an existing table is checked, a missing one
# (e.g. after DynamoDB Local restarted) is created again. The table's shape is main.tf's:
# PAY_PER_REQUEST, one hash key of type S (src/internal/stackcheck holds the two together).
# Also usable without Docker against any endpoint (README: running the binary without Docker).
set -eu
: "${TF_VAR_table_name:?}" "${TF_VAR_hash_key_name:?}" "${TF_VAR_region:?}" "${TF_VAR_dynamodb_endpoint:?}"
: "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
table=$TF_VAR_table_name key=$TF_VAR_hash_key_name
billing_mode=PAY_PER_REQUEST

# ddb OPERATION JSON: prints the response body, fails on a non-2xx status.
ddb() {
  curl -sS --fail-with-body --max-time 5 \
    --aws-sigv4 "aws:amz:$TF_VAR_region:dynamodb" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: DynamoDB_20120810.$1" \
    --data "$2" "$TF_VAR_dynamodb_endpoint"
}

# Like the terraform job: retry briefly until DynamoDB answers.
i=0
until ddb ListTables '{}' >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 30 ] || { echo "table-job: $TF_VAR_dynamodb_endpoint does not answer" >&2; exit 1; }
  sleep 1
done

if out=$(ddb DescribeTable "$(jq -nc --arg t "$table" '{TableName: $t}')" 2>&1); then
  have=$(echo "$out" | jq -r '.Table.KeySchema[] | select(.KeyType == "HASH") | .AttributeName')
  [ "$have" = "$key" ] || { echo "table-job: table $table exists with hash key $have, want $key" >&2; exit 1; }
  echo "table-job: table $table present (hash key $key)"
elif echo "$out" | grep -q ResourceNotFoundException; then
  ddb CreateTable "$(jq -nc --arg t "$table" --arg k "$key" --arg b "$billing_mode" '{
      TableName: $t, BillingMode: $b,
      AttributeDefinitions: [{AttributeName: $k, AttributeType: "S"}],
      KeySchema: [{AttributeName: $k, KeyType: "HASH"}]}')" >/dev/null
  echo "table-job: created table $table (hash key $key, $billing_mode)"
else
  echo "table-job: DescribeTable failed: $out" >&2; exit 1
fi

# Wait for ACTIVE, as the aws provider does.
i=0
until [ "$(ddb DescribeTable "$(jq -nc --arg t "$table" '{TableName: $t}')" | jq -r .Table.TableStatus)" = ACTIVE ]; do
  i=$((i + 1)); [ "$i" -lt 30 ] || { echo "table-job: table $table not ACTIVE" >&2; exit 1; }
  sleep 1
done
echo "table-job: table $table ACTIVE"
