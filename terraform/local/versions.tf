terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exactly 6.12.0: from 6.13.0 the provider waits after CreateTable until the table reports
      # its WarmThroughput, which DynamoDB Local never does, so `apply` here fails after about
      # 2.5 minutes ("couldn't find resource (21 retries)"; ../README.md).
      version = "6.12.0"
    }
  }

  # State path is given at `terraform init -backend-config=path=...` (docker-compose.yml keeps it
  # in a named volume, never in the working tree).
  backend "local" {}
}
