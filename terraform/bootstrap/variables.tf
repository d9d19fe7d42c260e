variable "region" {
  description = "AWS region of the state bucket; give terraform/aws's backend the same."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must look like an AWS region, e.g. us-east-1."
  }
}

variable "name" {
  description = "Prefix of the bucket name (<name>-tfstate-<account>-<region>)."
  type        = string
  default     = "objects-api"

  validation {
    # With the suffix (36 characters at most), the bucket name stays within S3's 63.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?$", var.name))
    error_message = "name must be 1-24 characters of a-z, 0-9 and '-', not starting or ending with '-'."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced state version is kept (for rolling back a bad write)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "noncurrent_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "tags" {
  description = "Tags for the bucket (the provider's default_tags)."
  type        = map(string)
  default     = {}
}
