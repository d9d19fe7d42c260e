# Root module for real AWS: the Objects API's prod image on ECS Fargate behind an Application
# Load Balancer, with the same table definition the local stack uses (the parent module).
# Credentials come from your environment (profile, SSO, ...), never from this directory.
provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

data "aws_caller_identity" "current" {}

locals {
  container_name = "api"
  # The prod image listens here (Dockerfile's EXPOSE, the API's PORT default).
  container_port = 8080
  https_enabled  = var.certificate_arn != null
}

module "table" {
  source = "../"

  table_name                  = var.table_name
  hash_key_name               = var.hash_key_name
  deletion_protection_enabled = var.deletion_protection_enabled
  # The one copy of the data: a bad deploy or a DELETE /objects can be undone to the second.
  point_in_time_recovery_enabled = true
}

resource "aws_ecr_repository" "this" {
  name = var.name
  # A tag names one build for ever, so a rollout is a new tag and a rollback the old one.
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.ecr_force_delete_enabled

  image_scanning_configuration {
    scan_on_push = true
  }
}

# Every deploy pushes an image; keep the newest ones (rollback targets) and expire the rest.
resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest ${var.ecr_image_count} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_image_count
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}
