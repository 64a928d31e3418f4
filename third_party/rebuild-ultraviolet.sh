#!/usr/bin/env bash
# The renderer fork is the upstream module plus dangol.patch, and nothing else.
#
#   third_party/rebuild-ultraviolet.sh          check: rebuild it in a temporary directory
#                                               from the version go.mod requires, and fail
#                                               if third_party/ultraviolet differs
#   third_party/rebuild-ultraviolet.sh --write  rebuild third_party/ultraviolet (after a
#                                               Bubble Tea update changed the version)
#   third_party/rebuild-ultraviolet.sh --test   run upstream's own tests of the patched module
#
# The fork leaves out upstream's tests, CI files and prose; it adds PATCHED.md (why) and
# dangol.patch (what). The upstream module comes from the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

mod=github.com/charmbracelet/ultraviolet
fork=third_party/ultraviolet
mode=${1:-check}
mode=${mode#--}
case "$mode" in check | write | test) ;; *)
  echo "usage: $0 [--write | --test]" >&2
  exit 2
  ;;
esac

# The version go.mod requires (the replace line has no version of its own).
version=$(awk -v m="$mod" '$1 == m && $2 ~ /^v/ { print $2 }' go.mod | head -1)
if [ -z "$version" ]; then
  echo "rebuild-ultraviolet: go.mod requires no version of $mod" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$( (cd "$work" && GOFLAGS= go mod download -json "$mod@$version") | awk -F'"' '$2 == "Dir" { print $4 }')
if [ -z "$src" ] || [ ! -d "$src" ]; then
  echo "rebuild-ultraviolet: could not download $mod@$version" >&2
  exit 1
fi

tree="$work/ultraviolet"
cp -r "$src" "$tree"
chmod -R u+w "$tree"
if ! (cd "$tree" && patch -p1 --quiet --no-backup-if-mismatch) < "$fork/dangol.patch"; then
  echo "rebuild-ultraviolet: dangol.patch does not apply to $mod@$version: apply both changes by hand (PATCHED.md) and write the patch again" >&2
  exit 1
fi

if [ "$mode" = test ]; then
  echo "rebuild-ultraviolet: upstream's tests of $mod@$version with dangol.patch"
  (cd "$tree" && GOFLAGS=-mod=mod go test -count=1 ./...)
  exit 0
fi

# What the fork keeps of upstream.
find "$tree" -name '*_test.go' -delete
rm -rf "$tree/.github" "$tree/.gitattributes" "$tree/.golangci.yml" "$tree/.goreleaser.yml" \
  "$tree/README.md" "$tree/TUTORIAL.md"
cp "$fork/PATCHED.md" "$fork/dangol.patch" "$tree/"

if [ "$mode" = write ]; then
  rm -rf "$fork"
  cp -r "$tree" "$fork"
  echo "rebuild-ultraviolet: $fork rebuilt from $mod@$version and dangol.patch"
  echo "$version" >"$fork/VERSION"
  exit 0
fi

echo "$version" >"$tree/VERSION"
if ! diff -r "$tree" "$fork" >"$work/diff"; then
  echo "rebuild-ultraviolet: $fork is not $mod@$version with dangol.patch:" >&2
  head -50 "$work/diff" >&2
  echo "rebuild-ultraviolet: change the fork only through dangol.patch, then run $0 --write" >&2
  exit 1
fi
echo "rebuild-ultraviolet: $fork is $mod@$version with dangol.patch"
