output "dynamodb_table_name" {
  description = "Name of the table (the API's DDB_TABLE_NAME)."
  value       = aws_dynamodb_table.this.name
}

output "dynamodb_table_hash_key_name" {
  description = "Name of the table's hash key (the API's DDB_HASH_KEY_NAME)."
  value       = aws_dynamodb_table.this.hash_key
}

output "dynamodb_table_arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}
