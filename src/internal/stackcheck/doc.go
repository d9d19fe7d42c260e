// Package stackcheck holds the static checks of the local stack's files that no running stack
// proves: compose files read with the compose-spec loader (the one compose reader of the tests),
// the offline mode's override and table job, and the repository's supply rules (every
// image and tool pinned, every published port on loopback). It has no code of its own; the checks
// are its tests. The running stack is proven by scripts/stack-test.sh.
package stackcheck
