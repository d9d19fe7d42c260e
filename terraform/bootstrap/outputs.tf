output "s3_state_bucket_name" {
  description = "Bucket for terraform/aws's state: the bucket of its backend.hcl."
  value       = aws_s3_bucket.state.id
}

output "s3_backend_config" {
  description = "A backend.hcl for terraform/aws, ready to write to terraform/aws/backend.hcl."
  value       = <<-EOT
    bucket       = "${aws_s3_bucket.state.id}"
    key          = "objects-api/terraform.tfstate"
    region       = "${var.region}"
    use_lockfile = true
    encrypt      = true
  EOT
}
