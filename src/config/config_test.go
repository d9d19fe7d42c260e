package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": "us-east-1"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{TableName: "objects", HashKeyName: "uuid", Region: "us-east-1", Port: 8080, Timeout: 3 * time.Second, LogLevel: slog.LevelInfo, LogFormat: "json",
		DeleteAllEnabled: true, DeleteAllTimeout: 5 * time.Minute, ListMaxConcurrent: 8, ReadyCacheTTL: time.Second}
	if cfg != want {
		t.Fatalf("Load = %+v, want %+v", cfg, want)
	}
}

func TestLoadAll(t *testing.T) {
	cfg, err := Load(map[string]string{
		"DDB_ENDPOINT_URL": "http://dynamodb:8000", "DDB_TABLE_NAME": "t_1.x", "DDB_HASH_KEY_NAME": "id",
		"AWS_REGION": "eu-west-1", "PORT": "9000", "DDB_TIMEOUT": "250ms", "LOG_LEVEL": "debug", "LOG_FORMAT": "text",
		"DELETE_ALL_ENABLED": "false", "DELETE_ALL_TIMEOUT": "90s", "LIST_MAX_CONCURRENT": "2", "READY_CACHE_TTL": "0s",
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{EndpointURL: "http://dynamodb:8000", TableName: "t_1.x", HashKeyName: "id", Region: "eu-west-1", Port: 9000, Timeout: 250 * time.Millisecond, LogLevel: slog.LevelDebug, LogFormat: "text",
		DeleteAllEnabled: false, DeleteAllTimeout: 90 * time.Second, ListMaxConcurrent: 2, ReadyCacheTTL: 0}
	if cfg != want {
		t.Fatalf("Load = %+v, want %+v", cfg, want)
	}
}

func TestLoadNamesEveryBadVariable(t *testing.T) {
	tests := []struct {
		name    string
		environ map[string]string
		want    []string
	}{
		{"nothing set", map[string]string{}, []string{"DDB_TABLE_NAME", "AWS_REGION"}},
		{"set but empty", map[string]string{"DDB_TABLE_NAME": "", "AWS_REGION": ""}, []string{"DDB_TABLE_NAME", "AWS_REGION"}},
		{"all wrong", map[string]string{
			"DDB_ENDPOINT_URL": "dynamodb:8000", "DDB_TABLE_NAME": "a", "DDB_HASH_KEY_NAME": "ts",
			"PORT": "eighty", "DDB_TIMEOUT": "3 seconds", "LOG_LEVEL": "loud", "LOG_FORMAT": "xml",
			"DELETE_ALL_ENABLED": "maybe", "DELETE_ALL_TIMEOUT": "0s", "LIST_MAX_CONCURRENT": "many",
			"READY_CACHE_TTL": "a while",
		}, []string{"DDB_ENDPOINT_URL", "DDB_TABLE_NAME", "DDB_HASH_KEY_NAME", "AWS_REGION", "PORT", "DDB_TIMEOUT", "LOG_LEVEL", "LOG_FORMAT",
			"DELETE_ALL_ENABLED", "DELETE_ALL_TIMEOUT", "LIST_MAX_CONCURRENT", "READY_CACHE_TTL"}},
		{"no lists", map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": "x", "LIST_MAX_CONCURRENT": "0"}, []string{"LIST_MAX_CONCURRENT"}},
		{"negative ready cache", map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": "x", "READY_CACHE_TTL": "-1s"}, []string{"READY_CACHE_TTL"}},
		{"port out of range", map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": "x", "PORT": "70000"}, []string{"PORT"}},
		{"negative timeout", map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": "x", "DDB_TIMEOUT": "-1s"}, []string{"DDB_TIMEOUT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.environ)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, name := range tt.want {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("error does not name %s:\n%v", name, err)
				}
			}
		})
	}
}

func TestRedactedHasNoCredentials(t *testing.T) {
	cfg := Config{TableName: "objects", Region: "us-east-1"}
	for k := range cfg.Redacted() {
		if strings.HasPrefix(k, "AWS_SECRET") || strings.HasPrefix(k, "AWS_ACCESS") {
			t.Errorf("Redacted includes %s", k)
		}
	}
}
