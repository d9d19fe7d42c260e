package stackcheck

import (
	"maps"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// The table browser is opt-in: without a profile `docker compose up` starts the same three
// services as before; the `tools` profile adds dynamodb-admin, published on loopback only.
func TestToolsProfileIsOptIn(t *testing.T) {
	for _, c := range []struct {
		profiles []string
		want     []string
	}{
		{nil, []string{"api", "dynamodb", "terraform"}},
		{[]string{"tools"}, []string{"api", "dynamodb", "dynamodb-admin", "terraform"}},
	} {
		p := loadProfiles(t, nil, c.profiles, devFiles...)
		if got := slices.Sorted(maps.Keys(p.Services)); !slices.Equal(got, c.want) {
			t.Errorf("profiles %v: services %v, want %v", c.profiles, got, c.want)
		}
	}
	for _, port := range loadProfiles(t, nil, []string{"tools"}, devFiles...).Services["dynamodb-admin"].Ports {
		if port.HostIP != "127.0.0.1" {
			t.Errorf("dynamodb-admin publishes %s on %q, want 127.0.0.1 only", port.Published, port.HostIP)
		}
	}
}

// Persistence is opt-in (by default DynamoDB Local is in memory: TestDynamoDBLocalSharesOneDatabase):
// with docker-compose.persist.yml its -dbPath is the mount point of the named volume, which a
// one-shot service of the same image hands to the image's user before DynamoDB Local starts.
func TestPersistOverrideKeepsDataInAVolume(t *testing.T) {
	p := loadProject(t, nil, persistFiles...)
	ddb, owner := p.Services["dynamodb"], p.Services["dynamodb-data-owner"]
	i := slices.Index(ddb.Command, "-dbPath")
	if i < 0 || i+1 >= len(ddb.Command) || slices.Contains(ddb.Command, "-inMemory") {
		t.Fatalf("persisted dynamodb command %q: want -dbPath DIR and no -inMemory", ddb.Command)
	}
	dir := ddb.Command[i+1]
	for _, name := range []string{"dynamodb", "dynamodb-data-owner"} {
		if !slices.ContainsFunc(p.Services[name].Volumes, func(v types.ServiceVolumeConfig) bool {
			return v.Source == "dynamodb-data" && v.Target == dir
		}) {
			t.Errorf("%s does not mount the volume dynamodb-data at -dbPath %s", name, dir)
		}
	}
	if owner.Image != ddb.Image || owner.User != "0:0" || !slices.Equal(owner.Entrypoint, []string{"chown", "dynamodblocal:dynamodblocal", dir}) {
		t.Errorf("dynamodb-data-owner: image %q user %q entrypoint %q; want dynamodb's image %q, 0:0, chown dynamodblocal:dynamodblocal %s",
			owner.Image, owner.User, owner.Entrypoint, ddb.Image, dir)
	}
	if dep := ddb.DependsOn["dynamodb-data-owner"]; dep.Condition != "service_completed_successfully" {
		t.Errorf("dynamodb starts before the volume is handed over: depends_on %+v", ddb.DependsOn)
	}
	if len(owner.Ports) != 0 {
		t.Errorf("dynamodb-data-owner publishes ports %v (inherited from dynamodb)", owner.Ports)
	}
}
