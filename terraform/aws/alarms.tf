# What a person on call needs to hear about, sent to one SNS topic. An alarm fires after 3 bad
# minutes out of 5 (running tasks: 5 in a row) and notifies again when it clears; no traffic is
# not an alarm.

# Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key
# (its key policy does not admit CloudWatch), and alarm notifications carry no data.
resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

# Email subscriptions stay "pending confirmation" until the recipient follows AWS's link.
resource "aws_sns_topic_subscription" "alarms" {
  for_each = { for s in var.alarm_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

locals {
  alarm_topics = [aws_sns_topic.alarms.arn]

  # The alarms on one metric each: what tells them apart. They share the evaluation in
  # aws_cloudwatch_metric_alarm.metric.
  metric_alarms = {
    alb-5xx = {
      description        = "The load balancer itself answered 5xx (no healthy target, target timeouts or resets): clients see errors the API never logged."
      namespace          = "AWS/ApplicationELB"
      metric_name        = "HTTPCode_ELB_5XX_Count"
      dimensions         = { LoadBalancer = aws_lb.this.arn_suffix }
      statistic          = "Sum"
      extended_statistic = null
      threshold          = var.alarm_5xx_per_minute_threshold
    }
    target-5xx = {
      description        = "The API answered 5xx (DynamoDB unreachable, throttled or timing out, or a bug): its JSON log lines with status >= 500 say why."
      namespace          = "AWS/ApplicationELB"
      metric_name        = "HTTPCode_Target_5XX_Count"
      dimensions         = { LoadBalancer = aws_lb.this.arn_suffix }
      statistic          = "Sum"
      extended_statistic = null
      threshold          = var.alarm_5xx_per_minute_threshold
    }
    target-p99-latency = {
      description        = "The slowest 1% of requests take longer than ${var.alarm_p99_latency_threshold_seconds} s until the API's first byte (DynamoDB latency, CPU saturation)."
      namespace          = "AWS/ApplicationELB"
      metric_name        = "TargetResponseTime"
      dimensions         = { LoadBalancer = aws_lb.this.arn_suffix }
      statistic          = null
      extended_statistic = "p99"
      threshold          = var.alarm_p99_latency_threshold_seconds
    }
    unhealthy-hosts = {
      description        = "Tasks fail the load balancer's /healthz check (hung or crashing process); ECS replaces them, so a lasting alarm means the replacements fail too."
      namespace          = "AWS/ApplicationELB"
      metric_name        = "UnHealthyHostCount"
      dimensions         = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.this.arn_suffix }
      statistic          = "Maximum"
      extended_statistic = null
      threshold          = 0
    }
    # On-demand tables throttle past twice their previous peak or a hot partition's limit; the
    # SDK retries, so only lasting throttling reaches clients (as 503/504).
    dynamodb-read-throttles = {
      description        = "DynamoDB throttles reads of the table (GetItem, Scan)."
      namespace          = "AWS/DynamoDB"
      metric_name        = "ReadThrottleEvents"
      dimensions         = { TableName = module.table.dynamodb_table_name }
      statistic          = "Sum"
      extended_statistic = null
      threshold          = 0
    }
    dynamodb-write-throttles = {
      description        = "DynamoDB throttles writes to the table (PutItem, DeleteItem, BatchWriteItem)."
      namespace          = "AWS/DynamoDB"
      metric_name        = "WriteThrottleEvents"
      dimensions         = { TableName = module.table.dynamodb_table_name }
      statistic          = "Sum"
      extended_statistic = null
      threshold          = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  # A minute with a handful of requests says little about a percentile.
  evaluate_low_sample_count_percentiles = each.value.extended_statistic != null ? "ignore" : null
  alarm_actions                         = local.alarm_topics
  ok_actions                            = local.alarm_topics
}

# Container Insights' task counts (the cluster's containerInsights setting, ecs.tf).
resource "aws_cloudwatch_metric_alarm" "running_tasks" {
  alarm_name          = "${var.name}-running-tasks-below-desired"
  alarm_description   = "Fewer tasks run than the service wants for 5 minutes: tasks cannot start (image pull, subnet capacity, Fargate capacity) or keep dying. Scaling out lags a minute or two; this waits longer."
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  metric_query {
    id          = "missing_tasks"
    expression  = "desired - running"
    label       = "Desired minus running tasks"
    return_data = true
  }

  metric_query {
    id = "desired"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions  = { ClusterName = aws_ecs_cluster.this.name, ServiceName = aws_ecs_service.this.name }
      stat        = "Average"
      period      = 60
    }
  }

  metric_query {
    id = "running"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions  = { ClusterName = aws_ecs_cluster.this.name, ServiceName = aws_ecs_service.this.name }
      stat        = "Average"
      period      = 60
    }
  }
}

# SystemErrors exists only per operation (TableName and Operation dimensions); a Metrics
# Insights query sums every operation, so a new store call needs no new alarm.
resource "aws_cloudwatch_metric_alarm" "dynamodb_system_errors" {
  alarm_name          = "${var.name}-dynamodb-system-errors"
  alarm_description   = "DynamoDB answers the table's requests with HTTP 500 (a DynamoDB-side fault): check the AWS Health Dashboard."
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  metric_query {
    id          = "system_errors"
    expression  = "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = '${module.table.dynamodb_table_name}'"
    period      = 60
    return_data = true
  }
}
