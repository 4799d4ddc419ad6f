package cli

import (
	"context"
	"fmt"

	"jiashu/store"
)

// compactNow runs app retention --compact [--full] and says what it really
// did, which differs by database: on SQLite the file is rewritten and its
// log emptied, and deleted content (already zeroed by secure_delete) is
// gone from both; on PostgreSQL a plain VACUUM only marks the space of
// deleted rows reusable, VACUUM FULL rewrites the tables into new files.
// In neither case are the copies in backups (or PostgreSQL's WAL, archives
// and dumps) touched.
func compactNow(ctx context.Context, e *env, st *store.Store, full bool) int {
	compact := st.Compact
	if full {
		compact = st.CompactFull
	}
	if err := compact(ctx); err != nil {
		fmt.Fprintf(e.stderr, "app retention: 数据库文件仍未能压缩，请稍后再试：%v\n", err)
		return exitProblems
	}
	switch {
	case st.Dialect() != store.Postgres:
		fmt.Fprintln(e.stdout, "数据库文件已压缩（VACUUM 重写了整个文件），预写日志已清空：删除的内容已从数据库文件中抹去；此前的备份中仍有，到期删除。")
	case full:
		fmt.Fprintln(e.stdout, "已对存放过个人信息的表执行 VACUUM FULL：这些表已重写到新文件，旧文件已删除（其磁盘块在被重用前仍可能留在磁盘上）。"+
			"预写日志（WAL）、WAL 归档和 pg_dump 备份中的副本要等轮换后才会消失；要让它们真正不可读，请把数据库放在加密卷上（见 store/README.md）。")
	default:
		fmt.Fprintln(e.stdout, "已对存放过个人信息的表执行 VACUUM：删除的行所占空间已标记为可重用，但没有被覆盖，在被新数据覆盖前仍留在数据文件中。"+
			"要重写这些表，请在业务空闲时运行 app retention --compact --full（VACUUM FULL，运行期间逐表锁定，家长的确认会等待）。")
	}
	return exitOK
}
