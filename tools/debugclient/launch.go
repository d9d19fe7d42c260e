package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// launchConfig is the part of a .vscode/launch.json configuration that an attach uses.
type launchConfig struct {
	Name           string `json:"name"`
	Type           string `json:"type"`
	Request        string `json:"request"`
	Mode           string `json:"mode"`
	Host           string `json:"host"`
	Port           int    `json:"port"`
	SubstitutePath []struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"substitutePath"`
}

// readLaunchConfig returns the configuration called name from a launch.json, with
// ${workspaceFolder} replaced by workspace as VS Code does.
func readLaunchConfig(path, name, workspace string) (launchConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return launchConfig{}, err
	}
	var file struct {
		Configurations []launchConfig `json:"configurations"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return launchConfig{}, fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range file.Configurations {
		if c.Name != name {
			continue
		}
		if c.Type != "go" || c.Request != "attach" || c.Mode != "remote" {
			return c, fmt.Errorf("%s: %q is type %q request %q mode %q, want go attach remote",
				path, name, c.Type, c.Request, c.Mode)
		}
		for i := range c.SubstitutePath {
			c.SubstitutePath[i].From = strings.ReplaceAll(c.SubstitutePath[i].From, "${workspaceFolder}", workspace)
		}
		return c, nil
	}
	return launchConfig{}, fmt.Errorf("%s: no configuration named %q", path, name)
}

// attachArguments is what VS Code's Go extension sends delve in the DAP attach request for a
// remote configuration: the mode and the path mapping (delve applies it on its side).
func (c launchConfig) attachArguments() json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"request":        c.Request,
		"mode":           c.Mode,
		"substitutePath": c.SubstitutePath,
	})
	return b
}
