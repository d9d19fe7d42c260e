package tiltcheck

import (
	"fmt"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

// Compose is the part of a compose file the Tiltfile must agree with.
type Compose struct {
	Name     string             `yaml:"name"`
	Services map[string]Service `yaml:"services"`
}

// Service is one compose service: its image name, how it is built, and what it waits for.
type Service struct {
	Image     string    `yaml:"image"`
	Build     *Build    `yaml:"build"`
	DependsOn DependsOn `yaml:"depends_on"`
}

// Build is a service's build section (the short string form sets only Context).
type Build struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
	Target     string `yaml:"target"`
}

// UnmarshalYAML accepts `build: <context>` and the long form.
func (b *Build) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Context = n.Value
		return nil
	}
	type plain Build
	return n.Decode((*plain)(b))
}

// DependsOn holds the names of the services a service depends on, sorted.
type DependsOn []string

// UnmarshalYAML accepts both compose forms: a list of names, or a map of name to condition.
func (d *DependsOn) UnmarshalYAML(n *yaml.Node) error {
	var names []string
	switch n.Kind {
	case yaml.SequenceNode:
		if err := n.Decode(&names); err != nil {
			return err
		}
	case yaml.MappingNode:
		var m map[string]yaml.Node
		if err := n.Decode(&m); err != nil {
			return err
		}
		for name := range m {
			names = append(names, name)
		}
	default:
		return fmt.Errorf("depends_on: want a list or a map (line %d)", n.Line)
	}
	sort.Strings(names)
	*d = names
	return nil
}

// LoadCompose reads one compose file.
func LoadCompose(path string) (*Compose, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Compose
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(c.Services) == 0 {
		return nil, fmt.Errorf("%s: no services", path)
	}
	return &c, nil
}
