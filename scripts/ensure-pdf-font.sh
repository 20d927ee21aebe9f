#!/usr/bin/env bash
# The registry's progress report PDF embeds a CJK TrueType font (WenQuanYi Zen Hei, Debian's
# fonts-wqy-zenhei: TrueType outlines, which fpdf2 subsets cleanly); install it when missing.
set -euo pipefail
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && exit 0
echo "Installing fonts-wqy-zenhei for the registry's PDF reports" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-wqy-zenhei >/dev/null
