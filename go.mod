module github.com/acme/objects-api

go 1.26.8
