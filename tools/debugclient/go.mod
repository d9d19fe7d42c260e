module github.com/acme/objects-api/tools/debugclient

go 1.26.8

require github.com/google/go-dap v0.12.0
