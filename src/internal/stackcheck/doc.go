// Package stackcheck holds the static checks that keep the local stack's files in step:
// docker-compose.yml, the Terraform module in terraform/ and CI's stand-in table job must
// describe the same table (name, hash key, billing mode) that the API is configured to use.
// It has no code of its own; the checks are its tests.
package stackcheck
