package ci

import (
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Template is what the test needs of one CI file: the chanconf command lines it runs, in
// order, and the report files it uploads.
type Template struct {
	// Commands are the script lines that start with "chanconf ".
	Commands []string
	// Uploads are the report paths the job hands to the CI (JUnit, SARIF, artefacts).
	Uploads []string
	// Gated is false when the file lets the chanconf step fail without failing the job
	// (continue-on-error, allow_failure).
	Gated bool
}

// githubWorkflow is the part of a GitHub Actions workflow the test reads.
type githubWorkflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Run             string            `yaml:"run"`
			With            map[string]string `yaml:"with"`
			ContinueOnError any               `yaml:"continue-on-error"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// LoadGitHub reads a GitHub Actions workflow.
func LoadGitHub(path string) (*Template, error) {
	var wf githubWorkflow
	if err := decode(path, &wf); err != nil {
		return nil, err
	}
	t := &Template{Gated: true}
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			cmds := chanconfLines(s.Run)
			t.Commands = append(t.Commands, cmds...)
			if len(cmds) > 0 && s.ContinueOnError != nil && s.ContinueOnError != false {
				t.Gated = false
			}
			for _, k := range []string{"report_paths", "sarif_file", "path"} {
				if v := s.With[k]; v != "" {
					t.Uploads = append(t.Uploads, v)
				}
			}
		}
	}
	return t, nil
}

// gitlabJob is the part of a GitLab CI job the test reads.
type gitlabJob struct {
	Script       []string `yaml:"script"`
	AllowFailure any      `yaml:"allow_failure"`
	Artifacts    struct {
		Paths   []string `yaml:"paths"`
		Reports struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// LoadGitLab reads a GitLab CI file (every top-level key is a job).
func LoadGitLab(path string) (*Template, error) {
	var jobs map[string]gitlabJob
	if err := decode(path, &jobs); err != nil {
		return nil, err
	}
	t := &Template{Gated: true}
	for _, j := range jobs {
		for _, line := range j.Script {
			t.Commands = append(t.Commands, chanconfLines(line)...)
		}
		if j.AllowFailure != nil && j.AllowFailure != false {
			t.Gated = false
		}
		t.Uploads = append(t.Uploads, j.Artifacts.Paths...)
		if j.Artifacts.Reports.JUnit != "" {
			t.Uploads = append(t.Uploads, j.Artifacts.Reports.JUnit)
		}
	}
	return t, nil
}

// decode reads path as YAML into v, refusing what v does not describe only loosely (unknown
// keys are allowed: the files hold much the test does not read).
func decode(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// chanconfLines returns the lines of a script that run chanconf.
func chanconfLines(script string) []string {
	var out []string
	for _, line := range strings.Split(script, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "chanconf ") {
			out = append(out, line)
		}
	}
	return out
}
