terraform {
  # 1.5.7 is the oldest release this module is checked with (`terraform fmt` in CI).
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Pinned below 6.13: from 6.13.0 the provider waits for the table's WarmThroughput to be
      # reported, which DynamoDB Local never does, so `apply` against it never finishes.
      version = "6.12.0"
    }
  }
}
