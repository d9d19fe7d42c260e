# Root module for DynamoDB Local: the provider pointed at a local endpoint, then the table module
# (the parent directory) unchanged. docker-compose.yml's `terraform` service applies this
# directory; for real AWS apply the parent directory instead (see ../README.md).
provider "aws" {
  region = var.region

  # Obvious alphanumeric dummies: DynamoDB Local 2.x rejects other characters, and nothing here
  # is a secret.
  access_key = "localkey"
  secret_key = "localsecret"

  # No STS, IMDS or account lookups: DynamoDB Local only speaks the DynamoDB API.
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    dynamodb = var.dynamodb_endpoint
  }
}

module "table" {
  source = "../"

  table_name    = var.table_name
  hash_key_name = var.hash_key_name
  # DynamoDB Local has no continuous backups; the provider enables them only when asked.
  point_in_time_recovery_enabled = false
}
