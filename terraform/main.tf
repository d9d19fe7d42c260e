# The Objects API's table: one string hash key, on-demand billing. The same definition deploys to
# DynamoDB Local (through ./local) and to real AWS (through ./aws), each root with its provider.
# No tags, TTL or point-in-time recovery by default: DynamoDB Local rejects tagging and has no
# continuous-backup API.
resource "aws_dynamodb_table" "this" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key_name

  attribute {
    name = var.hash_key_name
    type = "S"
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  tags = var.tags
}
