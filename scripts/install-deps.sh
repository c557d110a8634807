#!/bin/sh
# Installs the Debian packages a make target needs, if any are missing.
# Usage: scripts/install-deps.sh PROFILE...   (build test bench cross sanitize valgrind install plot)
# As root it runs apt-get; otherwise it prints the exact command and fails.
# With DEPS_STAMP set, a file of that name is created when it installs
# anything (the Makefile then sets its build directory up anew).
set -eu

pkgs=""
for profile in "$@"; do
    case "$profile" in
    build)    pkgs="$pkgs meson ninja-build gcc pkg-config libsimde-dev" ;;
    test)     pkgs="$pkgs check" ;;
    bench)    pkgs="$pkgs g++ libbenchmark-dev libdnnl-dev python3" ;;
    cross)    pkgs="$pkgs gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user check:arm64" ;;
    sanitize) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    valgrind) pkgs="$pkgs valgrind" ;;
    install)  pkgs="$pkgs binutils pkg-config" ;;
    plot)     pkgs="$pkgs gnuplot-nox python3" ;;
    *) echo "install-deps.sh: unknown profile '$profile'" >&2; exit 2 ;;
    esac
done

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

# Multiarch packages (name:arch, e.g. check:arm64 for the cross tests) need
# their architecture added to dpkg before apt can see them.
arches=""
for p in $missing; do
    case "$p" in
    *:*) a=${p#*:}
         dpkg --print-foreign-architectures | grep -qx "$a" || arches="$arches $a" ;;
    esac
done

if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps.sh: installing$missing"
    for a in $arches; do dpkg --add-architecture "$a"; done
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    if [ -n "${DEPS_STAMP:-}" ]; then touch "$DEPS_STAMP"; fi
else
    echo "Missing packages. Run:" >&2
    for a in $arches; do echo "    sudo dpkg --add-architecture $a" >&2; done
    echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
