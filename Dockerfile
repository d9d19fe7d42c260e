# The Objects API image, one file, stages named by role:
#   base  -> the pinned Go toolchain and this module's dependencies
#   dev   -> air hot reload; docker-compose.yml builds this target and bind-mounts the source
#   debug -> dev + Delve; docker-compose.debug.yml builds this target
#   build -> a static, trimmed binary
#   prod  -> scratch + that binary + CA certificates, non-root (see docker-compose.prod.yml)
# No `# syntax=` line on purpose: it would pull a frontend image; the cache mounts below need
# only the BuildKit built into Docker Engine 23+ (and buildx on older engines).

# The Go toolchain image, the Go of go.mod's `go` line (GOTOOLCHAIN=local below: an image older
# than go.mod fails the build naming both versions). It is a stage of its own, written literally,
# so that the update bot (which reads only literal FROM lines) sees the pin; GOLANG_IMAGE names the
# offline mode's stand-in instead (offline/README.md), and BuildKit then never pulls the
# real one, since no target needs that stage.
ARG GOLANG_IMAGE=golang-image
FROM golang:1.27.3-bookworm AS golang-image
FROM ${GOLANG_IMAGE} AS base
WORKDIR /src
# Static binaries everywhere (the prod stage has no libc); never fetch another toolchain; the
# bind-mounted .git (owned by the host user) must not make `go build` fail on VCS stamping.
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
# Modules land in the image (air needs them at run time), but are fetched through a cache mount
# that outlives go.mod changes: the mount is a module cache, used below as a local GOPROXY.
RUN --mount=type=cache,id=objects-api-gomod,target=/cache/gomod \
    GOMODCACHE=/cache/gomod go mod download \
 && GOPROXY=file:///cache/gomod/cache/download go mod download

# The import list of the program air builds, so the dev stage can pre-compile exactly those
# packages (the standard library included).
# Only this small text file crosses into `dev`: editing our own code does not invalidate the
# expensive layer below unless the set of imported packages changes.
FROM base AS deplist
COPY src ./src
RUN go list -deps -f '{{with .Module}}{{if not .Main}}{{$.ImportPath}}{{end}}{{else}}{{.ImportPath}}{{end}}' \
      ./src/cmd/api | sort > /deplist.txt

FROM base AS dev
# air (pinned) rebuilds and restarts the API when a .go file under src/ changes; see .air.toml.
RUN --mount=type=cache,id=objects-api-gobuild,target=/root/.cache/go-build \
    go install github.com/air-verse/air@v1.67.4
# Pre-compile the standard library and every dependency into the image's own build cache (not a
# cache mount, which a running container cannot see), so air's first build in a fresh container
# only compiles our own packages: seconds, not a minute.
COPY --from=deplist /deplist.txt /tmp/deplist.txt
RUN xargs -r go build < /tmp/deplist.txt
EXPOSE 8080
# docker-compose.yml bind-mounts the repository over /src. air waits for file events (inotify);
# AIR_POLL=true makes it poll instead, for bind mounts that deliver no events (a Windows-side
# checkout under WSL 2, some Docker Desktop file sharing modes). Arguments (compose `command:`)
# are more air flags: docker-compose.debug.yml passes the debugger's build and run commands.
ENV AIR_POLL=false
ENTRYPOINT ["/bin/sh", "-c", "exec air -c .air.toml -build.poll=\"$AIR_POLL\" \"$@\"", "air"]

# The API under Delve (docker-compose.debug.yml, `make up-debug`, `tilt up -- --debug`).
FROM dev AS debug
# dlv (pinned, same version as Dockerfile.dev); its modules go through the cache mount so they
# do not stay in the image.
RUN --mount=type=cache,id=objects-api-gobuild,target=/root/.cache/go-build \
    --mount=type=cache,id=objects-api-gomod,target=/cache/gomod \
    GOMODCACHE=/cache/gomod go install github.com/go-delve/delve/cmd/dlv@v1.27.2
# The same dependencies again, unoptimised and not inlined (-N -l, as the debug build compiles
# them), so the first debug build in a fresh container only compiles our own packages.
RUN xargs -r go build -gcflags='all=-N -l' < /tmp/deplist.txt
EXPOSE 2345

FROM base AS build
COPY src ./src
# The version GET / and the startup log report (e.g. the commit: the deploy workflow passes it);
# the build context has no .git to stamp one from.
ARG VERSION
RUN --mount=type=cache,id=objects-api-gobuild,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w -X github.com/acme/objects-api/src/httpapi.BuildVersion=${VERSION}" \
      -o /out/api ./src/cmd/api
# scratch has no user database: give UID/GID 65532 a name, like distroless's `nonroot`.
RUN echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > /out/passwd \
 && echo 'nonroot:x:65532:' > /out/group

FROM scratch AS prod
# Trust store for TLS to real AWS endpoints (DynamoDB, STS).
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=build /out/api /api
USER 65532:65532
EXPOSE 8080
# The binary is its own probe (no shell or curl here): exits 0 iff GET /readyz answers 200.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["/api", "healthcheck"]
ENTRYPOINT ["/api"]
