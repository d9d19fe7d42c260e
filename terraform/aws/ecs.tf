resource "aws_ecs_cluster" "this" {
  name = var.name

  # Publishes RunningTaskCount and DesiredTaskCount per service, which the running-tasks alarm
  # compares (alarms.tf); AWS/ECS has no task counts.
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  # Must match the image: build it with --platform linux/amd64 for X86_64, linux/arm64 for ARM64.
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{
    name      = local.container_name
    image     = "${aws_ecr_repository.this.repository_url}:${var.image_tag}"
    essential = true
    # The prod image's own user (scratch, UID 65532); it writes nothing to disk.
    user                   = "65532:65532"
    readonlyRootFilesystem = true

    portMappings = [{ containerPort = local.container_port, protocol = "tcp" }]

    # No DDB_ENDPOINT_URL (the SDK resolves the regional endpoint) and no keys (the task role).
    environment = [
      { name = "AWS_REGION", value = var.region },
      { name = "DDB_TABLE_NAME", value = module.table.dynamodb_table_name },
      { name = "DDB_HASH_KEY_NAME", value = module.table.dynamodb_table_hash_key_name },
      { name = "DELETE_ALL_ENABLED", value = tostring(var.delete_all_enabled) },
      { name = "LOG_FORMAT", value = "json" },
      { name = "PORT", value = tostring(local.container_port) },
    ]

    # Liveness, like the target group's check: `api healthcheck -liveness` probes /healthz, which
    # does no I/O, so a DynamoDB outage never makes ECS replace tasks that could not help.
    healthCheck = {
      command     = ["CMD", "/api", "healthcheck", "-liveness"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }

    # The API drains in-flight requests for up to 10 s after SIGTERM; ECS sends SIGKILL after
    # stopTimeout, so leave it 10 s more.
    stopTimeout = 20

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = var.region
        awslogs-stream-prefix = local.container_name
      }
    }
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  launch_type     = "FARGATE"
  # The autoscaling floor; afterwards the autoscaler owns the count (see lifecycle below).
  desired_count = var.autoscaling_min_capacity

  # Rolling update that never drops below the desired count, rolled back if the new tasks
  # never become healthy.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  # Seconds the first failing ALB checks are ignored while a new task starts.
  health_check_grace_period_seconds = 30
  wait_for_steady_state             = true

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = var.assign_public_ip_enabled
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  # The autoscaler owns the count, and the deploy workflow owns which revision runs: it registers
  # a revision with the new image's digest from the family's latest (.github/workflows/deploy.yml).
  # Without this, the next apply would roll the service back to this module's image_tag.
  lifecycle {
    ignore_changes = [desired_count, task_definition]
  }

  # The target group must belong to a listener before a service can use it; the task role's
  # policy must outlive the service on destroy (provider docs' note on DRAINING services).
  depends_on = [aws_lb_listener.this, aws_iam_role_policy.task]
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling_min_capacity
  max_capacity       = var.autoscaling_max_capacity

  lifecycle {
    precondition {
      condition     = var.autoscaling_min_capacity <= var.autoscaling_max_capacity
      error_message = "autoscaling_min_capacity must not exceed autoscaling_max_capacity."
    }
  }
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = var.autoscaling_cpu_target
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
