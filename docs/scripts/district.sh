#!/usr/bin/env bash
# Script the district (docs/api.md, docs/openapi.yaml): create a campaign for
# every school, import each school's rosters from a folder, produce every
# letter as one job, download the ZIP and export the reach report.
# Needs bash and curl only.
#
#   J=https://jiashu.example.edu.cn TOKEN=jst_… ./district.sh 2027年春季反诈家书 rosters/ out/
#
# rosters/<school name>/<any name>.xlsx (or .xls, .ods, .csv): every file in a
# school's folder is imported into that school, dry run first; a file with
# errors stops the script before anything of it is written.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: J=URL TOKEN=jst_… $0 CAMPAIGN ROSTERS_DIR OUT_DIR" >&2; exit 2; }
name=$1 rosters=$2 out=$3
: "${J:?set J to the service URL}" "${TOKEN:?set TOKEN to an API token of the education center}"
case $name in *\"* | *\\*) echo "the campaign name may not hold \" or \\" >&2; exit 2 ;; esac
mkdir -p "$out"

# api METHOD PATH [curl options…]: prints the answer's body; an error answer
# is printed to stderr and fails.
api() {
	local method=$1 path=$2 answer status
	shift 2
	answer=$(curl -sS -X "$method" -H "Authorization: Bearer $TOKEN" -w '\n%{http_code}' "$@" "$J/api/v1$path")
	status=${answer##*$'\n'}
	answer=${answer%$'\n'*}
	if [ "$status" -ge 400 ]; then
		echo "$method $path: $status $answer" >&2
		return 1
	fi
	printf '%s\n' "$answer"
}
# first NAME: the first number or string field NAME of the JSON on stdin.
first() { grep -o "\"$1\":\\(\"[^\"]*\"\\|[0-9]*\\)" | head -1 | cut -d: -f2- | tr -d '"'; }

# The schools, as "id name" lines.
schools=$(api GET /schools | grep -o '"id":[0-9]*,"name":"[^"]*"' | sed 's/"id":\([0-9]*\),"name":"\(.*\)"/\1 \2/')
ids=$(printf '%s\n' "$schools" | cut -d' ' -f1 | paste -sd, -)

# 1. The campaign, for every school. The key makes a retry after a lost
# answer safe: the service answers the first campaign again.
key="campaign-$(printf '%s' "$name" | cksum | cut -d' ' -f1)"
campaign=$(api POST /campaigns -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
	-d "{\"name\":\"$name\",\"quiz_enabled\":true,\"school_ids\":[$ids]}" | first id)
echo "campaign $campaign: $name"

# 2. Every school's rosters: a dry run, then the import.
for dir in "$rosters"/*/; do
	school=$(basename "$dir")
	id=$(printf '%s\n' "$schools" | awk -v s="$school" '{ n = $1; sub(/^[0-9]+ /, ""); if ($0 == s) print n }')
	[ -n "$id" ] || { echo "$school: no such school" >&2; exit 1; }
	for file in "$dir"*; do
		[ -f "$file" ] || continue
		if ! api POST "/schools/$id/imports" -F "file=@$file" -F dry_run=true >/dev/null; then
			echo "$file: not imported (the problems are above)" >&2
			exit 1
		fi
		students=$(api POST "/schools/$id/imports" -F "file=@$file" | first students)
		echo "imported $school: $(basename "$file"), $students students"
	done
done

# 3. Every letter of the campaign as one job, then its ZIP.
job=$(api POST "/campaigns/$campaign/letters" -H "Idempotency-Key: letters-$key" | first id)
while :; do
	status=$(api GET "/jobs/$job" | first status)
	case $status in
	done) break ;;
	failed | cancelled) echo "letters job $job $status" >&2; exit 1 ;;
	esac
	sleep 2
done
api GET "/jobs/$job/result" -o "$out/letters.zip" >/dev/null
echo "letters: $out/letters.zip"

# 4. The reach report (aggregates only).
api GET "/overview/report.xlsx?campaign=$campaign" -o "$out/report.xlsx" >/dev/null
echo "report: $out/report.xlsx"
