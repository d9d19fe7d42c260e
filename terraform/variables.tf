variable "table_name" {
  description = "Name of the DynamoDB table; the API reads it from DDB_TABLE_NAME."
  type        = string

  validation {
    # DynamoDB's own rule for table names.
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'."
  }
}

variable "hash_key_name" {
  description = "Name of the table's hash key attribute (holds the object's UUID); the API reads it from DDB_HASH_KEY_NAME."
  type        = string

  validation {
    condition     = length(var.hash_key_name) >= 1 && length(var.hash_key_name) <= 255
    error_message = "hash_key_name must be 1-255 characters long."
  }
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable while true. Worth enabling on real AWS."
  type        = bool
  default     = false
}

variable "point_in_time_recovery_enabled" {
  description = "Keep continuous backups (restore to any second of the last 35 days; AWS bills by table size). Set false for DynamoDB Local, which has none."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the table. Only for real AWS: DynamoDB Local rejects tagging."
  type        = map(string)
  default     = {}
}
