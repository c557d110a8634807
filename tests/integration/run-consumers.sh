#!/bin/sh
# Consumer integration tests (make test-install):
#   1. install simdnorm into a temporary prefix;
#   2. the shared library exports exactly the header's snorm_* functions;
#   3. examples/consumer.c builds with `pkg-config --cflags --libs simdnorm`
#      (shared) and `pkg-config --static ...` (-static, the archive) and runs;
#   4. a meson project uses simdnorm as a subproject (subprojects/simdnorm is
#      a symlink to this repository) and runs the same program.
# Everything happens in a temporary directory, removed on exit.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/simdnorm-consumers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
step() { printf '\n== %s\n' "$*"; }

step "install into $tmp/prefix"
meson setup "$tmp/build" "$repo" --prefix="$tmp/prefix" --libdir=lib \
    -Dtests=disabled -Dbench=disabled >"$tmp/setup.log" || { cat "$tmp/setup.log"; exit 1; }
meson compile -C "$tmp/build" -j 2 >"$tmp/compile.log" || { cat "$tmp/compile.log"; exit 1; }
meson install -C "$tmp/build" --quiet >/dev/null
lib="$tmp/prefix/lib"
ls "$lib"/libsimdnorm.so "$lib"/libsimdnorm.a "$lib"/pkgconfig/simdnorm.pc \
    "$tmp/prefix/include/simdnorm.h" >/dev/null

step "exported symbols of libsimdnorm.so"
nm -D --defined-only "$lib/libsimdnorm.so" | awk '{print $NF}' | sort >"$tmp/exported"
# Every function the header declares: SNORM_API <type> snorm_name(
tr '\n' ' ' <"$repo/include/simdnorm.h" | grep -o 'SNORM_API[ a-z_*]*snorm_[a-z0-9_]*(' |
    sed 's/.*[ *]\(snorm_[a-z0-9_]*\)(/\1/' | sort >"$tmp/declared"
if grep -v '^snorm_' "$tmp/exported"; then
    echo "FAIL: the symbols above are exported but are not snorm_*" >&2
    exit 1
fi
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
    echo "FAIL: exported snorm_* symbols differ from the header's functions:" >&2
    diff "$tmp/declared" "$tmp/exported" >&2 || true
    exit 1
fi
echo "$(wc -l <"$tmp/exported") symbols, all snorm_*, exactly the header's functions"

export PKG_CONFIG_PATH="$lib/pkgconfig"
step "consumer, shared: $CC consumer.c \$(pkg-config --cflags --libs simdnorm)"
# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
$CC -std=c11 -Wall -Wextra -Werror -o "$tmp/consumer-shared" "$repo/examples/consumer.c" \
    $(pkg-config --cflags --libs simdnorm) -lm
LD_LIBRARY_PATH="$lib" ldd "$tmp/consumer-shared" | grep -q "$lib/libsimdnorm.so" ||
    { echo "FAIL: consumer-shared does not load $lib/libsimdnorm.so" >&2; exit 1; }
LD_LIBRARY_PATH="$lib" "$tmp/consumer-shared"

step "consumer, static: $CC -static consumer.c \$(pkg-config --static --cflags --libs simdnorm)"
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror -static -o "$tmp/consumer-static" \
    "$repo/examples/consumer.c" $(pkg-config --static --cflags --libs simdnorm)
if ldd "$tmp/consumer-static" >/dev/null 2>&1; then
    echo "FAIL: consumer-static is dynamically linked" >&2
    exit 1
fi
"$tmp/consumer-static"

step "meson subproject"
mkdir -p "$tmp/sub/subprojects"
cp "$repo/tests/integration/subproject/meson.build" "$repo/examples/consumer.c" "$tmp/sub/"
ln -s "$repo" "$tmp/sub/subprojects/simdnorm"
meson setup "$tmp/sub/build" "$tmp/sub" >"$tmp/sub-setup.log" || { cat "$tmp/sub-setup.log"; exit 1; }
meson compile -C "$tmp/sub/build" -j 2 >"$tmp/sub-compile.log" ||
    { cat "$tmp/sub-compile.log"; exit 1; }
"$tmp/sub/build/consumer"
meson test -C "$tmp/sub/build" --print-errorlogs >/dev/null

echo
echo "consumer tests: all passed"
