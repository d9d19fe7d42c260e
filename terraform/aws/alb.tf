# The load balancer is the only way in: the tasks' security group admits the ALB's group on the
# container port and nothing else, and the ALB admits only var.allowed_cidr_blocks.

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Objects API load balancer: HTTP(S) from the allowed CIDR blocks"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  # One rule per (CIDR block, listener port).
  for_each = {
    for pair in setproduct(var.allowed_cidr_blocks, local.https_enabled ? [80, 443] : [80]) :
    "${pair[0]}:${pair[1]}" => { cidr = pair[0], port = pair[1] }
  }

  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  referenced_security_group_id = aws_security_group.tasks.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "Objects API tasks: the container port from the load balancer only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

# HTTPS out to DynamoDB, ECR (and its S3 layers) and CloudWatch Logs, through a NAT gateway, VPC
# endpoints or a public IP. The credentials endpoint and DNS are link-local/VPC-reserved
# addresses, which security groups do not filter.
resource "aws_vpc_security_group_egress_rule" "tasks_https" {
  security_group_id = aws_security_group.tasks.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  internal           = var.internal_alb_enabled
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.alb_subnet_ids != null ? var.alb_subnet_ids : var.subnet_ids
  # Requests with malformed headers are dropped at the ALB rather than passed on.
  drop_invalid_header_fields = true
  # Requests the ALB classes as ambiguous (framing that a proxy and the API could read
  # differently: HTTP desync) are refused instead of forwarded.
  desync_mitigation_mode = "strictest"

  access_logs {
    bucket  = aws_s3_bucket.alb_logs.id
    enabled = true
  }

  # Turning logging on writes a test object: the policy (and SSE-S3) must be in place first.
  depends_on = [aws_s3_bucket_policy.alb_logs, aws_s3_bucket_server_side_encryption_configuration.alb_logs]
}

resource "aws_lb_target_group" "this" {
  name        = var.name
  vpc_id      = var.vpc_id
  target_type = "ip" # awsvpc tasks register by IP
  protocol    = "HTTP"
  port        = local.container_port
  # A stopping task gets no new requests from the start; in-flight ones are short (every
  # DynamoDB call is bounded by DDB_TIMEOUT, 3 s), so 300 s of draining would only slow rollouts.
  deregistration_delay = 15

  # Liveness, not readiness: see docs/DEPLOY.md ("Health checks").
  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# The listener that forwards: HTTPS with a certificate, plain HTTP only when http_enabled asks
# for it (variables.tf refuses neither and both).
resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = local.https_enabled ? 443 : 80
  protocol          = local.https_enabled ? "HTTPS" : "HTTP"
  certificate_arn   = var.certificate_arn
  ssl_policy        = local.https_enabled ? var.ssl_policy : null

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

# With a certificate, port 80 only redirects to HTTPS.
resource "aws_lb_listener" "http_redirect" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

# Metrics, readiness and the API document are for operators, not for every client: the ALB
# answers them with a 404 unless operational_paths_enabled. The API routes exact, case-sensitive
# paths, so these patterns cover every spelling it would serve.
resource "aws_lb_listener_rule" "operational_paths" {
  count = var.operational_paths_enabled ? 0 : 1

  listener_arn = aws_lb_listener.this.arn
  priority     = 1

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      message_body = jsonencode({ error = "not found" })
      status_code  = "404"
    }
  }

  condition {
    path_pattern {
      values = ["/metrics", "/readyz", "/docs*", "/openapi.*"]
    }
  }
}
