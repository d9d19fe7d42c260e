output "url" {
  description = "Base URL of the API (the load balancer's DNS name). With a certificate, point a DNS name the certificate covers at alb_dns_name and use that instead."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.this.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (for a CNAME or Route 53 alias record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone id of the load balancer (for an alias record)."
  value       = aws_lb.this.zone_id
}

output "ecr_repository_url" {
  description = "Repository to push the prod image to (docker push <url>:<tag>)."
  value       = aws_ecr_repository.this.repository_url
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "dynamodb_table_name" {
  description = "Name of the table (the API's DDB_TABLE_NAME)."
  value       = module.table.dynamodb_table_name
}

output "dynamodb_table_arn" {
  description = "ARN of the table (the only resource the task role may touch)."
  value       = module.table.dynamodb_table_arn
}

output "alb_access_logs_bucket_name" {
  description = "S3 bucket holding the load balancer's access logs (AWSLogs/<account>/elasticloadbalancing/<region>/...)."
  value       = aws_s3_bucket.alb_logs.id
}

output "sns_alarm_topic_arn" {
  description = "SNS topic every alarm notifies; subscribe more endpoints through alarm_subscriptions."
  value       = aws_sns_topic.alarms.arn
}

output "github_deploy_role_arn" {
  description = "IAM role the deploy workflow assumes through GitHub's OIDC provider (null without github_repository)."
  value       = one(aws_iam_role.github_deploy[*].arn)
}

output "github_actions_variables" {
  description = "Repository variables .github/workflows/deploy.yml reads (gh variable set NAME --body VALUE); null without github_repository."
  value = local.github_deploy_enabled ? {
    AWS_REGION          = var.region
    AWS_DEPLOY_ROLE_ARN = aws_iam_role.github_deploy[0].arn
    ECR_REPOSITORY      = aws_ecr_repository.this.name
    ECS_CLUSTER         = aws_ecs_cluster.this.name
    ECS_SERVICE         = aws_ecs_service.this.name
    ECS_TASK_FAMILY     = aws_ecs_task_definition.this.family
    ECS_CONTAINER_NAME  = local.container_name
    IMAGE_PLATFORM      = var.cpu_architecture == "ARM64" ? "linux/arm64" : "linux/amd64"
  } : null
}
