terraform {
  # 1.9: a validation block may read other variables (certificate_arn's reads http_enabled).
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exact, as a root module should: the version docs/DEPLOY.md's argument citations are for.
      # Free to move to any newer release; only ../local must stay on 6.12.0.
      version = "6.67.0"
    }
  }

  # No backend: state stays local unless you add one (an S3 backend for anything shared;
  # see docs/DEPLOY.md).
}
