# The Objects API's table: one string hash key, on-demand billing. The same definition deploys to
# DynamoDB Local (through ./local) and to real AWS (through ./aws), each root with its provider.
# No tags or TTL by default: DynamoDB Local rejects tagging. Point-in-time recovery is on unless
# the caller turns it off (terraform/local does: DynamoDB Local has no continuous backups).
resource "aws_dynamodb_table" "this" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key_name

  attribute {
    name = var.hash_key_name
    type = "S"
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  # A block with enabled = false, not an absent one: the provider keeps an absent block's last
  # value, so turning recovery off would silently leave it on.
  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  tags = var.tags
}
