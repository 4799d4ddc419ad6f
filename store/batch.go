package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxBatchParams keeps multi-row statements under both databases' limits on
// bound parameters (SQLite 32766, PostgreSQL 65535) while amortising the
// statement overhead over a few hundred rows.
const maxBatchParams = 4000

// insertRows inserts rows into table: args is a flat list of rows, one
// value per column of cols ("id bigint, name text, …": each column with its
// PostgreSQL type). tail follows the rows, e.g. " ON CONFLICT DO NOTHING".
// SQLite gets multi-row VALUES statements; PostgreSQL gets one
// INSERT … SELECT FROM unnest(…) per 20,000 rows with a text array per
// column, which parses and binds far less than thousands of placeholders.
// Values may be int, int64, string, bool or time.Time; not nil.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table, cols, tail string, args []any) error {
	var names, types []string
	for _, c := range strings.Split(cols, ",") {
		f := strings.Fields(c)
		if len(f) != 2 {
			return fmt.Errorf("store: insert into %s: column %q needs a name and a type", table, c)
		}
		names = append(names, f[0])
		types = append(types, f[1])
	}
	n := len(names)
	head := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") "
	if s.dialect != Postgres {
		return s.insertBatch(ctx, tx, head+"VALUES ", tail, n, args)
	}
	if len(args)%n != 0 {
		return fmt.Errorf("store: insert into %s: %d values are not rows of %d", table, len(args), n)
	}
	var sel, params []string
	for i, t := range types {
		sel = append(sel, fmt.Sprintf("c%d::%s", i+1, t))
		params = append(params, fmt.Sprintf("$%d::text[]", i+1))
	}
	colNames := make([]string, n)
	for i := range colNames {
		colNames[i] = fmt.Sprintf("c%d", i+1)
	}
	query := head + "SELECT " + strings.Join(sel, ", ") + " FROM unnest(" + strings.Join(params, ", ") +
		") AS v(" + strings.Join(colNames, ", ") + ")" + tail
	const perStatement = 20_000
	rows := len(args) / n
	for start := 0; start < rows; start += perStatement {
		end := min(start+perStatement, rows)
		columns := make([][]string, n)
		for c := range columns {
			columns[c] = make([]string, 0, end-start)
		}
		for r := start; r < end; r++ {
			for c := 0; c < n; c++ {
				v, err := pgText(args[r*n+c])
				if err != nil {
					return fmt.Errorf("store: insert into %s: column %s: %w", table, names[c], err)
				}
				columns[c] = append(columns[c], v)
			}
		}
		qargs := make([]any, n)
		for c := range columns {
			qargs[c] = columns[c]
		}
		if _, err := tx.ExecContext(ctx, query, qargs...); err != nil {
			return err
		}
	}
	return nil
}

// pgText renders v as PostgreSQL reads it from text.
func pgText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	default:
		return "", fmt.Errorf("unsupported value %T", v)
	}
}

// insertBatch runs head + VALUES (…),(…) + tail for args, a flat list of
// rows of cols values each, in chunks. Full chunks share one prepared
// statement. head is e.g. "INSERT INTO t (a, b) VALUES ", tail e.g.
// " ON CONFLICT DO NOTHING" or "".
func (s *Store) insertBatch(ctx context.Context, tx *sql.Tx, head, tail string, cols int, args []any) error {
	if len(args)%cols != 0 {
		return fmt.Errorf("store: batch of %d values is not rows of %d", len(args), cols)
	}
	per := maxBatchParams / cols
	if per < 1 {
		per = 1
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < len(args); start += per * cols {
		end := min(start+per*cols, len(args))
		n := (end - start) / cols
		if n == per {
			if full == nil {
				var err error
				full, err = tx.PrepareContext(ctx, s.Rebind(head+placeholders(per, cols)+tail))
				if err != nil {
					return err
				}
			}
			if _, err := full.ExecContext(ctx, args[start:end]...); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(head+placeholders(n, cols)+tail), args[start:end]...); err != nil {
			return err
		}
	}
	return nil
}

// execIn runs query once per chunk of ids, with "(?,?,…)" substituted for
// the "(…)" marker in query and before prepended to the chunk's arguments,
// e.g. execIn(ctx, tx, "UPDATE t SET x = ? WHERE id IN (…)", []any{x}, ids).
func (s *Store) execIn(ctx context.Context, tx *sql.Tx, query string, before []any, ids []int64) error {
	per := maxBatchParams - len(before)
	for start := 0; start < len(ids); start += per {
		end := min(start+per, len(ids))
		chunk := ids[start:end]
		args := make([]any, 0, len(before)+len(chunk))
		args = append(args, before...)
		for _, id := range chunk {
			args = append(args, id)
		}
		q := strings.Replace(query, "(…)", "("+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+")", 1)
		if _, err := tx.ExecContext(ctx, s.Rebind(q), args...); err != nil {
			return err
		}
	}
	return nil
}

// allocIDs reserves n ids for rows the caller inserts into table with
// explicit ids, so multi-row inserts need no RETURNING to learn them. On
// PostgreSQL they come from the table's sequence; on SQLite the caller's
// immediate transaction holds the only write lock, so MAX(id)+1… is free.
func (s *Store) allocIDs(ctx context.Context, tx *sql.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if s.dialect == Postgres {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(q.seq) FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq) q, generate_series(1, $2)`, table, n)
		if err != nil {
			return nil, fmt.Errorf("store: allocate %s ids: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("store: allocate %s ids: %w", table, err)
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: allocate %s ids: %w", table, err)
		}
		return ids, nil
	}
	var max int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&max); err != nil {
		return nil, fmt.Errorf("store: allocate %s ids: %w", table, err)
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, max+int64(i))
	}
	return ids, nil
}
