# Installs what the platform needs on a fresh Debian machine, and nothing that is already there.
# Sourced by ops/demo and ops/test. Usage: ensure_packages demo|test

apt_updated=0

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if [ "$apt_updated" -eq 0 ]; then
    echo "Installing Debian packages: $*"
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

have_postgres_server() {
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1
}

ensure_packages() {
  local purpose="$1" missing=()
  have_postgres_server || missing+=(postgresql-15)
  if [ "$purpose" = test ]; then
    /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
    [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
    # The analyst export tests run the generated R script and SPSS syntax (GNU PSPP) on exported CSV.
    command -v Rscript >/dev/null 2>&1 || missing+=(r-base-core)
    command -v pspp >/dev/null 2>&1 || missing+=(pspp)
    # The exact Wilcoxon test is checked against SciPy's own enumeration (tests/RecoveryStudy.Tests/Statistics).
    /usr/bin/python3 -c 'import scipy' >/dev/null 2>&1 || missing+=(python3-scipy)
    # The deployment tests: nginx in front of two nodes, the systemd unit checked by systemd-analyze.
    [ -x /usr/sbin/nginx ] || missing+=(nginx)
    # The bounce tests read a real IMAP mailbox (tests/RecoveryStudy.Tests/Infrastructure/DovecotServer.cs).
    [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
    command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
    # The staff sign-in tests run a real OpenID Connect provider (npm oidc-provider) under node.
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
  if [ "$purpose" = test ] && [ ! -d tests/RecoveryStudy.Tests/Infrastructure/oidc/node_modules/oidc-provider ]; then
    echo "Installing the test OpenID Connect provider (npm ci)"
    npm ci --prefix tests/RecoveryStudy.Tests/Infrastructure/oidc --no-audit --no-fund --silent
  fi
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET SDK 10 is required (dotnet was not found on PATH)." >&2
    exit 1
  fi
}
