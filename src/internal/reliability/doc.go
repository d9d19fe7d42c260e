// Package reliability holds the API's fault-injection, leak and no-lost-write tests (in its
// _test.go files). They run the real HTTP layer and store in process against a real
// DynamoDB-compatible server (dynalite), with a fault proxy (package faultproxy) in between
// where a fault cannot be had from the server itself, and log observations that mkreport turns
// into docs/RELIABILITY.md.
//
// RELIABILITY_LONG=1 (set by mk/reliability.mk under CI=true) makes the loads larger.
package reliability
