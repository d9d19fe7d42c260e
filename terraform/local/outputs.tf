output "dynamodb_table_name" {
  description = "Name of the table created in DynamoDB Local."
  value       = module.table.dynamodb_table_name
}

output "dynamodb_table_hash_key_name" {
  description = "Name of the table's hash key."
  value       = module.table.dynamodb_table_hash_key_name
}
