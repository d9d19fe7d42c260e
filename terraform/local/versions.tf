terraform {
  required_version = ">= 1.5.7"

  # State path is given at `terraform init -backend-config=path=...` (docker-compose.yml keeps it
  # in a named volume, never in the working tree).
  backend "local" {}
}
