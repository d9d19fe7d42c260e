terraform {
  # 1.5.7 is the oldest release this module is checked with (`terraform fmt`).
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # A floor, not a pin: each root module (local/, aws/) chooses its exact version. 6.0 is
      # the major version whose aws_dynamodb_table schema this file is written against.
      version = ">= 6.0"
    }
  }
}
