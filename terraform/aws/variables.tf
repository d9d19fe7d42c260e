variable "region" {
  description = "AWS region for every resource; the API gets it as AWS_REGION."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must look like an AWS region, e.g. us-east-1."
  }
}

variable "name" {
  description = "Name of the ECR repository, cluster, service, load balancer, target group and the prefix of the roles and security groups."
  type        = string
  default     = "objects-api"

  validation {
    # The tightest rule among them: load balancer and target group names.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "name must be 1-32 characters of a-z, 0-9 and '-', not starting or ending with '-'."
  }
}

variable "image_tag" {
  description = "Tag of the prod image in the ECR repository that the first deployment runs (tags are immutable: one per build, e.g. the git commit). Later rollouts are the deploy workflow's: the service keeps the revision it registered."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a Docker tag: 1-128 characters of A-Z, a-z, 0-9, '_', '.' and '-', not starting with '.' or '-'."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the tasks, matching the image's platform: X86_64 (linux/amd64) or ARM64 (linux/arm64)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "task_cpu" {
  description = "CPU units per task (1024 = 1 vCPU)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be one of Fargate's sizes: 256, 512, 1024, 2048 or 4096."
  }
}

variable "task_memory" {
  description = "Memory per task in MiB; Fargate accepts only certain values per task_cpu (512-2048 for 256 CPU units)."
  type        = number
  default     = 512

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720 && var.task_memory % 512 == 0
    error_message = "task_memory must be a multiple of 512 MiB between 512 and 30720."
  }
}

variable "vpc_id" {
  description = "VPC holding the load balancer and the tasks."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets of vpc_id, in at least two availability zones, for the tasks (spread across them) and, unless alb_subnet_ids is set, the load balancer."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least two subnet ids (subnet-...), in different availability zones."
  }
}

variable "alb_subnet_ids" {
  description = "Subnets for the load balancer when they differ from the tasks' (public subnets for an internet-facing ALB, tasks in private ones). null: subnet_ids."
  type        = list(string)
  default     = null

  validation {
    condition     = var.alb_subnet_ids == null || (length(coalesce(var.alb_subnet_ids, [])) >= 2 && alltrue([for s in coalesce(var.alb_subnet_ids, []) : can(regex("^subnet-[0-9a-f]+$", s))]))
    error_message = "alb_subnet_ids must be null or list at least two subnet ids (subnet-...), in different availability zones."
  }
}

variable "assign_public_ip_enabled" {
  description = "Give each task a public IP. Needed in subnets without a NAT gateway or VPC endpoints (a default VPC), to reach ECR, DynamoDB and CloudWatch Logs; the security group still admits only the load balancer."
  type        = bool
  default     = false
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDR blocks that may reach the load balancer, e.g. your office or VPN. No default: choose who may call the API (0.0.0.0/0 only if you mean the whole internet)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidr_blocks) >= 1 && alltrue([for c in var.allowed_cidr_blocks : can(cidrnetmask(c))])
    error_message = "allowed_cidr_blocks must list at least one IPv4 CIDR block such as 203.0.113.0/24."
  }
}

variable "internal_alb_enabled" {
  description = "Make the load balancer internal (reachable only inside the VPC and what is connected to it)."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ACM certificate ARN (same region) for HTTPS on 443; HTTP on 80 then redirects to it. Required unless http_enabled."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:...) or null."
  }

  validation {
    condition     = (var.certificate_arn != null) != var.http_enabled
    error_message = "Set certificate_arn (HTTPS, the default way) or http_enabled = true (plain HTTP on 80, e.g. a trial or an internal load balancer), not neither and not both."
  }
}

variable "http_enabled" {
  description = "Serve plain HTTP on port 80 instead of HTTPS, without a certificate. Requests and responses then cross the network readable: for a trial or an internal load balancer only."
  type        = bool
  default     = false
}

variable "operational_paths_enabled" {
  description = "Serve /metrics, /readyz, /docs and /openapi.* through the load balancer. Off: the load balancer answers them with a 404."
  type        = bool
  default     = false
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "autoscaling_min_capacity" {
  description = "Fewest tasks (also the initial count); at least 2, so that one task can fail or be replaced while another serves."
  type        = number
  default     = 2

  validation {
    condition     = var.autoscaling_min_capacity >= 2
    error_message = "autoscaling_min_capacity must be at least 2."
  }
}

variable "autoscaling_max_capacity" {
  description = "Most tasks target tracking may run."
  type        = number
  default     = 4
}

variable "autoscaling_cpu_target" {
  description = "Average CPU utilisation (percent) that target tracking keeps the service at."
  type        = number
  default     = 60

  validation {
    condition     = var.autoscaling_cpu_target > 0 && var.autoscaling_cpu_target <= 100
    error_message = "autoscaling_cpu_target must be a percentage in (0, 100]."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the API's logs."
  type        = number
  default     = 30

  validation {
    # The values CloudWatch Logs accepts (PutRetentionPolicy).
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "table_name" {
  description = "Name of the DynamoDB table; the API gets it as DDB_TABLE_NAME."
  type        = string
}

variable "hash_key_name" {
  description = "Name of the table's hash key; the API gets it as DDB_HASH_KEY_NAME."
  type        = string
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable while true (set false and apply before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "delete_all_enabled" {
  description = "Let DELETE /objects empty the table (the API's DELETE_ALL_ENABLED). Off for shared environments: the API then answers it with a JSON 403."
  type        = bool
  default     = false
}

variable "ecr_force_delete_enabled" {
  description = "Let `terraform destroy` delete the ECR repository while it still holds images."
  type        = bool
  default     = false
}

variable "ecr_image_count" {
  description = "Images the ECR repository keeps (the newest; older ones expire). Each deploy pushes one, so this bounds how far back a rollback can go."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_image_count >= 2 && floor(var.ecr_image_count) == var.ecr_image_count
    error_message = "ecr_image_count must be a whole number, at least 2 (the running image and one to roll back to)."
  }
}

variable "alb_access_logs_retention_days" {
  description = "Days the load balancer's access logs stay in their S3 bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.alb_access_logs_retention_days >= 1 && floor(var.alb_access_logs_retention_days) == var.alb_access_logs_retention_days
    error_message = "alb_access_logs_retention_days must be a whole number of days, at least 1."
  }
}

variable "alb_access_logs_force_destroy_enabled" {
  description = "Let `terraform destroy` delete the access-log bucket while it still holds logs."
  type        = bool
  default     = false
}

variable "alarm_subscriptions" {
  description = "Who the alarms notify: SNS subscriptions to the alarm topic, e.g. [{ protocol = \"email\", endpoint = \"oncall@example.com\" }] (each email address must confirm AWS's message) or an https endpoint of a paging service."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.alarm_subscriptions : contains(["email", "email-json", "https", "sms", "sqs", "lambda", "firehose", "application"], s.protocol)])
    error_message = "Each alarm_subscriptions protocol must be one SNS accepts: email, email-json, https, sms, sqs, lambda, firehose or application."
  }
}

variable "alarm_5xx_per_minute_threshold" {
  description = "5xx responses per minute (from the load balancer, and separately from the API) above which a minute counts as bad."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_per_minute_threshold >= 0
    error_message = "alarm_5xx_per_minute_threshold must not be negative."
  }
}

variable "alarm_p99_latency_threshold_seconds" {
  description = "p99 time to the API's first response byte, in seconds, above which a minute counts as bad. Every DynamoDB call is bounded by DDB_TIMEOUT (3 s)."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_p99_latency_threshold_seconds > 0
    error_message = "alarm_p99_latency_threshold_seconds must be positive."
  }
}

variable "github_repository" {
  description = "GitHub repository whose main branch may deploy (.github/workflows/deploy.yml), as its OIDC sub claim names it: OWNER/REPO, or OWNER@ORG_ID/REPO@REPO_ID where the repository emits immutable subject claims. null: no deploy role."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9-]+(@[0-9]+)?/[A-Za-z0-9._-]+(@[0-9]+)?$", var.github_repository))
    error_message = "github_repository must look like OWNER/REPO (or OWNER@ORG_ID/REPO@REPO_ID), without https://github.com/."
  }
}

variable "github_oidc_provider_enabled" {
  description = "Create the account's IAM OIDC provider for GitHub Actions. An account holds one per URL: false uses the one that already exists."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource (the provider's default_tags)."
  type        = map(string)
  default     = {}
}
