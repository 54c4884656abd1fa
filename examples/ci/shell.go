package ci

import (
	"errors"
	"fmt"
	"strings"
)

// SplitWords splits one POSIX shell command line into its words the way sh would for the
// simple lines the templates use: blanks separate words, single quotes keep everything,
// double quotes keep everything but $NAME and ${NAME}, which lookup expands (as it does
// unquoted). Anything the templates must not need (a pipe, a list, a redirection, command
// substitution, a glob) is an error, so a template cannot hide a second command or an
// `|| true` that would defeat the exit-code gate.
func SplitWords(line string, lookup func(string) (string, bool)) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
			continue
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			n, err := doubleQuoted(line[i+1:], &cur, lookup)
			if err != nil {
				return nil, err
			}
			i += n + 1
		case c == '$':
			n, err := expand(line[i:], &cur, lookup)
			if err != nil {
				return nil, err
			}
			i += n - 1
		case strings.IndexByte("|&;<>()`*?[]{}\\#~", c) >= 0:
			return nil, fmt.Errorf("%q at column %d: the template's chanconf lines must be single simple commands", c, i+1)
		default:
			cur.WriteByte(c)
		}
		inWord = true
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// doubleQuoted copies s up to its closing quote into cur, expanding variables, and returns the
// index of the closing quote.
func doubleQuoted(s string, cur *strings.Builder, lookup func(string) (string, bool)) (int, error) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i, nil
		case '$':
			n, err := expand(s[i:], cur, lookup)
			if err != nil {
				return 0, err
			}
			i += n - 1
		case '`', '\\':
			return 0, fmt.Errorf("%q inside double quotes is not supported", s[i])
		default:
			cur.WriteByte(s[i])
		}
	}
	return 0, errors.New("unterminated double quote")
}

// expand writes the value of the variable s starts with ($NAME or ${NAME}) and returns how
// many bytes of s it used. An unknown variable is an error: the test must supply every one.
func expand(s string, cur *strings.Builder, lookup func(string) (string, bool)) (int, error) {
	name, used := "", 0
	if strings.HasPrefix(s, "${") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return 0, errors.New("unterminated ${")
		}
		name, used = s[2:end], end+1
	} else {
		j := 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		name, used = s[1:j], j
	}
	v, ok := lookup(name)
	if name == "" || !ok {
		return 0, fmt.Errorf("variable %q is not one the test supplies", name)
	}
	cur.WriteString(v)
	return used, nil
}
