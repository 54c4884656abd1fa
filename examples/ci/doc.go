// Package ci holds the CI templates of the README (a GitHub Actions workflow and a GitLab CI
// job) and the test that keeps them working: it parses both files and runs their chanconf
// command lines, verbatim but for the sandbox variables, against the embedded reference
// channel, then checks that the reports they upload exist.
package ci
