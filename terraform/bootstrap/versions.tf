terraform {
  # Its own state stays local (terraform.tfstate here): this root creates the bucket the other
  # roots keep theirs in, so it cannot live there before it exists.
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The same release as ../aws.
      version = "6.67.0"
    }
  }
}
