# PostgreSQL client helpers for ops/backup and ops/restore (sourced).
#
# pg_use_connection STRING: the app's connection string (Npgsql form, as in ConnectionStrings__Main:
# "Host=db;Port=5432;Database=recoverystudy;Username=rs;Password=...") turned into libpq's
# environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE) and a password file readable only by
# this user, so the password never appears on a command line. Values may not contain ';'.
# pg_tool NAME: the client program of the newest installed PostgreSQL (PG_BIN, else
# /usr/lib/postgresql/N/bin, else PATH); pg_dump must be at least as new as the server.

pg_bin_dir() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/pg_dump" ]; then echo "$PG_BIN"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/pg_dump" ]; then echo "$dir"; return; fi
  dir="$(dirname "$(command -v pg_dump 2>/dev/null || echo /nonexistent/pg_dump)")"
  if [ -x "$dir/pg_dump" ]; then echo "$dir"; return; fi
  echo "pg_dump was not found: install the Debian package postgresql-client-15 (or set PG_BIN)" >&2
  exit 2
}

pg_tool() {
  echo "$(pg_bin_dir)/$1"
}

pg_passfile_escape() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g'
}

pg_use_connection() {
  local connection="$1" part key value password="" parts=()
  if [ -z "$connection" ]; then
    echo "no connection string: set ConnectionStrings__Main (as for the app) or pass --connection STRING" >&2
    exit 2
  fi
  unset PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSSLMODE PGSERVICE
  IFS=';' read -r -a parts <<<"$connection"
  for part in "${parts[@]}"; do
    [ -n "${part//[[:space:]]/}" ] || continue
    key="$(printf '%s' "${part%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${part#*=}"
    value="${value#"${value%%[![:space:]]*}"}"
    value="${value%"${value##*[![:space:]]}"}"
    case "$value" in \"*\") value="${value:1:${#value}-2}" ;; \'*\') value="${value:1:${#value}-2}" ;; esac
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|user|userid) export PGUSER="$value" ;;
      password|pwd) password="$value" ;;
      sslmode) export PGSSLMODE="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]' | sed 's/verifyfull/verify-full/; s/verifyca/verify-ca/')" ;;
    esac
  done
  if [ -z "${PGDATABASE:-}" ]; then
    echo "the connection string names no Database" >&2
    exit 2
  fi
  if [ -n "$password" ]; then
    PGPASSFILE="$(mktemp)"
    export PGPASSFILE
    chmod 600 "$PGPASSFILE"
    printf '*:*:*:*:%s\n' "$(pg_passfile_escape "$password")" >"$PGPASSFILE"
  fi
}

pg_forget_password() {
  if [ -n "${PGPASSFILE:-}" ]; then rm -f "$PGPASSFILE"; fi
}

# psql with the connection in the environment: quiet, stops at the first error, no ~/.psqlrc.
pg_psql() {
  "$(pg_tool psql)" -X -q -v ON_ERROR_STOP=1 "$@"
}
