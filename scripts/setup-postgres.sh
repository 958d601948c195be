#!/usr/bin/env bash
# Make the native PostgreSQL server ready for tenantvec's tests: running on 127.0.0.1:5432,
# pgvector installed, and `CREATE EXTENSION vector` done in the target database.
# Idempotent; when everything is already in place it only checks (well under a second).
#
# Usage (root if it must start the server or build):  scripts/setup-postgres.sh [--check | --provision LOGIN]
#   --check       only report whether the server is up and pgvector is available (exit 0/1)
#   --provision LOGIN  also run packages/pgvector/sql/setup.sql there: the roles and grants a login
#                 without superuser rights needs (roles <TENANTVEC_ROLE_PREFIX>_app/_admin, default tenantvec)
#   DATABASE_URL  postgres:// URL of the database to enable pgvector in (default: `test` locally)
set -euo pipefail

log() { echo "setup-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CHECK=0 PROVISION=
case "${1:-}" in
  "") ;;
  --check) CHECK=1 ;;
  --provision) PROVISION=${2:-}; [ -n "$PROVISION" ] || die "--provision needs the login name" ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--check | --provision LOGIN])" ;;
esac

HOST=127.0.0.1 PORT=5432
# Connect as `postgres`: CREATE EXTENSION vector needs a superuser, and a `root` role exists
# only on some machines.
TARGET=${DATABASE_URL:-postgresql://postgres@$HOST:$PORT/test}
SHOWN=$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$TARGET")   # never log a password
PG_VERSION=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1 || true)
PG_CONFIG=/usr/lib/postgresql/$PG_VERSION/bin/pg_config
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)

server_up() { pg_isready -q -h "$HOST" -p "$PORT"; }
ext_installed() {  # the files `make install` puts in place for this server version
  [ -n "$PG_VERSION" ] && [ -x "$PG_CONFIG" ] &&
    [ -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ] &&
    [ -f "$("$PG_CONFIG" --pkglibdir)/vector.so" ]
}
ext_available_in_target() {
  [ "$("${PSQL[@]}" -d "$TARGET" -c "SELECT 1 FROM pg_available_extensions WHERE name='vector'" 2>/dev/null)" = 1 ]
}

if [ "$CHECK" = 1 ]; then
  rc=0
  if [ -n "${DATABASE_URL:-}" ]; then
    pg_isready -q -d "$TARGET" && log "server up ($SHOWN)" || { log "server NOT reachable ($SHOWN)"; rc=1; }
  else
    server_up && log "server up on $HOST:$PORT" || { log "server NOT up on $HOST:$PORT"; rc=1; }
  fi
  if ext_available_in_target || { [ -z "${DATABASE_URL:-}" ] && ext_installed; }; then
    log "pgvector available"
  else log "pgvector NOT available"; rc=1; fi
  exit "$rc"
fi

need_root() { [ "$(id -u)" = 0 ] || die "must run as root to $1"; }

build_pgvector() {
  # Bookworm ships no pgvector, but trixie's source package builds against bookworm's
  # server headers. Source entries only: trixie *binaries* would pull in a newer libc.
  need_root "install pgvector"
  local src=/etc/apt/sources.list.d/debian.sources
  local list=/etc/apt/sources.list.d/tenantvec-trixie-src.sources
  [ -f "$src" ] || die "$src not found; cannot derive a trixie deb-src entry"
  awk 'NF==0 { if (seen) exit; next } { seen=1 }
       /^Types:/ { print "Types: deb-src"; next } /^Suites:/ { print "Suites: trixie"; next }
       { print }' "$src" >"$list"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=120)
  log "apt-get update (adds trixie deb-src via $list)"
  "${apt[@]}" update || die "apt-get update failed"
  log "installing postgresql-server-dev-$PG_VERSION build-essential"
  "${apt[@]}" install -y "postgresql-server-dev-$PG_VERSION" build-essential >/dev/null ||
    die "apt-get install postgresql-server-dev-$PG_VERSION build-essential failed"

  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  chmod 755 "$WORK"   # lets apt's unprivileged _apt user download into it (no sandbox warning)
  log "fetching pgvector source (trixie)"
  (cd "$WORK" && "${apt[@]}" source pgvector >/dev/null 2>&1) ||
    (cd "$WORK" && "${apt[@]}" source --download-only pgvector >/dev/null) ||
    die "apt-get source pgvector failed (is the Debian mirror reachable?)"
  local dir
  dir=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'pgvector*' | head -n1)
  if [ -z "$dir" ]; then   # dpkg-source could not unpack: fall back to the upstream tarball
    tar -xf "$(ls "$WORK"/pgvector_*.orig.tar.* | head -n1)" -C "$WORK" || die "cannot unpack pgvector source"
    dir=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'pgvector*' | head -n1)
  fi
  [ -f "$dir/Makefile" ] || die "no Makefile in unpacked pgvector source ($dir)"
  log "building $(basename "$dir")"
  # OPTFLAGS="" drops upstream's -march=native (Debian builds it the same way): a machine image
  # can be resumed on another CPU, and an illegal instruction would crash the server.
  local mk=(make -s -C "$dir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="")
  "${mk[@]}" -j"$(nproc)" >/dev/null && "${mk[@]}" install >/dev/null || die "pgvector build/install failed"
}

if [ -n "$PG_VERSION" ]; then
  [ -x "$PG_CONFIG" ] || die "$PG_CONFIG missing (is postgresql-client-$PG_VERSION installed?)"
  if ! server_up; then
    need_root "start PostgreSQL"; log "starting PostgreSQL $PG_VERSION"
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start ||
      die "pg_ctlcluster $PG_VERSION main start failed (see /var/log/postgresql/)"
  fi
  if ext_installed; then log "pgvector already installed for PostgreSQL $PG_VERSION"
  else build_pgvector; ext_installed || die "pgvector files missing after install"; fi
elif [ -z "${DATABASE_URL:-}" ]; then
  die "no PostgreSQL in /etc/postgresql: install postgresql, or run docker-compose.yml and set DATABASE_URL"
fi

for _ in $(seq 60); do pg_isready -q -d "$TARGET" && break; sleep 0.5; done
pg_isready -q -d "$TARGET" || die "server not accepting connections after 30 s ($SHOWN)"

if [ -z "${DATABASE_URL:-}" ] && [ -z "$("${PSQL[@]}" -d "${TARGET%/test}/postgres" \
    -c "SELECT 1 FROM pg_database WHERE datname='test'")" ]; then
  log "creating database test"
  "${PSQL[@]}" -d "${TARGET%/test}/postgres" -c 'CREATE DATABASE test' || die "CREATE DATABASE test failed"
fi
"${PSQL[@]}" -d "$TARGET" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS vector' ||
  die "CREATE EXTENSION vector failed in $SHOWN"
ver=$("${PSQL[@]}" -d "$TARGET" -c "SELECT extversion FROM pg_extension WHERE extname='vector'")
[ -n "$ver" ] || die "vector extension not present in $SHOWN after CREATE EXTENSION"
log "ready: pgvector $ver in $SHOWN"
if [ -n "$PROVISION" ]; then
  PREFIX=${TENANTVEC_ROLE_PREFIX:-tenantvec}
  SETUP_SQL=$(dirname "$0")/../packages/pgvector/sql/setup.sql
  "${PSQL[@]}" -d "$TARGET" -v login="$PROVISION" -v app="${PREFIX}_app" -v admin="${PREFIX}_admin" -f "$SETUP_SQL" >/dev/null ||
    die "running $SETUP_SQL for login $PROVISION failed in $SHOWN"
  log "provisioned ${PREFIX}_app and ${PREFIX}_admin for login $PROVISION; run the backend with createExtension: false, roles: { app: '${PREFIX}_app', admin: '${PREFIX}_admin' }"
fi
echo "$ver"
