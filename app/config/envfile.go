package config

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Environment files. The service's settings live in one file that systemd
// reads with EnvironmentFile= (docs/deploy.md); `app --env-file FILE
// COMMAND` reads the same file, so a command run by hand sees what the
// service sees. ParseEnvFile follows systemd's reader (src/basic/env-file.c,
// systemd 252) rather than a shell's: a line KEY=VALUE; lines whose first
// non-blank character is # or ; are comments, and nothing else is — a #
// after a value is part of the value, which is why the deploy files put
// comments on lines of their own; blanks around the key and the value are
// dropped; 'single quotes' keep everything up to the next '; "double
// quotes" keep everything, a backslash escaping only " \ ` $ (and a
// newline); outside quotes a backslash keeps the next character and a
// backslash at the end of a line continues it; quoted and unquoted parts
// of a value join (A="x"y is xy); no $VARIABLE is expanded. A line without
// = is ignored, as systemd ignores it; a key that is not a valid variable
// name is refused, where systemd would drop it with a warning in its log
// nobody reads.

// maxEnvFile bounds what ParseEnvFile reads: a settings file is a few
// hundred bytes; systemd itself refuses files over 4 MiB.
const maxEnvFile = 1 << 20

// EnvVar is one assignment of an environment file.
type EnvVar struct {
	Key, Value string
	Line       int // where the assignment started, from 1
}

// ReadEnvFile parses the environment file at path (ParseEnvFile).
func ReadEnvFile(path string) ([]EnvVar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: env file: %w", err)
	}
	defer f.Close()
	vars, err := ParseEnvFile(f)
	if err != nil {
		return nil, fmt.Errorf("config: env file %s: %w", path, err)
	}
	return vars, nil
}

// envState is where ParseEnvFile is in a line.
type envState int

const (
	preKey envState = iota
	inKey
	preValue
	inValue
	valueEscape
	singleQuote
	doubleQuote
	doubleQuoteEscape
	inComment
	commentEscape
)

// envParser is the state of ParseEnvFile between characters; it mirrors
// systemd's parse_env_file_internal, state for state.
type envParser struct {
	state      envState
	key, value []rune
	keyWS      int // where the key's trailing blanks start, -1 when none
	valueWS    int // where the value's trailing unquoted blanks start, -1 when none
	line       int // current line
	start      int // line of the assignment being read
	vars       []EnvVar
	err        error
}

// ParseEnvFile reads KEY=VALUE assignments as systemd's EnvironmentFile=
// does (see the comment at the top of this file). A later assignment of a
// key replaces an earlier one, as in systemd. At most 1 MiB is read.
func ParseEnvFile(r io.Reader) ([]EnvVar, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxEnvFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxEnvFile {
		return nil, fmt.Errorf("larger than %d bytes: not a settings file", maxEnvFile)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not UTF-8 text")
	}
	p := &envParser{line: 1, keyWS: -1, valueWS: -1}
	for _, c := range string(data) {
		p.next(c)
		if c == '\n' {
			p.line++
		}
	}
	p.next('\n') // a last line without its newline
	if p.err != nil {
		return nil, p.err
	}
	return p.vars, nil
}

// isNewline and isBlank are systemd's NEWLINE and WHITESPACE: a carriage
// return ends a line too.
func isNewline(c rune) bool { return c == '\n' || c == '\r' }
func isBlank(c rune) bool   { return c == ' ' || c == '\t' || isNewline(c) }

// next feeds one character to the parser.
func (p *envParser) next(c rune) {
	switch p.state {
	case preKey:
		switch {
		case c == '#' || c == ';':
			p.state = inComment
		case !isBlank(c):
			p.start = p.line
			p.state = inKey
			p.keyWS = -1
			p.key = append(p.key, c)
		}
	case inKey:
		p.keyChar(c)
	case preValue:
		p.preValueChar(c)
	case inValue:
		p.valueChar(c)
	case valueEscape:
		p.state = inValue
		if !isNewline(c) { // backslash-newline continues the line
			p.value = append(p.value, c)
		}
	case singleQuote:
		if c == '\'' {
			p.state = preValue
		} else {
			p.value = append(p.value, c)
		}
	case doubleQuote:
		switch c {
		case '"':
			p.state = preValue
		case '\\':
			p.state = doubleQuoteEscape
		default:
			p.value = append(p.value, c)
		}
	case doubleQuoteEscape:
		p.state = doubleQuote
		if strings.ContainsRune("\"\\`$", c) {
			p.value = append(p.value, c)
		} else if c != '\n' {
			p.value = append(p.value, '\\', c)
		}
	case inComment:
		if c == '\\' {
			p.state = commentEscape
		} else if isNewline(c) {
			p.state = preKey
		}
	case commentEscape:
		if isNewline(c) {
			p.commentContinued()
		}
		p.state = inComment
	}
}

// commentContinued refuses a comment ending in a backslash: systemd 252
// (Debian 12) continues the comment on the next line, 254 and later do
// not, so the line after it would be a setting on one system and not on
// the other.
func (p *envParser) commentContinued() {
	if p.err == nil {
		p.err = fmt.Errorf("line %d: a comment ends with a backslash, which systemd versions read differently; remove the backslash", p.line)
	}
}

func (p *envParser) keyChar(c rune) {
	switch {
	case isNewline(c):
		p.reset() // a line without "=": systemd ignores it
	case c == '=':
		p.state = preValue
		p.valueWS = -1
	default:
		if !isBlank(c) {
			p.keyWS = -1
		} else if p.keyWS == -1 {
			p.keyWS = len(p.key)
		}
		p.key = append(p.key, c)
	}
}

// preValueChar handles a character after "=" or after a closing quote.
func (p *envParser) preValueChar(c rune) {
	switch {
	case isNewline(c):
		p.push()
	case c == '\'':
		p.state = singleQuote
	case c == '"':
		p.state = doubleQuote
	case c == '\\':
		p.state = valueEscape
	case !isBlank(c):
		p.state = inValue
		p.value = append(p.value, c)
	}
}

// valueChar handles a character of an unquoted value.
func (p *envParser) valueChar(c rune) {
	switch {
	case isNewline(c):
		if p.valueWS != -1 {
			p.value = p.value[:p.valueWS]
		}
		p.push()
	case c == '\\':
		p.state = valueEscape
		p.valueWS = -1
	default:
		if !isBlank(c) {
			p.valueWS = -1
		} else if p.valueWS == -1 {
			p.valueWS = len(p.value)
		}
		p.value = append(p.value, c)
	}
}

// push ends an assignment.
func (p *envParser) push() {
	key := p.key
	if p.keyWS != -1 {
		key = key[:p.keyWS]
	}
	if !validEnvName(string(key)) {
		if p.err == nil {
			p.err = fmt.Errorf("line %d: %q is not a variable name (letters, digits and _, not starting with a digit)", p.start, string(key))
		}
	} else {
		p.set(EnvVar{Key: string(key), Value: string(p.value), Line: p.start})
	}
	p.reset()
}

func (p *envParser) set(v EnvVar) {
	for i := range p.vars {
		if p.vars[i].Key == v.Key {
			p.vars = append(p.vars[:i], p.vars[i+1:]...)
			break
		}
	}
	p.vars = append(p.vars, v)
}

func (p *envParser) reset() {
	p.key, p.value = p.key[:0], p.value[:0]
	p.keyWS, p.valueWS = -1, -1
	p.state = preKey
}

// validEnvName: letters, digits and underscores, not starting with a digit.
func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9'
		if !ok {
			return false
		}
	}
	return true
}
