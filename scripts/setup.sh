#!/usr/bin/env bash
# Set up everything formgen needs on a fresh Debian/Ubuntu machine:
# LibreOffice (PDF output, .doc/.wps intake), CJK fonts, poppler (PDF → PNG),
# a virtual environment in .venv with formgen, its OCR extra and pytest.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v antiword >/dev/null 2>&1 || need_apt+=(antiword)  # second reader for .doc tables LibreOffice loses
command -v catdoc >/dev/null 2>&1 || need_apt+=(catdoc)  # third .doc reader, for files both others refuse
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # the desk's browser tests drive Debian's headless Chromium
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-imapd)  # IMAP server the mail tests start (not as a service)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)  # self-signed certificates for the mail TLS tests
fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || need_apt+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "AR PL UKai" || need_apt+=(fonts-arphic-ukai)
# A TrueType Song face reportlab can embed in the printed ballots (formgen ballots).
fc-list 2>/dev/null | grep -qi "AR PL UMing" || need_apt+=(fonts-arphic-uming)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== 安装系统组件：${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
    # The mail tests start their own Dovecot in a temporary directory; the system service the
    # package just enabled is not needed (one that was there before is left alone).
    if [[ " ${need_apt[*]} " == *" dovecot-imapd "* ]] && command -v systemctl >/dev/null 2>&1; then
      $SUDO systemctl disable --now dovecot >/dev/null 2>&1 || true
    fi
  else
    echo "!! 无 root 权限，未能安装：${need_apt[*]}（PDF 生成和 .doc 读取将不可用）"
  fi
fi

# Fonts the documents name (GB/T 9704: 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) map to
# installed CJK fonts, so LibreOffice renders the PDFs with the right kind of face.
fontconf="${XDG_CONFIG_HOME:-$HOME/.config}/fontconfig/conf.d"
mkdir -p "$fontconf"
cp -f scripts/fonts.conf "$fontconf/60-formgen-cjk.conf"
command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[ocr,ballots,test]"
echo "== 环境就绪：.venv/bin/formgen"
