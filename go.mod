module github.com/acme/objects-api

go 1.26.8

require (
	go.starlark.net v0.0.0-20240510163022-f457c4c2b267
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 // indirect
