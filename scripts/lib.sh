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
