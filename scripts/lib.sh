# Shared by scripts/start and scripts/test: a local virtual environment with the pinned versions.
# Usage: source scripts/lib.sh; ensure_venv [test]

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "需要 Python 3.11 或更高版本（未找到；可用环境变量 PYTHON 指定解释器）" >&2
  return 1
}

# Installs (or updates) .venv when pyproject.toml or the pinned versions change.
ensure_venv() {
  local extra="${1:-}"
  local python
  python=$(find_python)
  if [ ! -x .venv/bin/python ]; then
    echo "==> 创建虚拟环境 .venv（$("$python" --version)）"
    "$python" -m venv .venv || {
      echo "创建虚拟环境失败：Debian/Ubuntu 上请先安装 python3-venv" >&2
      return 1
    }
  fi
  local spec="."
  [ -n "$extra" ] && spec=".[$extra]"
  local stamp=".venv/.installed-${extra:-run}"
  local want
  want=$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> 安装依赖（版本固定于 requirements/constraints.txt）"
    if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade "pip>=23.2" &&
           .venv/bin/python -m pip install --disable-pip-version-check \
             -c requirements/constraints.txt -e "$spec"; } > .venv/install.log 2>&1; then
      cat .venv/install.log >&2
      echo "安装依赖失败（详见上方 pip 输出，日志在 .venv/install.log）" >&2
      return 1
    fi
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/.venv/bin:$PATH"
}

# Debian's Chromium and CJK fonts for the browser tests (tests/browser; Playwright's own browser
# download cannot work on closed networks). Installs them with apt-get when missing: as root, or
# with sudo. When it cannot, it says so and goes on: the browser tests then skip on a developer's
# machine and fail in CI (tests/browser/conftest.py).
ensure_browser() {
  local chromium="${LABORCREDIT_CHROMIUM:-/usr/bin/chromium}"
  # chromium-l10n: the browser's own widgets (file chooser, date fields) in Chinese, as users see them.
  local packages=(chromium chromium-l10n fonts-noto-cjk)
  local have_fonts=0
  if command -v fc-list >/dev/null 2>&1; then
    fc-list :lang=zh family 2>/dev/null | grep -q . && have_fonts=1
  elif dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; then
    have_fonts=1
  fi
  local have_l10n=0
  if ! command -v dpkg-query >/dev/null 2>&1 ||
     dpkg-query -W -f='${Status}' chromium-l10n 2>/dev/null | grep -q "ok installed"; then
    have_l10n=1
  fi
  if [ -x "$chromium" ] && [ "$have_fonts" = 1 ] && [ "$have_l10n" = 1 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "未能安装浏览器测试所需的 Chromium 与中文字体：需要 root 权限或 sudo（请手动执行 apt-get install chromium chromium-l10n fonts-noto-cjk）" >&2
      return 0
    fi
    sudo=(sudo)
    [ -t 0 ] || sudo=(sudo -n)
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "未能安装浏览器测试所需的 Chromium 与中文字体：本机没有 apt-get（需 Debian/Ubuntu）" >&2
    return 0
  fi
  echo "==> 安装浏览器测试所需的 Chromium 与中文字体（Debian 软件包：${packages[*]}）"
  local log
  log=$(mktemp)
  local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${packages[@]}")
  if ! "${install[@]}" >"$log" 2>&1; then
    # The package lists may be missing or stale: update them once, then try again.
    if ! { "${sudo[@]}" apt-get update && "${install[@]}"; } >>"$log" 2>&1; then
      cat "$log" >&2
      echo "安装 Chromium 与中文字体失败（详见上方 apt-get 输出）；浏览器测试在 CI 中将因此失败" >&2
    fi
  fi
  rm -f "$log"
  return 0
}

# The Simplified Chinese font the PDF reports embed (第六条 reports, credit reports): Debian's
# fonts-noto-cjk (Noto Sans CJK SC), so no report needs the internet. Installs it with apt-get
# when missing: as root, or with sudo. When it cannot, it says so and goes on: PDF downloads then
# answer with a Chinese message naming the package, and the PDF tests fail.
ensure_fonts() {
  local font=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
  if [ -n "${LABORCREDIT_PDF_FONT_DIR:-}" ] && [ -f "$LABORCREDIT_PDF_FONT_DIR/NotoSansCJK-Regular.ttc" ]; then
    return 0
  fi
  [ -f "$font" ] && return 0
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "未能安装生成 PDF 报表所需的中文字体：需要 root 权限或 sudo（请手动执行 apt-get install fonts-noto-cjk）" >&2
      return 0
    fi
    sudo=(sudo)
    [ -t 0 ] || sudo=(sudo -n)
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "未能安装生成 PDF 报表所需的中文字体：本机没有 apt-get（需 Debian/Ubuntu；或用 LABORCREDIT_PDF_FONT_DIR 指定 Noto Sans CJK 字体目录）" >&2
    return 0
  fi
  echo "==> 安装生成 PDF 报表所需的中文字体（Debian 软件包：fonts-noto-cjk）"
  local log
  log=$(mktemp)
  local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends fonts-noto-cjk)
  if ! "${install[@]}" >"$log" 2>&1; then
    if ! { "${sudo[@]}" apt-get update && "${install[@]}"; } >>"$log" 2>&1; then
      cat "$log" >&2
      echo "安装中文字体失败（详见上方 apt-get 输出）；PDF 报表将无法生成" >&2
    fi
  fi
  rm -f "$log"
  return 0
}
