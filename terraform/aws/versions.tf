terraform {
  # 1.11: the S3 backend's native lock file (use_lockfile) is generally available from 1.11 (an
  # experiment in 1.10); validation blocks that read other variables need 1.9.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exact, as a root module should: the version docs/DEPLOY.md's argument citations are for.
      # Free to move to any newer release; only ../local must stay on 6.12.0.
      version = "6.67.0"
    }
  }

  # Partial configuration: bucket, key, region and use_lockfile come from
  # `terraform init -backend-config=backend.hcl` (backend.hcl.example; the bucket from
  # ../bootstrap), so no account-specific name is committed.
  backend "s3" {}
}
