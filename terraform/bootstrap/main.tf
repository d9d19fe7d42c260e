# Run once per account and region, before terraform/aws: the S3 bucket that holds Terraform
# state. Locking needs nothing else: the S3 backend's use_lockfile writes a lock object beside
# the state with S3 conditional writes (no DynamoDB table).
provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "state" {
  # Bucket names are global: account and region keep this one unique.
  bucket = "${var.name}-tfstate-${data.aws_caller_identity.current.account_id}-${var.region}"

  # The state of every deployment; deleting the bucket by accident would orphan them all.
  lifecycle {
    prevent_destroy = true
  }
}

# Every state write is a new version: a bad apply or a corrupted write can be rolled back.
resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Old versions pile up with every apply; keep the recent ones.
resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }
  }

  # Lifecycle rules on noncurrent versions need versioning in place first.
  depends_on = [aws_s3_bucket_versioning.state]
}
