variable "dynamodb_endpoint" {
  description = "URL of DynamoDB Local, as seen from where terraform runs (http://dynamodb:8000 inside the compose network)."
  type        = string
  default     = "http://localhost:8000"

  validation {
    condition     = can(regex("^https?://[^/]+", var.dynamodb_endpoint))
    error_message = "dynamodb_endpoint must be an http(s) URL such as http://dynamodb:8000."
  }
}

variable "region" {
  description = "AWS region the provider signs requests for; DynamoDB Local accepts any."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must look like an AWS region, e.g. us-east-1."
  }
}

variable "table_name" {
  description = "Name of the DynamoDB table (docker-compose.yml passes the API's DDB_TABLE_NAME as TF_VAR_table_name)."
  type        = string
}

variable "hash_key_name" {
  description = "Name of the table's hash key (docker-compose.yml passes the API's DDB_HASH_KEY_NAME as TF_VAR_hash_key_name)."
  type        = string
}
