package cli

import (
	"fmt"
	"strings"

	"jiashu/app/config"
)

// withEnvFile takes --env-file FILE (or --env-file=FILE) out of args, before
// or after the command name, and returns the other arguments and a getenv
// that reads FILE's settings first: `app --env-file /etc/jiashu/env user
// list` runs with the service's settings, the file read the way systemd's
// EnvironmentFile= reads it (config.ParseEnvFile). The file wins over the
// process's environment, as it was named on purpose; flags win over both.
func withEnvFile(args []string, getenv func(string) string) ([]string, func(string) string, error) {
	var rest, files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		switch {
		case a == "--env-file" || a == "-env-file":
			if i+1 >= len(args) {
				return nil, nil, fmt.Errorf("--env-file needs a file name")
			}
			i++
			files = append(files, args[i])
		case strings.HasPrefix(a, "--env-file=") || strings.HasPrefix(a, "-env-file="):
			files = append(files, a[strings.IndexByte(a, '=')+1:])
		default:
			rest = append(rest, a)
		}
	}
	if len(files) == 0 {
		return args, getenv, nil
	}
	set := map[string]string{}
	for _, f := range files { // a later file wins, as a later EnvironmentFile= does
		vars, err := config.ReadEnvFile(f)
		if err != nil {
			return nil, nil, err
		}
		for _, v := range vars {
			set[v.Key] = v.Value
		}
	}
	return rest, func(k string) string {
		if v, ok := set[k]; ok {
			return v
		}
		return getenv(k)
	}, nil
}
