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

  # Liveness, not readiness: see docs/DEPLOY.md ("Why /healthz").
  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# Without a certificate: plain HTTP to the service.
resource "aws_lb_listener" "http" {
  count = local.https_enabled ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

# With a certificate: HTTPS to the service, and HTTP only redirects to it.
resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn
  ssl_policy        = var.ssl_policy

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

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
