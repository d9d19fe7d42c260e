# The load balancer's access logs (one line per request, with client, status and timings) in a
# bucket of their own: private, encrypted, and emptied by age.

resource "aws_s3_bucket" "alb_logs" {
  # Bucket names are global: the account id keeps this one unique.
  bucket        = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  force_destroy = var.alb_access_logs_force_destroy_enabled
}

resource "aws_s3_bucket_public_access_block" "alb_logs" {
  bucket                  = aws_s3_bucket.alb_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# SSE-S3: the only server-side encryption ALB log delivery supports (not SSE-KMS).
resource "aws_s3_bucket_server_side_encryption_configuration" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    filter {}

    expiration {
      days = var.alb_access_logs_retention_days
    }
  }
}

locals {
  # Regions opened before August 2022 deliver ALB logs from a per-Region Elastic Load Balancing
  # account, later ones through the log delivery service principal. This list is closed (no
  # Region joins it); aws_elb_service_account knows each one's account and fails for others.
  elb_account_regions = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1",
    "cn-northwest-1", "eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1",
    "us-gov-west-1", "us-west-1", "us-west-2",
  ]
  # Where the ALB writes: <bucket>/AWSLogs/<account>/elasticloadbalancing/<region>/...
  alb_logs_objects = "${aws_s3_bucket.alb_logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
}

data "aws_elb_service_account" "this" {
  count = contains(local.elb_account_regions, var.region) ? 1 : 0
}

data "aws_iam_policy_document" "alb_logs" {
  statement {
    sid       = "LogDeliveryService"
    actions   = ["s3:PutObject"]
    resources = [local.alb_logs_objects]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = data.aws_elb_service_account.this[*].arn
    content {
      sid       = "RegionalElbAccount"
      actions   = ["s3:PutObject"]
      resources = [local.alb_logs_objects]

      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id
  policy = data.aws_iam_policy_document.alb_logs.json

  # S3 rejects a policy change while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.alb_logs]
}
